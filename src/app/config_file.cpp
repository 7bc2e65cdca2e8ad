#include "app/config_file.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>
#include <variant>

namespace wiretop::app {
namespace {

struct Range {
  double min, max;
};

// (std::uint32_t is unsigned here: one alternative serves both.)
static_assert(std::is_same_v<std::uint32_t, unsigned>);
using Target = std::variant<std::string*, bool*, double*, unsigned*, int*,
                            std::vector<std::string>*>;

struct Setting {
  std::string_view key;
  Target target;
  Range range{0, 0};  // numbers only; the same bounds as the command line's checks
};

// The settings a file may hold: the command line's, less those that only make
// sense for one run (-r, --check, --replay-speed, test switches).
std::vector<Setting> settings(Options& o) {
  return {
      {"interface", &o.interface},
      {"bpf-filter", &o.bpf_filter},
      {"json", &o.json},
      {"duration", &o.duration, {0, 1e12}},
      {"threads", &o.threads, {1, 256}},
      {"max-flows", &o.max_flows, {1, 100'000'000}},
      {"keep-closed", &o.keep_closed, {0, 1e12}},
      {"dpi-packets", &o.dpi_packets, {1, 100'000}},
      {"no-dpi", &o.no_dpi},
      {"no-attribution", &o.no_attribution},
      {"no-ebpf", &o.no_ebpf},
      {"hold", &o.hold},
      {"refresh-ms", &o.refresh_ms, {50, 60000}},
      {"no-color", &o.no_color},
      {"show-localhost", &o.show_localhost},
      {"resolve", &o.resolve},
      {"redact", &o.redact},
      {"no-sandbox", &o.no_sandbox},
      {"sandbox-strict", &o.sandbox_strict},
      {"user", &o.user},
      {"json-log", &o.json_log},
      {"json-log-max-mb", &o.json_log_max_mb, {0, 1e6}},
      {"geoip-db", &o.geoip_dbs},
      {"pcap-export", &o.pcap_export},
      {"pcapng-export", &o.pcapng_export},
      {"ipfix", &o.ipfix},
      {"ipfix-active-timeout", &o.ipfix_active_timeout, {1, 86400}},
      {"ipfix-idle-timeout", &o.ipfix_idle_timeout, {1, 86400}},
      {"history", &o.history},
      {"metrics", &o.metrics},
      {"alerts", &o.alerts},
      {"syslog", &o.syslog},
  };
}

std::string at_line(const std::string& source, const toml::source_region& where) {
  return source + " line " + std::to_string(where.begin.line) + ": ";
}

// "" when `node` fits the setting and was stored, else what is wrong.
std::string store(const Setting& s, const toml::node& node) {
  return std::visit(
      [&](auto* target) -> std::string {
        using T = std::remove_pointer_t<decltype(target)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!node.is_string()) return "expects a string";
          *target = *node.value<std::string>();
        } else if constexpr (std::is_same_v<T, bool>) {
          if (!node.is_boolean()) return "expects true or false";
          *target = *node.value<bool>();
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          target->clear();
          if (node.is_string()) target->push_back(*node.value<std::string>());
          else if (!node.is_array()) return "expects a string or an array of strings";
          else
            for (const toml::node& item : *node.as_array()) {
              if (!item.is_string()) return "expects an array of strings";
              target->push_back(*item.value<std::string>());
            }
        } else {
          const bool integral = !std::is_same_v<T, double>;
          if (!node.is_integer() && (integral || !node.is_floating_point()))
            return integral ? "expects an integer" : "expects a number";
          const double v = *node.value<double>();
          if (v < s.range.min || v > s.range.max) {
            std::ostringstream msg;
            msg << "must be between " << s.range.min << " and " << s.range.max;
            return msg.str();
          }
          *target = static_cast<T>(v);
        }
        return {};
      },
      s.target);
}

}  // namespace

std::vector<std::string> default_config_paths() {
  std::vector<std::string> paths{"/etc/wiretop/config.toml"};
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  if (xdg && *xdg == '/') paths.push_back(std::string(xdg) + "/wiretop/config.toml");
  else if (home && *home) paths.push_back(std::string(home) + "/.config/wiretop/config.toml");
  return paths;
}

std::string apply_config_text(std::string_view text, const std::string& source, Options& o) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return at_line(source, e.source()) + std::string(e.description());
  }
  const std::vector<Setting> known = settings(o);
  for (const auto& [key, node] : table) {
    std::string name(key.str());
    for (char& c : name)
      if (c == '_') c = '-';
    const auto it = std::find_if(known.begin(), known.end(), [&](const Setting& s) { return s.key == name; });
    if (it == known.end())
      return at_line(source, key.source()) + "unknown setting '" + std::string(key.str()) +
             "' (the settings are the long command-line options; see wiretop --help)";
    const std::string wrong = store(*it, node);
    if (!wrong.empty()) return at_line(source, node.source()) + "'" + std::string(key.str()) + "' " + wrong;
  }
  return {};
}

std::string apply_config_file(const std::string& path, bool required, Options& o) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return required ? "--config " + path + ": cannot read it" : std::string{};
  std::ostringstream text;
  text << in.rdbuf();
  return apply_config_text(text.str(), path, o);
}

std::string config_path_argument(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--config" && i + 1 < argc) return argv[i + 1];
    if (arg.substr(0, 9) == "--config=") return std::string(arg.substr(9));
  }
  return {};
}

}  // namespace wiretop::app
