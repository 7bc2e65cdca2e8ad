// The alert rules (engine/alerts.h) on hand-made rows: each rule fires once
// where it should, not on clean rows, and remembers first times per process.
#include "engine/alerts.h"

#include <gtest/gtest.h>

namespace wiretop::engine {
namespace {

model::ConnectionRow row(std::uint64_t id, const char* server, std::uint16_t port,
                         std::shared_ptr<dpi::AppInfo> app = nullptr) {
  model::ConnectionRow r;
  r.id = id;
  r.ip_proto = 6;
  r.has_ports = true;
  r.client_ip = *core::IpAddress::parse("10.0.0.1");
  r.client_port = static_cast<std::uint16_t>(40000 + id);
  r.server_ip = *core::IpAddress::parse(server);
  r.server_port = port;
  r.app = std::move(app);
  if (r.app) r.server_name = r.app->sni.empty() ? r.app->http_host : r.app->sni;
  return r;
}

std::shared_ptr<dpi::AppInfo> tls(const std::string& sni, const std::string& version = "TLS 1.3",
                                  const std::string& ja4 = "t13d1516h2_8daaf6152771_02713d6af862") {
  auto app = std::make_shared<dpi::AppInfo>();
  app->proto = "TLS";
  app->sni = sni;
  app->tls_version = version;
  app->ja4 = ja4;
  app->ja3 = "e7d705a3286e19ea42f587b344ee6865";
  return app;
}

std::unique_ptr<Alerts> make(AlertRules rules = {}, AlertContext context = {}) {
  auto created = Alerts::create(std::move(rules), std::move(context));
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error());
  return std::move(*created);
}

std::vector<model::Alert> feed(Alerts& a, const model::ConnectionRow& r, bool closed = false) {
  std::vector<model::Alert> out;
  a.on_row(r, closed, out);
  return out;
}

std::vector<std::string> rules_of(const std::vector<model::Alert>& alerts) {
  std::vector<std::string> out;
  for (const auto& a : alerts) out.push_back(a.rule);
  return out;
}

AlertRules only(BuiltinRule keep) {
  AlertRules rules;
  for (std::size_t i = 0; i < kBuiltinRuleCount; ++i) rules.builtins[i].enabled = i == static_cast<std::size_t>(keep);
  return rules;
}

TEST(Alerts, TlsOldFiresOnceForANegotiatedOrOfferedOldVersion) {
  auto alerts = make(only(BuiltinRule::kTlsOld));
  const auto old = row(1, "192.0.2.1", 443, tls("old.example", "", "t10d0101h1_aaa_bbb"));
  const auto first = feed(*alerts, old);
  ASSERT_EQ(rules_of(first), std::vector<std::string>{"tls_old"});
  EXPECT_EQ(first[0].severity, "warning");
  EXPECT_NE(first[0].message.find("at most TLS 1.0"), std::string::npos);
  EXPECT_TRUE(feed(*alerts, row(1, "192.0.2.1", 443, tls("old.example", "TLS 1.0", "t10d"))).empty());
  EXPECT_TRUE(feed(*alerts, old, true).empty());
  EXPECT_EQ(rules_of(feed(*alerts, row(2, "192.0.2.1", 443, tls("x", "TLS 1.1")))),
            std::vector<std::string>{"tls_old"});
  EXPECT_TRUE(feed(*alerts, row(3, "192.0.2.1", 443, tls("x", "TLS 1.2", "t12d"))).empty());
  EXPECT_TRUE(feed(*alerts, row(4, "192.0.2.1", 443, tls("x"))).empty());
}

TEST(Alerts, PlaintextCredentialsFireOncePerConnectionAndNameTheFtpUser) {
  auto alerts = make(only(BuiltinRule::kPlaintextCredentials));
  auto ftp = std::make_shared<dpi::AppInfo>();
  ftp->proto = "FTP";
  ftp->ftp_user = "alice";
  EXPECT_TRUE(feed(*alerts, row(1, "192.0.2.1", 21, ftp)).empty());  // USER alone is no password
  auto with_pass = std::make_shared<dpi::AppInfo>(*ftp);
  with_pass->cleartext_auth = "ftp";
  const auto raised = feed(*alerts, row(1, "192.0.2.1", 21, with_pass));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].severity, "critical");
  EXPECT_NE(raised[0].message.find("'alice'"), std::string::npos);
  EXPECT_TRUE(feed(*alerts, row(1, "192.0.2.1", 21, with_pass), true).empty());
  auto basic = std::make_shared<dpi::AppInfo>();
  basic->proto = "HTTP";
  basic->cleartext_auth = "http_basic";
  EXPECT_EQ(feed(*alerts, row(2, "192.0.2.1", 80, basic)).size(), 1u);
}

