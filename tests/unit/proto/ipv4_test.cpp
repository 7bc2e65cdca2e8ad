#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

TEST(Ipv4, Options_PayloadStartsAfterThem) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.options = {0x94, 0x04, 0x00, 0x00};  // router alert
  const Frame f = PacketBuilder().ethernet().ipv4(s).udp(7, 8).payload("abc").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_length, 24u + 8 + 3);
  EXPECT_EQ(p.payload_offset, 14u + 24 + 8);
  EXPECT_EQ(p.payload_length, 3u);
}

TEST(Ipv4, FirstFragment_CarriesPorts) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.id = 0x1234;
  s.more_fragments = true;
  const Frame f = PacketBuilder().ethernet().ipv4(s).udp(1111, 2222).payload(std::string(64, 'x')).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.first_fragment);
  EXPECT_EQ(p.frag_id, 0x1234u);
  EXPECT_TRUE(p.has_ports);
}

TEST(Ipv4, NonFirstFragment_HasNoPortsButCountsAddresses) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.id = 0x1234;
  s.frag_offset_bytes = 72;
  s.proto = 17;
  const Frame f = PacketBuilder().ethernet().ipv4(s).payload(std::string(30, 'y')).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.first_fragment);
  EXPECT_FALSE(p.has_ports);
  EXPECT_FALSE(p.has_transport);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_EQ(p.payload_length, 30u);
}

TEST(Ipv4, IhlBelowFive_IsBadHeader) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.ihl_override = 4;
  const Frame f = PacketBuilder().ethernet().ipv4(s).udp(1, 2).build();
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::BadIpHeader);
}

TEST(Ipv4, TotalLengthBelowHeader_IsBadHeader) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.total_length_override = 12;
  const Frame f = PacketBuilder().ethernet().ipv4(s).udp(1, 2).build();
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::BadIpHeader);
}

TEST(Ipv4, EthernetPadding_IsNotPayload) {
  Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload("a").build();
  f.resize(60, 0);  // minimum Ethernet frame
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.payload_length, 1u);
  EXPECT_EQ(p.ip_length, 29u);
}

TEST(Ipv4, CutBySnapLength_PayloadIsWhatWasCaptured) {
  const Frame full = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2)
                         .payload(std::string(1000, 'z')).build();
  const Frame cut(full.begin(), full.begin() + 100);
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, cut, p), DecodeError::None);
  EXPECT_EQ(p.ip_length, 1028u);
  EXPECT_EQ(p.payload_length, 100u - 42);
  EXPECT_EQ(p.payload_wire_length, 1000u);
}

TEST(Ipv4, TunnelledPacket_CountsTheOuterHeaderOnly) {
  const Frame inner = PacketBuilder().ipv4("192.168.0.1", "192.168.0.2").tcp(1, 2, 0).build();
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").payload(inner).build();
  Frame g = f;
  g[14 + 9] = 4;  // IP-in-IP
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, g, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 4);
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
}

TEST(RawAndNull, RawLinkPicksVersionFromFirstNibble) {
  const Frame v4 = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  const Frame v6 = PacketBuilder().ipv6("::1", "::2").udp(3, 4).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, v4, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv4);
  ASSERT_EQ(decode(LinkType::Raw, v6, p), DecodeError::None);
  EXPECT_EQ(p.dst_port, 4);
  decode_all_prefixes(LinkType::Raw, v4);
  decode_all_prefixes(LinkType::Raw, v6);
}

TEST(RawAndNull, NullHeaderFamilies) {
  const Frame v4 = PacketBuilder().null_family(2).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  const Frame v6 = PacketBuilder().null_family(30).ipv6("::1", "::2").udp(3, 4).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Null, v4, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv4);
  ASSERT_EQ(decode(LinkType::Null, v6, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv6);
  decode_all_prefixes(LinkType::Null, v6);
}

TEST(Sll, CookedV1AndV2) {
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

}  // namespace
}  // namespace wiretop::proto::test
