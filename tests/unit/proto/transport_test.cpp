#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

namespace tf = tcp_flag;

TEST(Tcp, Options_MssWindowScaleSackTimestamps) {
  testing::TcpSpec s;
  s.sport = 1;
  s.dport = 2;
  s.flags = tf::kSyn;
  s.options = {2, 4, 0x05, 0xb4,                         // MSS 1460
               1, 3, 3, 7,                               // NOP, window scale 7
               4, 2,                                     // SACK permitted
               8, 10, 0, 0, 0, 1, 0, 0, 0, 2,            // timestamps 1, 2
               5, 10, 0, 0, 0, 1, 0, 0, 0, 2};           // one SACK block
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(s).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  const TcpOptions& o = p.tcp_options;
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.has_window_scale);
  EXPECT_EQ(o.window_scale, 7);
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_TRUE(o.has_timestamps);
  EXPECT_EQ(o.ts_val, 1u);
  EXPECT_EQ(o.ts_ecr, 2u);
  EXPECT_EQ(o.sack_blocks, 1);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(Tcp, MalformedOptions_StopOptionsNotThePacket) {
  testing::TcpSpec s;
  s.sport = 1;
  s.dport = 2;
  s.options = {2, 4, 0x05, 0xb4, 8, 0, 1, 1};  // timestamps with length 0
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(s).payload("x").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.tcp_options.mss, 1460);
  EXPECT_FALSE(p.tcp_options.has_timestamps);
  EXPECT_EQ(p.payload_length, 1u);
}

TEST(Tcp, BogusDataOffset_KeepsPortsAndSaysWhy) {
  Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(80, 81, 0).build();
  f[14 + 20 + 12] = 0x30;  // data offset 3 words
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_ports);
  EXPECT_FALSE(p.has_transport);
  EXPECT_EQ(p.transport_error, DecodeError::BadTransportHeader);
}

TEST(Tcp, HeaderCutAfterPorts_KeepsPorts) {
  const Frame full = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(80, 81, 0).build();
  const Frame cut(full.begin(), full.begin() + 14 + 20 + 6);
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, cut, p), DecodeError::None);
  EXPECT_TRUE(p.has_ports);
  EXPECT_EQ(p.transport_error, DecodeError::TruncatedTransport);
  const Frame tiny(full.begin(), full.begin() + 14 + 20 + 3);
  EXPECT_EQ(decode(LinkType::Ethernet, tiny, p), DecodeError::TruncatedTransport);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");  // addresses survive for counting by pair
}

TEST(Neighbours, ArpReplyBinding) {
  const testing::Mac mac{2, 3, 4, 5, 6, 7};
  const Frame f = PacketBuilder().ethernet().arp(2, mac, "10.0.0.5", testing::kMacA, "10.0.0.1").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Arp);
  ASSERT_TRUE(p.has_neighbor);
  EXPECT_EQ(p.neighbor_ip.to_string(), "10.0.0.5");
  EXPECT_EQ(p.neighbor_mac, mac);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(Neighbours, NdpAdvertisementTargetLinkLayerOption) {
  // Body after the ICMPv6 header: flags(4) target(16) option type 2, len 1, MAC.
  std::vector<std::uint8_t> body = {0x60, 0, 0, 0};
  const std::uint8_t target[16] = {0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};
  body.insert(body.end(), target, target + 16);
  body.insert(body.end(), {2, 1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff});
  // icmp() writes 4 bytes of rest-of-header; the NA flags are those 4 bytes.
  const Frame f = PacketBuilder().ethernet().ipv6("fd00::5", "fd00::1").icmp(136, 0, 0x6000, 0)
                      .payload(std::vector<std::uint8_t>(body.begin() + 4, body.end())).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  ASSERT_TRUE(p.has_neighbor);
  EXPECT_EQ(p.neighbor_ip.to_string(), "fd00::5");
  EXPECT_EQ(p.neighbor_mac[0], 0xaa);
  decode_all_prefixes(LinkType::Ethernet, f);
}

}  // namespace
}  // namespace wiretop::proto::test
