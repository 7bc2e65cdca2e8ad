#pragma once
// The configuration file (issue 8): ~/.config/wiretop/config.toml (or
// $XDG_CONFIG_HOME/wiretop/config.toml) over /etc/wiretop/config.toml, then
// the command line over both. Keys are the long option names (`bpf-filter`,
// or `bpf_filter`) with TOML values of the option's type; an unknown key or a
// bad value is one error naming the file and line (exit 2 in cli.cpp).

#include <string>
#include <string_view>
#include <vector>

#include "app/options.h"

namespace wiretop::app {

// The files read when --config is not given, lowest precedence first.
std::vector<std::string> default_config_paths();

// Applies the TOML `text` (read from `source`, named in errors) to `o`.
// Returns an empty string, or the error: "SOURCE line N: ...".
std::string apply_config_text(std::string_view text, const std::string& source, Options& o);

// Reads `path` (a missing file is no error unless `required`) and applies it.
std::string apply_config_file(const std::string& path, bool required, Options& o);

// --config PATH (or --config=PATH) in argv, else empty: found before the
// command line is parsed, because the file's values must lie under it.
std::string config_path_argument(int argc, char** argv);

}  // namespace wiretop::app
