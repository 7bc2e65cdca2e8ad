#include "engine/redactor.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>

namespace wiretop::engine {
namespace {

core::IpAddress ip(const char* text) { return *core::IpAddress::parse(text); }

// "host-" + 8 lower-case hex digits + ".redacted" (no std::regex: GCC 12 -O2 warns inside it).
bool is_host_pseudonym(const std::string& s) {
  if (s.size() != 22 || !s.starts_with("host-") || !s.ends_with(".redacted")) return false;
  for (std::size_t i = 5; i < 13; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(s[i])) || std::isupper(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

TEST(Redactor, Ipv4_BecomesStableTenSlashEight_DistinctAddressesStayDistinct) {
  const Redactor r({1, 2});
  const auto a = r.address(ip("192.0.2.7"));
  EXPECT_TRUE(a.is_v4());
  EXPECT_EQ(a.bytes()[0], 10);
  EXPECT_NE(a, ip("192.0.2.7"));
  EXPECT_EQ(r.address(ip("192.0.2.7")), a);
  // Many addresses: no two share a pseudonym (the bare 24-bit hash would collide around here).
  std::set<std::string> seen;
  for (std::uint32_t i = 0; i < 20000; ++i) seen.insert(r.address(core::IpAddress::v4(0xc6120000u + i)).to_string());
  EXPECT_EQ(seen.size(), 20000u);
}

TEST(Redactor, Ipv6_BecomesDocumentationPrefix) {
  const Redactor r({1, 2});
  const auto a = r.address(ip("2a00:1450:4001:80b::200e"));
  EXPECT_TRUE(a.to_string().starts_with("2001:db8:")) << a.to_string();
  EXPECT_EQ(r.address(ip("2a00:1450:4001:80b::200e")), a);
  EXPECT_NE(r.address(ip("2a00:1450:4001:80b::200f")), a);
}

TEST(Redactor, AddressesNamingNoHost_AreKept_SolicitedNodeIsNot) {
  const Redactor r({1, 2});
  for (const char* kept : {"127.0.0.1", "0.0.0.0", "::", "::1", "255.255.255.255", "224.0.0.251", "ff02::fb"})
    EXPECT_EQ(r.address(ip(kept)), ip(kept)) << kept;
  const auto sn = r.address(ip("ff02::1:ff12:3456"));
  EXPECT_TRUE(sn.to_string().starts_with("ff02::1:ff")) << sn.to_string();
  EXPECT_NE(sn, ip("ff02::1:ff12:3456"));
}

TEST(Redactor, KeyDecides_AnotherRunAnotherPseudonym) {
  EXPECT_NE(Redactor({1, 2}).host("example.com"), Redactor({1, 3}).host("example.com"));
  EXPECT_NE(Redactor({1, 2}).address(ip("192.0.2.7")), Redactor({1, 3}).address(ip("192.0.2.7")));
}

TEST(Redactor, Host_CaseAndTrailingDotInsensitive_IpLiteralsBecomeAddresses) {
  const Redactor r({5, 6});
  const std::string h = r.host("WWW.Example.com.");
  EXPECT_TRUE(is_host_pseudonym(h)) << h;
  EXPECT_EQ(r.host("www.example.com"), h);
  EXPECT_EQ(r.host("192.0.2.7"), r.address(ip("192.0.2.7")).to_string());
  EXPECT_EQ(r.host(""), "");
  // Domains: a user and a host of the same text do not share a pseudonym.
  EXPECT_NE(r.label("user", "alice").substr(5), r.host("alice").substr(5, 8));
}

TEST(Redactor, Row_EveryNameAndAddressReplaced_ProcessNameKept) {
  const Redactor r({7, 8});
  model::ConnectionRow row;
  row.client_ip = ip("192.168.1.13");
  row.server_ip = ip("178.62.197.130");
  row.server_name = "www.ntop.org";
  row.ends[0].has_mac = true;
  row.ends[0].mac = {0x00, 0x1b, 0x21, 0x01, 0x02, 0x03};
  auto app = std::make_shared<dpi::AppInfo>();
  app->sni = "www.ntop.org";
  app->http_host = "www.ntop.org:8080";
  app->http_path = "/users/alice";
  app->dns_queries = {{"WWW.NTOP.ORG", "A"}};
  app->dns_answers = {"178.62.197.130", "ntop.org"};
  app->ftp_user = "alice";
  row.app = app;
  auto process = std::make_shared<host::ProcessInfo>();
  process->name = "curl";
  process->exe = "/home/alice/bin/curl";
  process->cmdline = "curl https://www.ntop.org/?token=secret";
  process->user = "alice";
  row.process = process;
  r.apply(row);
  const std::string name = r.host("www.ntop.org");
  EXPECT_EQ(row.server_name, name);
  EXPECT_EQ(row.app->sni, name);
  EXPECT_EQ(row.app->http_host, name + ":8080");
  EXPECT_EQ(row.app->dns_queries[0].name, name);
  EXPECT_EQ(row.app->dns_answers[0], row.server_ip.to_string());
  EXPECT_EQ(row.app->dns_answers[1], r.host("ntop.org"));
  EXPECT_EQ(row.app->http_path.find("alice"), std::string::npos);
  EXPECT_EQ(row.app->ftp_user, r.label("user", "alice"));
  EXPECT_EQ(app->sni, "www.ntop.org");  // the shared original is not touched
  EXPECT_EQ(row.process->name, "curl");
  EXPECT_EQ(row.process->user, r.label("user", "alice"));
  EXPECT_EQ(row.process->exe.find("alice"), std::string::npos);
  EXPECT_EQ(row.process->cmdline.find("secret"), std::string::npos);
  EXPECT_EQ(process->user, "alice");
  EXPECT_EQ(row.ends[0].mac[0], 0x02);  // locally administered: no vendor
  EXPECT_NE(row.ends[0].mac[1], 0x1b);
}

TEST(Redactor, ListenerAndNote_UseTheSamePseudonyms) {
  const Redactor r({9, 10});
  model::ListenerRow l;
  l.local_ip = ip("10.77.1.1");
  l.user = "alice";
  r.apply(l);
  EXPECT_EQ(l.local_ip, r.address(ip("10.77.1.1")));
  EXPECT_EQ(l.user, r.label("user", "alice"));
  model::ListenerRow wildcard;
  wildcard.local_ip = ip("0.0.0.0");
  r.apply(wildcard);
  EXPECT_EQ(wildcard.local_ip, ip("0.0.0.0"));

  exporting::PacketNote note;
  note.client_ip = ip("10.77.1.1");
  note.sni = "www.ntop.org";
  std::array<std::string, 2> storage;
  r.apply(note, storage);
  EXPECT_EQ(note.client_ip, l.local_ip);
  EXPECT_EQ(note.sni, r.host("www.ntop.org"));
  EXPECT_TRUE(note.http_host.empty());
}

}  // namespace
}  // namespace wiretop::engine
