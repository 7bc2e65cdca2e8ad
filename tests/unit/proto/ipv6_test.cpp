// IPv6: the fixed header, the extension header chain, fragments and jumbograms.

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

namespace tf = tcp_flag;

Frame jumbogram(std::uint32_t jumbo_length, const std::string& payload) {
  testing::Ipv6Spec s;
  s.src = "fd00::1";
  s.dst = "fd00::2";
  s.payload_length_override = 0;
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(jumbo_length >> 24),
                             static_cast<std::uint8_t>(jumbo_length >> 16),
                             static_cast<std::uint8_t>(jumbo_length >> 8),
                             static_cast<std::uint8_t>(jumbo_length)};
  return PacketBuilder().ipv6(s).ipv6_ext(0, {0xC2, 4, b[0], b[1], b[2], b[3]})
      .tcp(5001, 40000, tf::kAck).payload(payload).build();
}

TEST(Ipv6, ExtensionChain_FinalProtocolAndPorts) {
  const Frame f = PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2")
                      .ipv6_ext(0, {1, 4, 0, 0, 0, 0})           // hop-by-hop with PadN
                      .ipv6_ext(43, {0, 0, 0, 0, 0, 0})          // routing
                      .ipv6_ext(60, {1, 4, 0, 0, 0, 0})          // destination options
                      .udp(5353, 5353).payload("m").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_EQ(p.src_port, 5353);
  EXPECT_EQ(p.ip_length, 40u + 24 + 8 + 1);
  EXPECT_EQ(p.payload_length, 1u);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(Ipv6, FragmentHeader_FirstHasPortsLaterDoNot) {
  const Frame first = PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2")
                          .ipv6_fragment(77, 0, true).udp(1, 2).payload(std::string(40, 'a')).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, first, p), DecodeError::None);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.first_fragment);
  EXPECT_EQ(p.frag_id, 77u);
  EXPECT_TRUE(p.has_ports);

  Frame later = PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2")
                    .ipv6_fragment(77, 48, false).payload(std::string(20, 'b')).build();
  later[14 + 40] = 17;  // the fragment header's next header: UDP
  ASSERT_EQ(decode(LinkType::Ethernet, later, p), DecodeError::None);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.first_fragment);
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.ip_proto, 17);
}

TEST(Ipv6, AtomicFragment_IsAWholePacket) {
  const Frame f = PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2")
                      .ipv6_fragment(5, 0, false).tcp(1, 2, 0).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_FALSE(p.is_fragment);
  EXPECT_TRUE(p.has_ports);
}

TEST(Ipv6, ExtensionRunningPastPacket_IsBadExtension) {
  Frame f = PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2").ipv6_ext(0, {1, 4, 0, 0, 0, 0})
                .udp(1, 2).build();
  f[14 + 41] = 200;  // hop-by-hop length: 1608 bytes
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::BadIpv6Extension);
}

TEST(Ipv6, NoNextHeader_HasNoTransport) {
  testing::Ipv6Spec s;
  s.src = "fd00::1";
  s.dst = "fd00::2";
  s.next_header = 59;
  const Frame f = PacketBuilder().ethernet().ipv6(s).payload("zz").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.ip_proto, 59);
}

TEST(Ipv6, WrongVersion_IsBadHeader) {
  Frame f = PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2").udp(1, 2).build();
  f[14] = 0x45;
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::BadIpHeader);
}

TEST(Ipv6, FixedHeaderFields) {
  testing::Ipv6Spec s;
  s.src = "2001:db8::1";
  s.dst = "2001:db8::2";
  s.hop_limit = 7;
  const Frame f = PacketBuilder().ethernet().ipv6(s).tcp(1, 2, tf::kSyn).payload("abc").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv6);
  EXPECT_EQ(p.src.to_string(), "2001:db8::1");
  EXPECT_EQ(p.dst.to_string(), "2001:db8::2");
  EXPECT_EQ(p.ttl, 7);
  EXPECT_EQ(p.l3_offset, 14u);
  EXPECT_EQ(p.ip_length, 40u + 20 + 3);
  EXPECT_EQ(p.payload_offset, 14u + 40 + 20);
  EXPECT_EQ(p.payload_length, 3u);
}

