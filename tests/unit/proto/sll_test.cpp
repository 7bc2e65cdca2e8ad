// Linux cooked captures: SLL v1 and SLL2.

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

TEST(Sll, CookedV1AndV2_FindTheIpHeader) {
  const Frame v1 = PacketBuilder().sll().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, 0).build();
  const Frame v2 = PacketBuilder().sll2().ipv6("fd00::1", "fd00::2").udp(3, 4).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::LinuxSll, v1, p), DecodeError::None);
  EXPECT_EQ(p.l3_offset, 16u);
  EXPECT_TRUE(p.has_ports);
  ASSERT_EQ(decode(LinkType::LinuxSll2, v2, p), DecodeError::None);
  EXPECT_EQ(p.l3_offset, 20u);
  EXPECT_EQ(p.src_port, 3);
  decode_all_prefixes(LinkType::LinuxSll, v1);
  decode_all_prefixes(LinkType::LinuxSll2, v2);
}

TEST(Sll, VlanTagAfterCookedHeader_IsStripped) {
  const Frame f = PacketBuilder().sll().vlan(42).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::LinuxSll, f, p), DecodeError::None);
  EXPECT_EQ(p.vlan, 42);
  EXPECT_EQ(p.l3_offset, 20u);
  EXPECT_FALSE(p.has_macs);
}

TEST(Sll, ArpOverCookedV2_GivesBinding) {
  const Frame f = PacketBuilder().sll2().arp(2, testing::kMacB, "10.0.0.9", testing::kMacA, "10.0.0.1").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::LinuxSll2, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_neighbor);
  EXPECT_EQ(p.neighbor_mac, testing::kMacB);
}

TEST(Sll, NonEtherTypeProtocol_IsUnsupported) {
  Frame f = PacketBuilder().sll().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  f[14] = 0x00;
  f[15] = 0x04;  // 802.2 LLC frames carry a pseudo protocol, not an EtherType
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::LinuxSll, f, p), DecodeError::UnsupportedLink);
}

TEST(Sll, ShorterThanHeader_IsTruncatedLink) {
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::LinuxSll, Frame(15, 0), p), DecodeError::TruncatedLink);
  EXPECT_EQ(decode(LinkType::LinuxSll2, Frame(19, 0), p), DecodeError::TruncatedLink);
}

}  // namespace
}  // namespace wiretop::proto::test
