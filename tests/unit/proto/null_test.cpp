// DLT_NULL and DLT_LOOP: a 4-byte address family before IP.

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

TEST(Null, HostOrderFamilies_Ipv4AndIpv6) {
  const Frame v4 = PacketBuilder().null_family(2).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  const Frame v6 = PacketBuilder().null_family(30).ipv6("::1", "::2").udp(3, 4).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Null, v4, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv4);
  ASSERT_EQ(decode(LinkType::Null, v6, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv6);
  decode_all_prefixes(LinkType::Null, v6);
}

TEST(Null, EveryBsdIpv6Family_IsIpv6) {
  for (const std::uint32_t family : {24u, 28u, 30u}) {
    const Frame f = PacketBuilder().null_family(family).ipv6("::1", "::1").tcp(1, 2, 0).build();
    DecodedPacket p;
    ASSERT_EQ(decode(LinkType::Null, f, p), DecodeError::None) << family;
    EXPECT_EQ(p.l3_offset, 4u);
    EXPECT_TRUE(p.has_ports);
  }
}

TEST(Null, UnknownFamily_IsUnsupported) {
  const Frame f = PacketBuilder().null_family(7).ipv4("127.0.0.1", "127.0.0.1").udp(1, 2).build();
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Null, f, p), DecodeError::UnsupportedLink);
}

TEST(Null, ShorterThanFamily_IsTruncatedLink) {
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Null, Frame{2, 0, 0}, p), DecodeError::TruncatedLink);
  EXPECT_EQ(decode(LinkType::Loop, Frame{}, p), DecodeError::TruncatedLink);
}

TEST(Loop, NetworkOrderFamily) {
  Frame f = PacketBuilder().null_family(0).ipv4("127.0.0.1", "127.0.0.2").udp(1, 2).build();
  f[3] = 2;  // AF_INET, big endian
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Loop, f, p), DecodeError::None);
  EXPECT_EQ(p.dst.to_string(), "127.0.0.2");
  // The same bytes read in host order are family 0x02000000: not IP.
  EXPECT_EQ(decode(LinkType::Null, f, p), DecodeError::UnsupportedLink);
  const Frame v6 = PacketBuilder().null_family(0x18000000u).ipv6("::1", "::2").udp(3, 4).build();
  ASSERT_EQ(decode(LinkType::Loop, v6, p), DecodeError::None);
  EXPECT_EQ(p.l3, L3::Ipv6);
  decode_all_prefixes(LinkType::Loop, v6);
}

}  // namespace
}  // namespace wiretop::proto::test
