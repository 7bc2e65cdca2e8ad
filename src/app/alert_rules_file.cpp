#include "app/alert_rules_file.h"

#include <fstream>
#include <sstream>
#include <toml++/toml.h>

namespace wiretop::app {
namespace {

using Rules = engine::AlertRules;
using Error = core::Err<std::string>;

std::string at_line(const std::string& source, const toml::node& node) {
  return source + " line " + std::to_string(node.source().begin.line) + ": ";
}

// A string or an array of strings (a single string is a list of one).
std::optional<std::vector<std::string>> strings(const toml::node& node) {
  std::vector<std::string> out;
  if (node.is_string()) return std::vector<std::string>{*node.value<std::string>()};
  if (!node.is_array()) return std::nullopt;
  for (const toml::node& item : *node.as_array()) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(*item.value<std::string>());
  }
  return out;
}

std::string read_builtin(const std::string& source, std::string_view name, const toml::node& node, Rules& rules) {
  std::size_t index = engine::kBuiltinRuleCount;
  for (std::size_t i = 0; i < engine::kBuiltinRuleCount; ++i)
    if (engine::builtin_rule_name(static_cast<engine::BuiltinRule>(i)) == name) index = i;
  if (index == engine::kBuiltinRuleCount)
    return at_line(source, node) + "unknown built-in rule '" + std::string(name) +
           "' (new_destination, plaintext_credentials, tls_old, ja_blocklist, dns_resolver, new_process)";
  if (!node.is_table()) return at_line(source, node) + "builtin." + std::string(name) + " must be a table";
  for (const auto& [key, value] : *node.as_table()) {
    if (key.str() == "enabled" && value.is_boolean()) {
      rules.builtins[index].enabled = *value.value<bool>();
    } else if (key.str() == "severity" && value.is_string() && engine::is_severity(*value.value<std::string>())) {
      rules.builtins[index].severity = *value.value<std::string>();
    } else {
      return at_line(source, value) + "builtin." + std::string(name) + "." + std::string(key.str()) +
             ": expects enabled = true|false or severity = \"info\"|\"warning\"|\"critical\"";
    }
  }
  return {};
}

std::string read_ports(const toml::node& node, std::vector<std::uint16_t>& ports) {
  const auto one = [&](const toml::node& n) {
    const auto v = n.value<std::int64_t>();
    if (!n.is_integer() || !v || *v < 1 || *v > 65535) return false;
    ports.push_back(static_cast<std::uint16_t>(*v));
    return true;
  };
  if (node.is_array()) {
    for (const toml::node& item : *node.as_array())
      if (!one(item)) return "remote_port expects ports 1-65535";
  } else if (!one(node)) {
    return "remote_port expects a port 1-65535 or an array of them";
  }
  return {};
}

// One [[rule]] table: an id, a severity, and at least one condition.
std::string read_custom(const std::string& source, const toml::table& table, Rules& rules) {
  engine::CustomRule rule;
  for (const auto& [key, value] : table) {
    const std::string_view k = key.str();
    std::string wrong;
    if (k == "remote_port") {
      wrong = read_ports(value, rule.remote_ports);
    } else if (std::string* text = k == "id"            ? &rule.id
                                   : k == "severity"    ? &rule.severity
                                   : k == "message"     ? &rule.message
                                   : k == "app"         ? &rule.app
                                   : k == "server_name" ? &rule.server_name
                                   : k == "process"     ? &rule.process
                                                        : nullptr) {
      if (!value.is_string()) wrong = std::string(k) + " expects a string";
      else *text = *value.value<std::string>();
    } else {
      wrong = "unknown key '" + std::string(k) +
              "' (id, severity, message, app, server_name, remote_port, process)";
    }
    if (!wrong.empty()) return at_line(source, value) + "rule: " + wrong;
  }
  const auto where = at_line(source, table);
  if (rule.id.empty()) return where + "a rule needs an id";
  if (!engine::is_severity(rule.severity)) return where + "rule " + rule.id + ": severity is info, warning or critical";
  if (rule.app.empty() && rule.server_name.empty() && rule.remote_ports.empty() && rule.process.empty())
    return where + "rule " + rule.id + " has no condition (app, server_name, remote_port, process)";
  rules.custom.push_back(std::move(rule));
  return {};
}

std::string read_top(const std::string& source, std::string_view key, const toml::node& value, Rules& rules) {
  if (key == "builtin" && value.is_table()) {
    for (const auto& [name, node] : *value.as_table()) {
      const std::string wrong = read_builtin(source, name.str(), node, rules);
      if (!wrong.empty()) return wrong;
    }
  } else if (key == "rule" && value.is_array_of_tables()) {
    for (const toml::node& item : *value.as_array()) {
      const std::string wrong = read_custom(source, *item.as_table(), rules);
      if (!wrong.empty()) return wrong;
    }
  } else if (key == "ja_blocklist") {
    auto list = strings(value);
    if (!list) return at_line(source, value) + "ja_blocklist expects an array of JA3/JA4 strings";
    rules.ja_blocklist = std::move(*list);
  } else if (key == "resolvers") {
    auto list = strings(value);
    if (!list) return at_line(source, value) + "resolvers expects an array of IP addresses";
    for (const std::string& text : *list) {
      const auto address = core::IpAddress::parse(text);
      if (!address) return at_line(source, value) + "resolvers: '" + text + "' is not an IP address";
      rules.resolvers.push_back(*address);
    }
  } else {
    return at_line(source, value) + "unknown key '" + std::string(key) +
           "' (builtin.<rule>, [[rule]], ja_blocklist, resolvers; see docs/alerts.md)";
  }
  return {};
}

}  // namespace

core::Result<Rules, std::string> parse_alert_rules(std::string_view text, const std::string& source) {
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Error{source + " line " + std::to_string(e.source().begin.line) + ": " + std::string(e.description())};
  }
  Rules rules;
  for (const auto& [key, value] : table) {
    const std::string wrong = read_top(source, key.str(), value, rules);
    if (!wrong.empty()) return Error{wrong};
  }
  if (rules.custom.size() > Rules::kMaxCustomRules)
    return Error{source + ": at most " + std::to_string(Rules::kMaxCustomRules) + " custom rules"};
  return rules;
}

core::Result<Rules, std::string> load_alert_rules(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"--alerts " + path + ": cannot read it"};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_alert_rules(text.str(), "--alerts " + path);
}

}  // namespace wiretop::app
