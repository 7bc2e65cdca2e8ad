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
  EXPECT_FALSE(row_matches_filter(tcp_row(), "port:"));
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
  EXPECT_FALSE(row_matches_filter(tcp_row(), "sni:example"));
}

}  // namespace
}  // namespace wiretop::tui
