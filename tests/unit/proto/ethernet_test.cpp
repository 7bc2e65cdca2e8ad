// Ethernet II with 802.1Q / 802.1ad tags.

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

namespace tf = tcp_flag;

TEST(Ethernet, Ipv4Tcp_AllFieldsDecoded) {
  const Frame f = PacketBuilder().ethernet().ipv4("192.0.2.1", "198.51.100.7")
                      .tcp(40000, 443, tf::kSyn | tf::kAck, 1000, 2000).payload("hello").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv4);
  EXPECT_EQ(p.src.to_string(), "192.0.2.1");
  EXPECT_EQ(p.dst.to_string(), "198.51.100.7");
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.ip_length, 20u + 20 + 5);
  EXPECT_EQ(p.l3_offset, 14u);
  EXPECT_TRUE(p.has_transport);
  EXPECT_TRUE(p.has_ports);
  EXPECT_EQ(p.src_port, 40000);
  EXPECT_EQ(p.dst_port, 443);
  EXPECT_EQ(p.seq, 1000u);
  EXPECT_EQ(p.ack, 2000u);
  EXPECT_EQ(p.tcp_flags, tf::kSyn | tf::kAck);
  EXPECT_EQ(p.payload_offset, 54u);
  EXPECT_EQ(p.payload_length, 5u);
  EXPECT_EQ(p.payload_wire_length, 5u);
  EXPECT_FALSE(p.has_vlan);
}

TEST(Ethernet, SingleVlan_IdRecorded) {
  const Frame f = PacketBuilder().ethernet().vlan(100).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_vlan);
  EXPECT_EQ(p.vlan, 100);
  EXPECT_TRUE(p.has_ports);
}

TEST(Ethernet, QinQ_OuterVlanRecordedInnerSkipped) {
  const Frame f = PacketBuilder().ethernet().vlan(300, 0x88A8).vlan(7).ipv6("fd00::1", "fd00::2").udp(5, 6).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.vlan, 300);
  EXPECT_EQ(p.vlan_depth, 2);
  EXPECT_EQ(p.l3, L3::Ipv6);
  EXPECT_EQ(p.src_port, 5);
}

TEST(Ethernet, Ieee8023LengthField_IsUnsupportedNotACrash) {
  Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  f[12] = 0x00;
  f[13] = 0x40;  // a length, not an EtherType
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::UnsupportedLink);
  EXPECT_FALSE(p.has_ports);
}

TEST(Ethernet, ShorterThanHeader_IsTruncatedLink) {
  const Frame f(10, 0xff);
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::TruncatedLink);
}

TEST(Ethernet, EveryPrefix_NeverReadsPastTheCut) {
  const Frame f = PacketBuilder().ethernet().vlan(5).ipv4("10.0.0.1", "10.0.0.2")
                      .tcp(1, 2, tf::kAck).payload("data").build();
  // Ports appear once the frame reaches 14 + 4 + 20 + 4 bytes.
  EXPECT_EQ(decode_all_prefixes(LinkType::Ethernet, f), static_cast<int>(f.size()) - 42);
}

TEST(Ethernet, Macs_AreRecorded) {
  const testing::Mac src{1, 2, 3, 4, 5, 6}, dst{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  const Frame f = PacketBuilder().ethernet(src, dst).ipv4("10.0.0.1", "10.0.0.255").udp(137, 137).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_macs);
  EXPECT_EQ(p.src_mac, src);
  EXPECT_EQ(p.dst_mac, dst);
}

TEST(Ethernet, OldQinQTpid9100_IsAVlanToo) {
  const Frame f = PacketBuilder().ethernet().vlan(4095, 0x9100).vlan(1).ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, 0).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.vlan, 4095);
  EXPECT_EQ(p.vlan_depth, 2);
  EXPECT_EQ(p.l3_offset, 22u);
}

TEST(Ethernet, VlanPriorityBits_AreNotPartOfTheId) {
  Frame f = PacketBuilder().ethernet().vlan(100).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  f[14] |= 0xE0;  // PCP 7
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.vlan, 100);
}

TEST(Ethernet, VlanTagCut_IsTruncatedLink) {
  const Frame f = PacketBuilder().ethernet().vlan(100).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, Frame(f.begin(), f.begin() + 16), p), DecodeError::TruncatedLink);
}

TEST(Ethernet, UnknownEtherType_IsUnsupported) {
  Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  f[12] = 0x88;
  f[13] = 0xcc;  // LLDP
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::UnsupportedLink);
}

}  // namespace
}  // namespace wiretop::proto::test
