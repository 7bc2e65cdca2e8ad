// The --alerts rules file (app/alert_rules_file.h): every key it knows, and
// one error line naming the file and line for what it does not.
#include "app/alert_rules_file.h"

#include <gtest/gtest.h>

namespace wiretop::app {
namespace {

using engine::BuiltinRule;

const engine::BuiltinSetting& builtin(const engine::AlertRules& r, BuiltinRule rule) {
  return r.builtins[static_cast<std::size_t>(rule)];
}

TEST(AlertRulesFile, EmptyFileKeepsEveryBuiltInOnWithDefaults) {
  const auto rules = parse_alert_rules("", "rules.toml");
  ASSERT_TRUE(rules.ok());
  for (const auto& b : rules->builtins) {
    EXPECT_TRUE(b.enabled);
    EXPECT_EQ(b.severity, "");
  }
  EXPECT_TRUE(rules->custom.empty());
}

TEST(AlertRulesFile, EveryKeyIsRead) {
  const auto rules = parse_alert_rules(R"(
ja_blocklist = ["e7d705a3286e19ea42f587b344ee6865", "t13d1516h2_8daaf6152771_02713d6af862"]
resolvers = ["9.9.9.9", "2620:fe::fe"]

[builtin.new_destination]
enabled = false

[builtin.tls_old]
severity = "critical"

[[rule]]
id = "telnet"
severity = "critical"
message = "telnet in use"
app = "TELNET"
remote_port = [23, 2323]

[[rule]]
id = "curl"
process = "^curl$"
server_name = "example\\.com$"
remote_port = 443
)", "rules.toml");
  ASSERT_TRUE(rules.ok()) << rules.error();
  EXPECT_FALSE(builtin(*rules, BuiltinRule::kNewDestination).enabled);
  EXPECT_EQ(builtin(*rules, BuiltinRule::kTlsOld).severity, "critical");
  EXPECT_EQ(rules->ja_blocklist.size(), 2u);
  ASSERT_EQ(rules->resolvers.size(), 2u);
  EXPECT_EQ(rules->resolvers[1].to_string(), "2620:fe::fe");
  ASSERT_EQ(rules->custom.size(), 2u);
  EXPECT_EQ(rules->custom[0].remote_ports, (std::vector<std::uint16_t>{23, 2323}));
  EXPECT_EQ(rules->custom[0].message, "telnet in use");
  EXPECT_EQ(rules->custom[1].severity, "warning");
  EXPECT_EQ(rules->custom[1].process, "^curl$");
  EXPECT_EQ(rules->custom[1].server_name, "example\\.com$");
}

TEST(AlertRulesFile, MistakesAreOneLineNamingFileAndLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"colour = 1\n", "rules.toml line 1: unknown key 'colour'"},
      {"\n[builtin.tls_new]\nenabled = true\n", "line 2: unknown built-in rule 'tls_new'"},
      {"[builtin.tls_old]\nseverity = \"loud\"\n", "line 2: builtin.tls_old.severity"},
      {"[[rule]]\nid = \"x\"\n", "rule x has no condition"},
      {"[[rule]]\napp = \"TLS\"\n", "a rule needs an id"},
      {"[[rule]]\nid = \"x\"\nremote_port = 70000\n", "remote_port expects"},
      {"[[rule]]\nid = \"x\"\napp = \"TLS\"\ncolor = 1\n", "unknown key 'color'"},
      {"resolvers = [\"nope\"]\n", "'nope' is not an IP address"},
      {"ja_blocklist = 3\n", "ja_blocklist expects"},
      {"a = [", "rules.toml line 1: "},
  };
  for (const auto& [text, expected] : cases) {
    const auto rules = parse_alert_rules(text, "rules.toml");
    ASSERT_FALSE(rules.ok()) << text;
    EXPECT_NE(rules.error().find(expected), std::string::npos) << rules.error();
    EXPECT_EQ(rules.error().find('\n'), std::string::npos) << rules.error();
  }
}

TEST(AlertRulesFile, UnreadableFileNamesIt) {
  const auto rules = load_alert_rules("/nonexistent/rules.toml");
  ASSERT_FALSE(rules.ok());
  EXPECT_NE(rules.error().find("--alerts /nonexistent/rules.toml"), std::string::npos);
}

}  // namespace
}  // namespace wiretop::app
