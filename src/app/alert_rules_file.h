#pragma once
// The --alerts rules file (issue 10, docs/alerts.md): TOML that switches the
// built-in rules on or off, sets their severities, lists blocked JA3/JA4
// fingerprints and allowed DNS resolvers, and adds custom rules. Read at
// start-up; an unknown key or a bad value is one error naming the file and
// line (exit 2 in cli.cpp).

#include <string>
#include <string_view>

#include "core/result.h"
#include "engine/alerts.h"

namespace wiretop::app {

// Parses the TOML `text` (read from `source`, named in errors): "SOURCE line N: ...".
core::Result<engine::AlertRules, std::string> parse_alert_rules(std::string_view text, const std::string& source);
// Reads and parses `path`.
core::Result<engine::AlertRules, std::string> load_alert_rules(const std::string& path);

}  // namespace wiretop::app
