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

}  // namespace
}  // namespace wiretop::proto::test
