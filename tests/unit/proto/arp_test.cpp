// ARP and NDP: the (IP, MAC) bindings neighbours announce.

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

TEST(Arp, ArpReplyBinding) {
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

TEST(Arp, Request_BindsTheSender) {
  const testing::Mac mac{0x10, 0x20, 0x30, 0x40, 0x50, 0x60};
  const Frame f = PacketBuilder().ethernet().vlan(12).arp(1, mac, "192.168.1.7", testing::Mac{}, "192.168.1.1").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Arp);
  EXPECT_EQ(p.vlan, 12);
  ASSERT_TRUE(p.has_neighbor);
  EXPECT_EQ(p.neighbor_ip.to_string(), "192.168.1.7");
  EXPECT_EQ(p.neighbor_mac, mac);
  EXPECT_FALSE(p.has_ports);
  EXPECT_TRUE(p.src.empty());  // ARP is not an IP packet: no address pair to count
}

TEST(Arp, Probe_FromUnspecifiedAddress_HasNoBinding) {
  // RFC 5227 probes use sender IP 0.0.0.0 while checking an address is free.
  const Frame f = PacketBuilder().ethernet().arp(1, testing::kMacA, "0.0.0.0", testing::Mac{}, "192.168.1.9").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Arp);
  EXPECT_FALSE(p.has_neighbor);
}

TEST(Arp, NonEthernetHardware_IsArpWithoutBinding) {
  Frame f = PacketBuilder().ethernet().arp(2, testing::kMacA, "10.0.0.5", testing::kMacB, "10.0.0.1").build();
  f[14 + 1] = 6;  // hardware type IEEE 802
  f[14 + 4] = 8;  // hardware address length 8
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Arp);
  EXPECT_FALSE(p.has_neighbor);
}

TEST(Arp, CutBeforeSenderAddress_IsAnErrorWithoutBinding) {
  const Frame full = PacketBuilder().ethernet().arp(2, testing::kMacA, "10.0.0.5", testing::kMacB, "10.0.0.1").build();
  const Frame cut(full.begin(), full.begin() + 14 + 8 + 6 + 2);
  DecodedPacket p;
  EXPECT_NE(decode(LinkType::Ethernet, cut, p), DecodeError::None);
  EXPECT_FALSE(p.has_neighbor);
}

TEST(Ndp, SolicitationSourceLinkLayerOption_BindsTheSender) {
  const testing::Mac mac{0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
  const Frame f = PacketBuilder().ethernet().ipv6("fe80::1", "ff02::1:ff00:2").ndp(135, "fe80::2", 1, mac).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 58);
  EXPECT_EQ(p.icmp_type, 135);
  ASSERT_TRUE(p.has_neighbor);
  EXPECT_EQ(p.neighbor_ip.to_string(), "fe80::1");
  EXPECT_EQ(p.neighbor_mac, mac);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(Ndp, DuplicateAddressDetection_FromUnspecified_HasNoBinding) {
  const Frame f = PacketBuilder().ipv6("::", "ff02::1:ff00:2").ndp(135, "fe80::2", 1, testing::kMacA).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_FALSE(p.has_neighbor);
}

TEST(Ndp, AdvertisementTargetLinkLayerOption_BindsTheTarget) {
  const testing::Mac mac{0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
  const Frame f = PacketBuilder().ipv6("fe80::9", "fe80::1").ndp(136, "2001:db8::9", 2, mac).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  ASSERT_TRUE(p.has_neighbor);
  EXPECT_EQ(p.neighbor_ip.to_string(), "2001:db8::9");
  EXPECT_EQ(p.neighbor_mac, mac);
}

TEST(Ndp, AdvertisementWithOnlyASourceOption_HasNoBinding) {
  const Frame f = PacketBuilder().ipv6("fe80::9", "fe80::1").ndp(136, "fe80::9", 1, testing::kMacA).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_FALSE(p.has_neighbor);
}

TEST(Ndp, ZeroLengthOption_StopsWithoutBinding) {
  Frame f = PacketBuilder().ipv6("fe80::1", "fe80::2").ndp(135, "fe80::2", 1, testing::kMacA).build();
  f[40 + 8 + 16 + 1] = 0;  // RFC 4861 4.6: length 0 is invalid
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_transport);
  EXPECT_FALSE(p.has_neighbor);
}

}  // namespace
}  // namespace wiretop::proto::test
