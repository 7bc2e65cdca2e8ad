// UDP: ports and payload bounds.

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

TEST(Udp, PortsAndPayload) {
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(5353, 53).payload("query").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_TRUE(p.has_transport);
  EXPECT_TRUE(p.has_ports);
  EXPECT_EQ(p.src_port, 5353);
  EXPECT_EQ(p.dst_port, 53);
  EXPECT_EQ(p.payload_offset, 14u + 20 + 8);
  EXPECT_EQ(p.payload_length, 5u);
  EXPECT_EQ(p.payload_wire_length, 5u);
  EXPECT_EQ(p.tcp_flags, 0);
}

TEST(Udp, LengthFieldBeyondIpLength_PayloadBoundedByIp) {
  // tcpdump's udp-length-heapoverflow: the UDP length is not trusted.
  Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload("abc").build();
  f[20 + 4] = 0xFF;
  f[20 + 5] = 0xFF;
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_ports);
  EXPECT_EQ(p.payload_length, 3u);
  EXPECT_EQ(p.payload_wire_length, 3u);
}

TEST(Udp, FirstFragment_PortsFromTheFragment) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.more_fragments = true;
  s.id = 99;
  const Frame f = PacketBuilder().ipv4(s).udp(53, 40000).payload(std::string(64, 'd')).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_TRUE(p.first_fragment);
  EXPECT_TRUE(p.has_transport);
  EXPECT_EQ(p.src_port, 53);
}

TEST(Udp, CutAfterThePorts_CountsWithAReason) {
  const Frame full = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  const Frame cut(full.begin(), full.begin() + 20 + 6);
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, cut, p), DecodeError::None);
  EXPECT_TRUE(p.has_ports);
  EXPECT_FALSE(p.has_transport);
  EXPECT_EQ(p.transport_error, DecodeError::TruncatedTransport);
}

TEST(Udp, FewerThanFourBytes_IsTruncatedTransport) {
  const Frame full = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  const Frame cut(full.begin(), full.begin() + 20 + 2);
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Raw, cut, p), DecodeError::TruncatedTransport);
  EXPECT_EQ(p.dst.to_string(), "10.0.0.2");
}

TEST(Udp, IpLengthShorterThanUdpHeader_IsTruncatedTransport) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.1";
  s.dst = "10.0.0.2";
  s.total_length_override = 22;  // the IP packet ends two bytes into the UDP header
  const Frame f = PacketBuilder().ipv4(s).udp(1, 2).build();
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Raw, f, p), DecodeError::TruncatedTransport);
}

TEST(Udp, EveryPrefix_NeverReadsPastTheCut) {
  const Frame f = PacketBuilder().sll2().ipv6("fd00::1", "fd00::2").udp(443, 50000)
                      .payload(std::string(30, 'q')).build();
  EXPECT_EQ(decode_all_prefixes(LinkType::LinuxSll2, f), static_cast<int>(f.size()) - (20 + 40 + 4));
}

}  // namespace
}  // namespace wiretop::proto::test
