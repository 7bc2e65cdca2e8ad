// IPv4: header fields, options, fragments, and the lengths that bound the payload.

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

TEST(Ipv4, HeaderFields) {
  testing::Ipv4Spec s;
  s.src = "192.0.2.1";
  s.dst = "203.0.113.9";
  s.ttl = 3;
  s.id = 0xabcd;
  s.dont_fragment = true;
  const Frame f = PacketBuilder().ipv4(s).udp(1, 2).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv4, f, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv4);
  EXPECT_EQ(p.ttl, 3);
  EXPECT_EQ(p.src.to_string(), "192.0.2.1");
  EXPECT_EQ(p.dst.to_string(), "203.0.113.9");
  EXPECT_FALSE(p.is_fragment);  // DF alone is not fragmentation
  EXPECT_FALSE(p.first_fragment);
}

TEST(Ipv4, LastFragment_IsANonFirstFragment) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.id = 7;
  s.frag_offset_bytes = 1480;
  s.proto = 6;
  const Frame f = PacketBuilder().ipv4(s).payload(std::string(20, 'z')).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.first_fragment);
  EXPECT_EQ(p.frag_id, 7u);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.payload_offset, 20u);
  EXPECT_EQ(p.payload_wire_length, 20u);
}

TEST(Ipv4, TinyFirstFragment_CutInsideTheTcpHeader_StillHasPorts) {
  // A first fragment of 8 bytes carries the ports but not the rest of the header.
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.more_fragments = true;
  s.total_length_override = 28;
  const Frame whole = PacketBuilder().ipv4(s).tcp(1234, 80, tcp_flag::kSyn).build();
  const Frame f(whole.begin(), whole.begin() + 28);
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_TRUE(p.first_fragment);
  EXPECT_TRUE(p.has_ports);
  EXPECT_FALSE(p.has_transport);
  EXPECT_EQ(p.transport_error, DecodeError::TruncatedTransport);
}

TEST(Ipv4, ZeroTotalLength_IsWhatWasCaptured) {
  // TCP segmentation offload leaves 0 in locally sent packets; tshark reads
  // the captured length instead (tcpdump's ipv4_tcp_http_xml_tso.pcap).
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.total_length_override = 0;
  const Frame f = PacketBuilder().ethernet().ipv4(s).tcp(1, 2, tcp_flag::kAck).payload(std::string(3000, 'x')).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_length, 20u + 20 + 3000);
  EXPECT_EQ(p.payload_length, 3000u);
}

TEST(Ipv4, VersionNotFour_IsBadHeader) {
  Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  f[14] = 0x65;
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::BadIpHeader);
  EXPECT_FALSE(p.has_ports);
}

TEST(Ipv4, ShorterThanTwentyBytes_IsTruncatedIp) {
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ipv4, Frame(f.begin(), f.begin() + 19), p), DecodeError::TruncatedIp);
  EXPECT_EQ(decode(LinkType::Ipv4, Frame{}, p), DecodeError::TruncatedIp);
}

TEST(Ipv4, OptionsCutBySnapLength_IsTruncatedIpWithAddresses) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.options = std::vector<std::uint8_t>(40, 1);  // 40 bytes of NOPs: IHL 15
  const Frame f = PacketBuilder().ipv4(s).udp(1, 2).build();
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ipv4, Frame(f.begin(), f.begin() + 40), p), DecodeError::TruncatedIp);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
  ASSERT_EQ(decode(LinkType::Ipv4, f, p), DecodeError::None);
  EXPECT_EQ(p.payload_offset, 60u + 8);
}

TEST(Ipv4, GreTunnel_IsOuterPacketWithoutPorts) {
  const Frame inner = PacketBuilder().ipv4("192.168.0.1", "192.168.0.2").udp(53, 53).build();
  std::vector<std::uint8_t> gre = {0x00, 0x00, 0x08, 0x00};
  gre.insert(gre.end(), inner.begin(), inner.end());
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.proto = 47;
  const Frame f = PacketBuilder().ethernet().ipv4(s).payload(gre).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 47);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.payload_length, gre.size());
}

TEST(Ipv4, EveryPrefixWithOptions_NeverReadsPastTheCut) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.options = {0x94, 0x04, 0x00, 0x00, 1, 1, 1, 0};
  const Frame f = PacketBuilder().ethernet().vlan(1).ipv4(s).tcp(1, 2, tcp_flag::kAck).payload("abc").build();
  EXPECT_EQ(decode_all_prefixes(LinkType::Ethernet, f), static_cast<int>(f.size()) - (18 + 28 + 4));
}

}  // namespace
}  // namespace wiretop::proto::test