TEST(Alerts, NewDestinationOncePerProcessAndNameWaitingForTheName) {
  auto alerts = make(only(BuiltinRule::kNewDestination));
  EXPECT_TRUE(feed(*alerts, row(1, "192.0.2.1", 443)).empty());  // no name yet, still open
  EXPECT_EQ(feed(*alerts, row(1, "192.0.2.1", 443, tls("a.example"))).size(), 1u);
  EXPECT_TRUE(feed(*alerts, row(1, "192.0.2.1", 443, tls("a.example")), true).empty());
  EXPECT_TRUE(feed(*alerts, row(2, "192.0.2.9", 443, tls("a.example"))).empty());  // same name elsewhere
  EXPECT_EQ(feed(*alerts, row(3, "192.0.2.1", 443, tls("b.example"))).size(), 1u);
  // Without a name: the address, once the connection ends.
  EXPECT_TRUE(feed(*alerts, row(4, "192.0.2.7", 22)).empty());
  EXPECT_EQ(feed(*alerts, row(4, "192.0.2.7", 22), true).size(), 1u);
  EXPECT_TRUE(feed(*alerts, row(5, "192.0.2.7", 2222), true).empty());
  // Another process to a known name is new for it.
  auto r = row(6, "192.0.2.1", 443, tls("a.example"));
  auto curl = std::make_shared<host::ProcessInfo>();
  curl->pid = 42;
  curl->name = "curl";
  r.process = curl;
  const auto raised = feed(*alerts, r);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].process, "curl");
  EXPECT_EQ(raised[0].pid, 42u);
  // Inbound connections are not destinations of ours.
  auto inbound = row(7, "192.0.2.1", 443, tls("c.example"));
  inbound.locality_known = true;
  inbound.client_local = false;
  inbound.server_local = true;
  EXPECT_TRUE(feed(*alerts, inbound, true).empty());
}

TEST(Alerts, NewDestinationLiveWaitsForTheProcess) {
  AlertContext context;
  context.processes_expected = true;
  auto alerts = make(only(BuiltinRule::kNewDestination), context);
  auto r = row(1, "192.0.2.1", 443, tls("a.example"));
  EXPECT_TRUE(feed(*alerts, r).empty());
  auto firefox = std::make_shared<host::ProcessInfo>();
  firefox->pid = 7;
  firefox->name = "firefox";
  r.process = firefox;
  const auto raised = feed(*alerts, r);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_NE(raised[0].message.find("firefox"), std::string::npos);
}

// Loopback: both ends are ours and the server's accepted socket is often named
// first. The outbound rule waits for the client's process and names it.
TEST(Alerts, NewDestinationOnLoopbackNamesTheClientNotTheServer) {
  AlertContext context;
  context.processes_expected = true;
  auto alerts = make(only(BuiltinRule::kNewDestination), context);
  auto r = row(1, "127.0.0.1", 8080, tls("local.example"));
  r.locality_known = r.client_local = true;
  auto server = std::make_shared<host::ProcessInfo>();
  server->pid = 5;
  server->name = "python3";
  r.server_process = server;
  EXPECT_TRUE(feed(*alerts, r).empty());
  auto curl = std::make_shared<host::ProcessInfo>();
  curl->pid = 9;
  curl->name = "curl";
  r.process = curl;
  const auto raised = feed(*alerts, r);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].process, "curl");
  EXPECT_EQ(raised[0].pid, 9u);
  EXPECT_EQ(raised[0].message.find("python3"), std::string::npos);
}

TEST(Alerts, JaBlocklistMatchesJa3OrJa4InAnyCase) {
  AlertRules rules = only(BuiltinRule::kJaBlocklist);
  rules.ja_blocklist = {"E7D705A3286E19EA42F587B344EE6865"};
  auto alerts = make(rules);
  const auto raised = feed(*alerts, row(1, "192.0.2.1", 443, tls("a.example")));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_NE(raised[0].message.find("JA3 e7d705a3286e19ea42f587b344ee6865"), std::string::npos);
  EXPECT_TRUE(feed(*alerts, row(1, "192.0.2.1", 443, tls("a.example"))).empty());
  rules.ja_blocklist = {"t13d1516h2_8daaf6152771_02713d6af862"};
  auto by_ja4 = make(rules);
  EXPECT_EQ(feed(*by_ja4, row(2, "192.0.2.1", 443, tls("a.example"))).size(), 1u);
  rules.ja_blocklist = {"00000000000000000000000000000000"};
  EXPECT_TRUE(feed(*make(rules), row(3, "192.0.2.1", 443, tls("a.example"))).empty());
}