TEST(Ipv6, AuthenticationHeader_IsSkippedByItsOwnLengthUnit) {
  // AH length counts 4-octet units minus 2 (RFC 4302): 4 means 24 bytes.
  const Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").ipv6_ext(60).udp(7, 8).build();
  Frame ah = {17, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  Frame g(f.begin(), f.begin() + 40);
  g[6] = 51;
  g[5] = static_cast<std::uint8_t>(ah.size() + 8);
  g.insert(g.end(), ah.begin(), ah.end());
  g.insert(g.end(), f.end() - 8, f.end());
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, g, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_EQ(p.src_port, 7);
  decode_all_prefixes(LinkType::Ipv6, g);
}

TEST(Ipv6, ExtensionCutBySnapLength_IsBadExtensionButKeepsAddresses) {
  const Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").ipv6_ext(0, std::vector<std::uint8_t>(30, 1))
                      .udp(1, 2).build();
  const Frame cut(f.begin(), f.begin() + 50);
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ipv6, cut, p), DecodeError::BadIpv6Extension);
  EXPECT_EQ(p.src.to_string(), "fd00::1");
  EXPECT_FALSE(p.has_ports);
}

TEST(Ipv6, ShorterThanFixedHeader_IsTruncatedIp) {
  const Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").udp(1, 2).build();
  const Frame cut(f.begin(), f.begin() + 39);
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ipv6, cut, p), DecodeError::TruncatedIp);
}

TEST(Ipv6, PayloadLengthBeyondCapture_DecodesWhatWasCaptured) {
  const Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").tcp(1, 2, tf::kAck).payload(std::string(100, 'x')).build();
  const Frame cut(f.begin(), f.begin() + 40 + 20 + 10);
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, cut, p), DecodeError::None);
  EXPECT_EQ(p.ip_length, 160u);
  EXPECT_EQ(p.payload_length, 10u);
  EXPECT_EQ(p.payload_wire_length, 100u);
}

TEST(Ipv6, Jumbogram_TakesItsLengthFromTheJumboOption) {
  // RFC 2675: payload length 0, the hop-by-hop jumbo option holds the length
  // after the fixed header (here the capture holds only the start of it).
  const Frame f = jumbogram(8 + 20 + 70000, std::string(100, 'j'));
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_length, 40u + 8 + 20 + 70000);
  EXPECT_TRUE(p.has_transport);
  EXPECT_EQ(p.src_port, 5001);
  EXPECT_EQ(p.payload_length, 100u);
  EXPECT_EQ(p.payload_wire_length, 70000u);
  decode_all_prefixes(LinkType::Ipv6, f);
}

TEST(Ipv6, JumboLengthNear4GiB_DoesNotWrapIpLength) {
  const Frame f = jumbogram(0xFFFFFFFFu, "x");
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_length, 0xFFFFFFFFu);
  EXPECT_GE(p.payload_wire_length, p.payload_length);
}

TEST(Ipv6, ZeroPayloadLengthWithoutJumbo_IsWhatWasCaptured) {
  // Segmentation-offload captures (and tcpdump's ipv6_missing_jumbo_payload_option).
  testing::Ipv6Spec s;
  s.src = "fd00::1";
  s.dst = "fd00::2";
  s.payload_length_override = 0;
  const Frame f = PacketBuilder().ipv6(s).tcp(1, 2, tf::kAck).payload(std::string(30, 'y')).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_length, f.size());
  EXPECT_EQ(p.payload_length, 30u);
}

TEST(Ipv6, TunnelledIpv4_CountsTheOuterHeaderOnly) {
  const Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 4);
  EXPECT_FALSE(p.has_ports);
  EXPECT_FALSE(p.has_transport);
  EXPECT_EQ(p.payload_offset, 40u);
  EXPECT_EQ(p.payload_length, 28u);
}

TEST(Ipv6, LaterFragmentWhoseBytesLookLikeHeaders_IsNotWalked) {
  // A non-first fragment's data is not a header even if its next header says 0.
  Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").ipv6_fragment(9, 1448, true)
                .payload(std::string(16, '\xff')).build();
  f[40] = 0;  // "hop-by-hop" next: would claim 2 KB if walked
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 0);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_EQ(p.frag_id, 9u);
  EXPECT_EQ(p.payload_offset, 48u);
  EXPECT_EQ(p.payload_length, 16u);
}

TEST(Ipv6, EveryPrefixOfALongChain_NeverReadsPastTheCut) {
  const Frame f = PacketBuilder().ethernet().vlan(3).ipv6("fd00::1", "fd00::2")
                      .ipv6_ext(0, {1, 4, 0, 0, 0, 0}).ipv6_ext(43, {0, 0, 0, 0, 0, 0})
                      .ipv6_fragment(1, 0, true).ipv6_ext(60).tcp(1, 2, tf::kSyn).payload("p").build();
  decode_all_prefixes(LinkType::Ethernet, f);
}

}  // namespace
}  // namespace wiretop::proto::test
