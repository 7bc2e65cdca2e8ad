// PPPoE sessions and MPLS label stacks in front of IP.

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

namespace tf = tcp_flag;

TEST(PppoeMpls, PppoeSessionCarryingIpv4_IsDecoded) {
  Frame ip = PacketBuilder().ipv4("10.9.0.1", "10.9.0.2").udp(1000, 53).payload("q").build();
  Frame f = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0x64,
             0x11, 0x00, 0x12, 0x34, static_cast<std::uint8_t>((ip.size() + 2) >> 8),
             static_cast<std::uint8_t>(ip.size() + 2), 0x00, 0x21};
  f.insert(f.end(), ip.begin(), ip.end());
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.src.to_string(), "10.9.0.1");
  EXPECT_EQ(p.dst_port, 53);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(PppoeMpls, MplsLabelStack_LeadsToIp) {
  Frame ip = PacketBuilder().ipv6("fd00::1", "fd00::2").tcp(1, 2, tf::kSyn).build();
  Frame f = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0x47,
             0x00, 0x01, 0x00, 0x40,   // label 16, not bottom of stack
             0x00, 0x02, 0x01, 0x40};  // label 32, bottom of stack
  f.insert(f.end(), ip.begin(), ip.end());
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv6);
  EXPECT_EQ(p.tcp_flags, tf::kSyn);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(PppoeMpls, PppoeControlProtocol_IsUnsupported) {
  const Frame f = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0x64,
                   0x11, 0x00, 0x12, 0x34, 0x00, 0x04, 0xc0, 0x21, 1, 1};  // LCP
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::UnsupportedLink);
}

TEST(PppoeMpls, MplsStackWithoutBottom_IsTruncatedLink) {
  const Frame f = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0x47,
                   0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x00, 0x40};
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::TruncatedLink);
}

TEST(PppoeMpls, MplsPayloadNotIp_IsUnsupported) {
  const Frame f = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0x47,
                   0x00, 0x01, 0x01, 0x40, 0x00, 0x00, 0x00, 0x00};  // pseudowire control word
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::UnsupportedLink);
}

}  // namespace
}  // namespace wiretop::proto::test