TEST(Alerts, DnsResolverOnlyWithAKnownListAndOncePerServer) {
  auto none = make(only(BuiltinRule::kDnsResolver));
  EXPECT_TRUE(feed(*none, row(1, "8.8.8.8", 53)).empty());  // offline and no list: nothing to compare with
  AlertContext context;
  context.system_resolvers = {*core::IpAddress::parse("192.0.2.53")};
  AlertRules rules = only(BuiltinRule::kDnsResolver);
  rules.resolvers = {*core::IpAddress::parse("9.9.9.9")};
  auto alerts = make(rules, context);
  EXPECT_TRUE(feed(*alerts, row(1, "192.0.2.53", 53)).empty());
  EXPECT_TRUE(feed(*alerts, row(2, "9.9.9.9", 53)).empty());
  EXPECT_EQ(feed(*alerts, row(3, "8.8.8.8", 53)).size(), 1u);
  EXPECT_TRUE(feed(*alerts, row(4, "8.8.8.8", 53)).empty());
  EXPECT_TRUE(feed(*alerts, row(5, "8.8.4.4", 443)).empty());
}

TEST(Alerts, NewProcessForProcessesStartedAfterWiretopOnce) {
  AlertContext context;
  context.start_ticks = 1000;
  auto alerts = make(only(BuiltinRule::kNewProcess), context);
  auto old_process = std::make_shared<host::ProcessInfo>();
  old_process->pid = 10;
  old_process->name = "sshd";
  old_process->start_time = 900;
  auto r = row(1, "192.0.2.1", 443);
  r.process = old_process;
  EXPECT_TRUE(feed(*alerts, r).empty());
  auto fresh = std::make_shared<host::ProcessInfo>(*old_process);
  fresh->pid = 11;
  fresh->name = "nc";
  fresh->start_time = 1500;
  r.id = 2;
  r.process = fresh;
  EXPECT_EQ(rules_of(feed(*alerts, r)), std::vector<std::string>{"new_process"});
  r.id = 3;
  EXPECT_TRUE(feed(*alerts, r).empty());  // the same process again
  EXPECT_TRUE(feed(*make(only(BuiltinRule::kNewProcess)), r).empty());  // offline: off
}

TEST(Alerts, CustomRuleNeedsEveryConditionAndFiresOnce) {
  AlertRules rules = only(BuiltinRule::kTlsOld);
  rules.builtins[static_cast<std::size_t>(BuiltinRule::kTlsOld)].enabled = false;
  CustomRule rule;
  rule.id = "telemetry";
  rule.severity = "critical";
  rule.message = "telemetry";
  rule.app = "tls";
  rule.server_name = R"(^telemetry\.)";
  rule.remote_ports = {443};
  rules.custom.push_back(rule);
  auto alerts = make(rules);
  EXPECT_TRUE(feed(*alerts, row(1, "192.0.2.1", 443, tls("www.example"))).empty());
  EXPECT_TRUE(feed(*alerts, row(2, "192.0.2.1", 8443, tls("telemetry.example"))).empty());
  const auto raised = feed(*alerts, row(3, "192.0.2.1", 443, tls("telemetry.example")));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].rule, "telemetry");
  EXPECT_EQ(raised[0].severity, "critical");
  EXPECT_TRUE(feed(*alerts, row(3, "192.0.2.1", 443, tls("telemetry.example"))).empty());
  EXPECT_EQ(alerts->counts(), (std::vector<std::pair<std::string, std::uint64_t>>{{"telemetry", 1}}));
}

TEST(Alerts, BadPatternIsAnErrorNamingTheRule) {
  AlertRules rules;
  CustomRule rule;
  rule.id = "broken";
  rule.process = "(";
  rules.custom.push_back(rule);
  auto created = Alerts::create(rules, {});
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.error().find("broken"), std::string::npos);
}

TEST(Alerts, ConfiguredSeverityReplacesTheDefault) {
  AlertRules rules = only(BuiltinRule::kTlsOld);
  rules.builtins[static_cast<std::size_t>(BuiltinRule::kTlsOld)].severity = "critical";
  const auto raised = feed(*make(rules), row(1, "192.0.2.1", 443, tls("x", "SSL 3.0")));
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].severity, "critical");
}

}  // namespace
}  // namespace wiretop::engine
