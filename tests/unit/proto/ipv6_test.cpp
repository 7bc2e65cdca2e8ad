#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

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

}  // namespace
}  // namespace wiretop::proto::test
