#include "tui/filter.h"

#include <gtest/gtest.h>

namespace wiretop::tui {
namespace {

model::ConnectionRow tcp_row() {
  model::ConnectionRow r;
  r.id = 1;
  r.ip_proto = 6;
  r.client_ip = *core::IpAddress::parse("10.1.0.1");
  r.server_ip = *core::IpAddress::parse("10.1.0.2");
  r.has_ports = true;
  r.client_port = 40000;
  r.server_port = 80;
  r.state = "ESTABLISHED";
  return r;
}

model::ConnectionRow udp_row() {
  model::ConnectionRow r;
  r.id = 2;
  r.ip_proto = 17;
  r.client_ip = *core::IpAddress::parse("192.168.1.5");
  r.server_ip = *core::IpAddress::parse("8.8.8.8");
  r.has_ports = true;
  r.client_port = 5353;
  r.server_port = 53;
  r.state = "ACTIVE";
  return r;
}

TEST(Filter, EmptyFilter_MatchesEverything) {
  EXPECT_TRUE(row_matches_filter(tcp_row(), ""));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "   "));
}

TEST(Filter, FreeText_MatchesAnyColumnCaseInsensitive) {
  EXPECT_TRUE(row_matches_filter(tcp_row(), "10.1.0.2"));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "TCP"));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "establ"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "8.8.8.8"));
}

TEST(Filter, Port_MatchesEitherPortExactly) {
  EXPECT_TRUE(row_matches_filter(tcp_row(), "port:80"));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "port:40000"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "port:8"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "port:abc"));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "port:"));  // half-typed: filters nothing yet
}

TEST(Filter, SrcAndDst_MatchClientAndServerSides) {
  EXPECT_TRUE(row_matches_filter(tcp_row(), "src:10.1.0.1"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "src:10.1.0.2"));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "dst:10.1.0.2:80"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "dst:10.1.0.1"));
}

TEST(Filter, ProtoAndState_Keywords) {
  EXPECT_TRUE(row_matches_filter(udp_row(), "proto:udp"));
  EXPECT_FALSE(row_matches_filter(udp_row(), "proto:tcp"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "proto:tc"));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "state:estab"));
  EXPECT_FALSE(row_matches_filter(udp_row(), "state:estab"));
}

TEST(Filter, Negation_InvertsATerm) {
  EXPECT_FALSE(row_matches_filter(tcp_row(), "!port:80"));
  EXPECT_TRUE(row_matches_filter(udp_row(), "!port:80"));
  EXPECT_TRUE(row_matches_filter(udp_row(), "!tcp"));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "!"));  // half-typed: filters nothing yet
}

TEST(Filter, AllTermsMustMatch) {
  EXPECT_TRUE(row_matches_filter(tcp_row(), "proto:tcp port:80"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "proto:tcp port:53"));
  EXPECT_TRUE(row_matches_filter(udp_row(), "proto:udp !port:80 8.8"));
}

TEST(Filter, UnknownKeyword_IsFreeText) {
  EXPECT_FALSE(row_matches_filter(tcp_row(), "nosuch:example"));
  EXPECT_TRUE(row_matches_filter(tcp_row(), "ESTABLISHED"));
}

model::ConnectionRow tls_row() {
  model::ConnectionRow r = tcp_row();
  r.id = 3;
  r.server_port = 443;
  auto app = std::make_shared<dpi::AppInfo>();
  app->proto = "TLS";
  app->sni = "www.Example.com";
  r.app = app;
  r.server_name = "www.Example.com";
  r.server_name_source = "sni";
  r.pid = 4242;
  r.process_name = "firefox-esr";
  r.country = "DE";
  return r;
}

model::ConnectionRow dns_row() {
  model::ConnectionRow r = udp_row();
  auto app = std::make_shared<dpi::AppInfo>();
  app->proto = "DNS";
  app->dns_queries = {{"mail.example.org", "A"}, {"example.net", "AAAA"}};
  r.app = app;
  return r;
}

