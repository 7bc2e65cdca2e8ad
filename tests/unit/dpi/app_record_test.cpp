#include "dpi/app_record.h"

#include <gtest/gtest.h>

#include <string>

namespace wiretop::dpi {
namespace {

// Every AppInfo member set to a distinct value (numbers away from their "not
// seen" defaults), lists with several items: a member app_record.cpp forgot
// would not come back.
AppInfo every_field() {
  AppInfo a;
  int n = 0;
  const auto next = [&n](std::string_view stem) { return std::string(stem) + std::to_string(++n); };
  a.proto = "TLS";
  a.sni = next("sni.example.");
  a.alpn = {"h2", "http/1.1", next("alpn")};
  a.alpn_selected = next("sel");
  a.tls_version = "TLS 1.3";
  a.cipher = next("TLS_AES_");
  a.ja3 = next("ja3-");
  a.ja3s = next("ja3s-");
  a.ja4 = next("t13d_");
  a.tls_cert_subject_cn = next("cn");
  a.tls_cert_sans = {next("san"), next("san"), ""};
  a.tls_ech = true;
  a.quic_version = next("draft-");
  a.quic_user_agent = next("Chrome/");
  a.http_method = next("GET");
  a.http_host = next("host:");
  a.http_path = next("/path");
  a.http_user_agent = next("curl/");
  a.http_content_type = next("text/");
  a.http_status = 404;
  a.dns_queries = {{next("q"), "A"}, {next("q"), "AAAA"}, {"", "TYPE65"}};
  a.dns_queries_overflow = 70000;
  a.dns_answers = {next("10.0.0."), next("ans")};
  a.dns_rcode = next("NX");
  a.ssh_client_banner = next("SSH-2.0-c");
  a.ssh_server_banner = next("SSH-2.0-s");
  a.hassh = next("hassh");
  a.hassh_server = next("hasshs");
  a.dhcp_hostname = next("dhcp-host");
  a.dhcp_vendor_class = next("vendor");
  a.dhcp_message_types = {"DISCOVER", "OFFER"};
  a.ntp_version = 4;
  a.ntp_mode = 0;
  a.ntp_stratum = -7;
  a.snmp_version = "v2c";
  a.snmp_community = next("public");
  a.ssdp_st = next("st");
  a.ssdp_usn = next("usn");
  a.ssdp_server = next("server");
  a.stun_message_types = {"BINDING_REQUEST", next("T")};
  a.stun_software = next("sw");
  a.mqtt_client_id = next("client");
  a.mqtt_username_present = true;
  a.ftp_user = next("user");
  a.ftp_commands = {"USER", "PASS", next("CMD")};
  a.starttls = true;
  a.cleartext_auth = "ftp";
  a.bittorrent_info_hash = next("hash");
  return a;
}

void expect_same(const AppInfo& a, const AppInfo& b) {
  EXPECT_EQ(a.proto, b.proto);
  EXPECT_EQ(a.sni, b.sni);
  EXPECT_EQ(a.alpn, b.alpn);
  EXPECT_EQ(a.alpn_selected, b.alpn_selected);
  EXPECT_EQ(a.tls_version, b.tls_version);
  EXPECT_EQ(a.cipher, b.cipher);
  EXPECT_EQ(a.ja3, b.ja3);
  EXPECT_EQ(a.ja3s, b.ja3s);
  EXPECT_EQ(a.ja4, b.ja4);
  EXPECT_EQ(a.tls_cert_subject_cn, b.tls_cert_subject_cn);
  EXPECT_EQ(a.tls_cert_sans, b.tls_cert_sans);
  EXPECT_EQ(a.tls_ech, b.tls_ech);
  EXPECT_EQ(a.quic_version, b.quic_version);
  EXPECT_EQ(a.quic_user_agent, b.quic_user_agent);
  EXPECT_EQ(a.http_method, b.http_method);
  EXPECT_EQ(a.http_host, b.http_host);
  EXPECT_EQ(a.http_path, b.http_path);
  EXPECT_EQ(a.http_user_agent, b.http_user_agent);
  EXPECT_EQ(a.http_content_type, b.http_content_type);
  EXPECT_EQ(a.http_status, b.http_status);
  EXPECT_EQ(a.dns_queries, b.dns_queries);
  EXPECT_EQ(a.dns_queries_overflow, b.dns_queries_overflow);
  EXPECT_EQ(a.dns_answers, b.dns_answers);
  EXPECT_EQ(a.dns_rcode, b.dns_rcode);
  EXPECT_EQ(a.ssh_client_banner, b.ssh_client_banner);
  EXPECT_EQ(a.ssh_server_banner, b.ssh_server_banner);
  EXPECT_EQ(a.hassh, b.hassh);
  EXPECT_EQ(a.hassh_server, b.hassh_server);
  EXPECT_EQ(a.dhcp_hostname, b.dhcp_hostname);
  EXPECT_EQ(a.dhcp_vendor_class, b.dhcp_vendor_class);
  EXPECT_EQ(a.dhcp_message_types, b.dhcp_message_types);
  EXPECT_EQ(a.ntp_version, b.ntp_version);
  EXPECT_EQ(a.ntp_mode, b.ntp_mode);
  EXPECT_EQ(a.ntp_stratum, b.ntp_stratum);
  EXPECT_EQ(a.snmp_version, b.snmp_version);
  EXPECT_EQ(a.snmp_community, b.snmp_community);
  EXPECT_EQ(a.ssdp_st, b.ssdp_st);
  EXPECT_EQ(a.ssdp_usn, b.ssdp_usn);
  EXPECT_EQ(a.ssdp_server, b.ssdp_server);
  EXPECT_EQ(a.stun_message_types, b.stun_message_types);
  EXPECT_EQ(a.stun_software, b.stun_software);
  EXPECT_EQ(a.mqtt_client_id, b.mqtt_client_id);
  EXPECT_EQ(a.mqtt_username_present, b.mqtt_username_present);
  EXPECT_EQ(a.ftp_user, b.ftp_user);
  EXPECT_EQ(a.ftp_commands, b.ftp_commands);
  EXPECT_EQ(a.starttls, b.starttls);
  EXPECT_EQ(a.cleartext_auth, b.cleartext_auth);
  EXPECT_EQ(a.bittorrent_info_hash, b.bittorrent_info_hash);
}

TEST(AppRecord, EveryFieldRoundTrips) {
  TextPool pool;
  const AppInfo a = every_field();
  const AppRecord r(a, pool);
  expect_same(r.decode(pool), a);
  EXPECT_GT(pool.size(), 0u);  // repeated-value fields went to the pool
}

TEST(AppRecord, DefaultsRoundTripAndCostOneByte) {
  TextPool pool;
  const AppRecord r(AppInfo{}, pool);
  expect_same(r.decode(pool), AppInfo{});
  EXPECT_EQ(r.size_bytes(), 1u);  // the body's length, zero
  EXPECT_TRUE(AppRecord().decode(pool).empty());
}

TEST(AppRecord, FullPoolKeepsTextsInline) {
  TextPool pool;
  for (std::size_t i = 0; i < TextPool::kMaxEntries; ++i) pool.intern("v" + std::to_string(i));
  const AppInfo a = every_field();
  const AppRecord r(a, pool);
  EXPECT_EQ(pool.size(), TextPool::kMaxEntries);
  EXPECT_GT(pool.full_hits(), 0u);
  expect_same(r.decode(pool), a);
}

TEST(AppRecord, MaxLengthTextsAndFullListsRoundTrip) {
  TextPool pool;
  AppInfo a;
  a.proto = "DNS";
  a.sni = std::string(AppInfo::kMaxText, 's');
  a.http_user_agent = std::string(AppInfo::kMaxText, 'u');  // pooled
  a.http_status = 2147483647;
  a.ntp_stratum = -2147483647 - 1;
  for (std::size_t i = 0; i < AppInfo::kMaxDnsQueries; ++i)
    a.dns_queries.push_back({std::string(AppInfo::kMaxText - 3, 'q') + std::to_string(i), "TYPE" + std::to_string(i)});
  for (std::size_t i = 0; i < AppInfo::kMaxDnsAnswers; ++i)
    a.dns_answers.push_back(std::string(AppInfo::kMaxText - 3, 'a') + std::to_string(i));
  for (std::size_t i = 0; i < AppInfo::kMaxListItems; ++i) {
    a.alpn.push_back(std::string(AppInfo::kMaxText - 2, 'p') + std::to_string(i));
    a.tls_cert_sans.push_back(std::string(AppInfo::kMaxText - 2, 'n') + std::to_string(i));
  }
  const AppRecord r(a, pool);
  expect_same(r.decode(pool), a);
}

TEST(AppRecord, RepeatedValuesAreStoredOnce) {
  TextPool pool;
  AppInfo a;
  a.proto = "TLS";
  a.ja4 = std::string(36, 'j');
  a.sni = "a.example";
  const AppRecord first(a, pool);
  const std::size_t entries = pool.size();
  a.sni = "b.example";
  const AppRecord second(a, pool);
  EXPECT_EQ(pool.size(), entries);
  EXPECT_LT(second.size_bytes(), 20u);  // "b.example" inline, the rest as pool indexes
  EXPECT_EQ(second.decode(pool).ja4, a.ja4);
}

TEST(AppRecord, PerPacketNamesNeedNoDecode) {
  TextPool pool;
  AppInfo a = every_field();
  const AppRecord r(a, pool);
  EXPECT_EQ(r.proto(pool), "TLS");
  EXPECT_EQ(r.sni(pool), a.sni);
  EXPECT_EQ(r.http_host(pool), a.http_host);
  a.http_host.clear();
  const AppRecord no_host(a, pool);
  EXPECT_EQ(no_host.http_host(pool), "");
  EXPECT_EQ(AppRecord().proto(pool), "");
}

}  // namespace
}  // namespace wiretop::dpi
