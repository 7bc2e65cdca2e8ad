// The entry point: link-type dispatch, reset of the result, error names.

#include <cstring>

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

TEST(Decode, RawLinkPicksVersionFromFirstNibble) {
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

TEST(Decode, RawLinkOtherVersion_IsUnsupported) {
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Raw, Frame{0x50, 0, 0, 0}, p), DecodeError::UnsupportedLink);
  EXPECT_EQ(decode(LinkType::Raw, Frame{}, p), DecodeError::TruncatedIp);
}

TEST(Decode, Ipv4LinkCarryingIpv6_IsBadIpHeader) {
  const Frame v6 = PacketBuilder().ipv6("::1", "::2").udp(3, 4).build();
  const Frame v4 = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(3, 4).build();
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ipv4, v6, p), DecodeError::BadIpHeader);
  EXPECT_EQ(decode(LinkType::Ipv6, v4, p), DecodeError::BadIpHeader);
  ASSERT_EQ(decode(LinkType::Ipv6, v6, p), DecodeError::None);
  EXPECT_EQ(p.l3_offset, 0u);
}

TEST(Decode, ResultIsResetBetweenPackets) {
  const Frame tcp = PacketBuilder().ethernet().vlan(5).ipv4("10.0.0.1", "10.0.0.2")
                        .icmp_error(3, 3, PacketBuilder().ipv4("10.0.0.2", "10.0.0.1").udp(1, 2).build()).build();
  const Frame arp = PacketBuilder().ethernet().arp(1, testing::kMacA, "10.0.0.1", testing::Mac{}, "10.0.0.2").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, tcp, p), DecodeError::None);
  ASSERT_TRUE(p.quoted.present);
  ASSERT_EQ(decode(LinkType::Ethernet, arp, p), DecodeError::None);
  EXPECT_FALSE(p.has_vlan);
  EXPECT_FALSE(p.quoted.present);
  EXPECT_FALSE(p.icmp_is_error);
  EXPECT_FALSE(p.has_transport);
  EXPECT_TRUE(p.src.empty());
  EXPECT_EQ(p.ip_proto, 0);
}

TEST(Decode, ResultDoesNotDependOnWhatWasInItBefore) {
  const Frame f = PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2").udp(1, 2).build();
  DecodedPacket fresh, dirty;
  std::memset(static_cast<void*>(&dirty), 0xA5, sizeof dirty);
  ASSERT_EQ(decode(LinkType::Ethernet, f, fresh), DecodeError::None);
  ASSERT_EQ(decode(LinkType::Ethernet, f, dirty), DecodeError::None);
  EXPECT_EQ(std::memcmp(&fresh, &dirty, sizeof fresh), 0);
  EXPECT_FALSE(dirty.has_vlan);
  EXPECT_FALSE(dirty.quoted.present);
  EXPECT_EQ(dirty.tcp_options.mss, 0);
}

TEST(Decode, UnknownLinkTypeValue_IsUnsupported) {
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(3, 4).build();
  DecodedPacket p;
  EXPECT_EQ(decode(static_cast<LinkType>(200), f, p), DecodeError::UnsupportedLink);
}

TEST(Decode, EveryErrorHasItsOwnName) {
  std::vector<std::string_view> names;
  for (int i = 0; i < static_cast<int>(DecodeError::kCount); ++i) {
    const auto name = decode_error_name(static_cast<DecodeError>(i));
    EXPECT_NE(name, "unknown") << i;
    for (const auto other : names) EXPECT_NE(name, other);
    names.push_back(name);
  }
  EXPECT_EQ(decode_error_name(DecodeError::None), "none");
}

}  // namespace
}  // namespace wiretop::proto::test