TEST(Filter, SniAndHost_MatchServerNames) {
  EXPECT_TRUE(row_matches_filter(tls_row(), "sni:example.com"));
  EXPECT_FALSE(row_matches_filter(tls_row(), "sni:example.org"));
  EXPECT_FALSE(row_matches_filter(dns_row(), "sni:example"));  // DNS names are not SNI
  EXPECT_TRUE(row_matches_filter(dns_row(), "host:example.net"));  // any DNS name asked
  EXPECT_TRUE(row_matches_filter(tls_row(), "host:www.example"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "host:example"));
}

TEST(Filter, ProcessPidAppCountry_Keywords) {
  EXPECT_TRUE(row_matches_filter(tls_row(), "process:firefox"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "process:firefox"));
  EXPECT_TRUE(row_matches_filter(tls_row(), "pid:4242"));
  EXPECT_FALSE(row_matches_filter(tls_row(), "pid:424"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "pid:0"));  // unknown owner has no pid
  EXPECT_TRUE(row_matches_filter(tls_row(), "app:tls"));
  EXPECT_TRUE(row_matches_filter(dns_row(), "app:dns"));
  EXPECT_FALSE(row_matches_filter(tcp_row(), "app:dns"));
  EXPECT_TRUE(row_matches_filter(tls_row(), "country:de"));
  EXPECT_FALSE(row_matches_filter(tls_row(), "country:d"));
}

TEST(Filter, FreeText_AlsoSearchesAppAndProcess) {
  EXPECT_TRUE(row_matches_filter(tls_row(), "firefox"));
  EXPECT_TRUE(row_matches_filter(tls_row(), "www.example"));
  EXPECT_TRUE(row_matches_filter(dns_row(), "mail.example"));
}

TEST(Filter, Regex_IsCaseInsensitiveAndSearchesEveryColumn) {
  EXPECT_TRUE(row_matches_filter(tls_row(), R"(/EXAMPLE\.(com|org)$/)"));
  EXPECT_FALSE(row_matches_filter(tls_row(), R"(/example\.org$/)"));
  EXPECT_TRUE(row_matches_filter(tls_row(), "/^fire.*esr/"));
  EXPECT_FALSE(row_matches_filter(tls_row(), "/(?-i)EXAMPLE/"));  // case-sensitive on request
  EXPECT_TRUE(row_matches_filter(tls_row(), "!/^udp$/"));
}

TEST(Filter, RegexAsKeywordValue_MatchesThatFieldOnly) {
  EXPECT_TRUE(row_matches_filter(tls_row(), R"(sni:/^www\./)"));
  EXPECT_FALSE(row_matches_filter(tls_row(), "process:/^www/"));
  EXPECT_TRUE(row_matches_filter(tls_row(), "port:/^44/"));
  EXPECT_TRUE(row_matches_filter(dns_row(), R"(host:/^mail\.example\.org$/)"));
}

TEST(Filter, Regex_RunsToItsClosingSlashSpacesIncluded) {
  model::ConnectionRow r = tls_row();
  r.process_name = "my app";
  EXPECT_TRUE(row_matches_filter(r, "/my app/ port:443"));
  EXPECT_FALSE(row_matches_filter(r, "/my app/ port:80"));
  EXPECT_TRUE(row_matches_filter(r, "/my ap"));  // unclosed while typing: to the end of the line
}

TEST(Filter, InvalidRegex_IsReportedAndIgnored) {
  const Filter f("/a(b/ port:80");
  EXPECT_NE(f.error().find("a(b"), std::string::npos) << f.error();
  EXPECT_TRUE(f.matches(tcp_row()));  // the valid term still applies
  EXPECT_FALSE(f.matches(udp_row()));
  EXPECT_TRUE(Filter("/ok/").error().empty());
}

TEST(Filter, HostileRegex_RunsInLinearTime) {
  // Catastrophic for a backtracking engine; RE2 answers at once.
  model::ConnectionRow r = tls_row();
  r.process_name = std::string(200, 'a');
  EXPECT_FALSE(row_matches_filter(r, "/^(a+)+$b/"));
}

}  // namespace
}  // namespace wiretop::tui
