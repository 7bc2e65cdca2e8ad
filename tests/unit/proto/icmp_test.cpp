// ICMP and ICMPv6: type/code, echo identifiers, and the header an error quotes.

#include <pthread.h>

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

namespace tf = tcp_flag;

TEST(Icmp, EchoRequest_IdAndSequence) {
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").icmp(8, 0, 0x1234, 9).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 1);
  EXPECT_EQ(p.icmp_type, 8);
  EXPECT_TRUE(p.has_transport);
  EXPECT_TRUE(p.icmp_is_echo);
  EXPECT_FALSE(p.icmp_is_error);
  EXPECT_EQ(p.icmp_id, 0x1234);
  EXPECT_EQ(p.icmp_seq, 9);
  EXPECT_FALSE(p.has_ports);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(Icmp, EchoReply_IsEchoToo) {
  const Frame f = PacketBuilder().ipv4("10.0.0.2", "10.0.0.1").icmp(0, 0, 7, 8).payload("ping").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_TRUE(p.icmp_is_echo);
  EXPECT_EQ(p.icmp_id, 7);
  EXPECT_EQ(p.payload_offset, 28u);
  EXPECT_EQ(p.payload_length, 4u);
}

TEST(Icmp, V6EchoRequestAndReply_IdAndSequence) {
  for (const std::uint8_t type : {128, 129}) {
    const Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").icmp(type, 0, 0xbeef, 3).build();
    DecodedPacket p;
    ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
    EXPECT_EQ(p.ip_proto, 58);
    EXPECT_TRUE(p.icmp_is_echo);
    EXPECT_EQ(p.icmp_id, 0xbeef);
    EXPECT_EQ(p.icmp_seq, 3);
    decode_all_prefixes(LinkType::Ipv6, f);
  }
}

TEST(Icmp, V4TypeNumbersOfV6Echo_AreNotEcho) {
  // 128 is ICMPv6 echo request, but in ICMPv4 it is an unassigned type.
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").icmp(128, 0, 1, 1).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_transport);
  EXPECT_FALSE(p.icmp_is_echo);
}

TEST(Icmp, ErrorQuotesInnerUdpHeader) {
  const Frame inner = PacketBuilder().ipv4("10.0.0.2", "10.0.0.9").udp(5000, 33434).payload("probe").build();
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").icmp_error(11, 0, inner).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_TRUE(p.icmp_is_error);
  EXPECT_FALSE(p.icmp_is_echo);
  ASSERT_TRUE(p.quoted.present);
  EXPECT_EQ(p.quoted.src.to_string(), "10.0.0.2");
  EXPECT_EQ(p.quoted.dst.to_string(), "10.0.0.9");
  EXPECT_EQ(p.quoted.ip_proto, 17);
  EXPECT_TRUE(p.quoted.has_ports);
  EXPECT_EQ(p.quoted.src_port, 5000);
  EXPECT_EQ(p.quoted.dst_port, 33434);
  // The error itself belongs to no TCP/UDP connection.
  EXPECT_FALSE(p.has_ports);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(Icmp, EveryV4ErrorType_QuotesItsPacket) {
  const Frame inner = PacketBuilder().ipv4("10.0.0.2", "10.0.0.9").tcp(1234, 80, tf::kSyn).build();
  for (const std::uint8_t type : {3, 4, 5, 11, 12}) {
    const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").icmp_error(type, 0, inner).build();
    DecodedPacket p;
    ASSERT_EQ(decode(LinkType::Ipv4, f, p), DecodeError::None);
    EXPECT_TRUE(p.icmp_is_error) << int{type};
    EXPECT_TRUE(p.quoted.has_ports) << int{type};
    EXPECT_EQ(p.quoted.dst_port, 80);
  }
}

TEST(Icmp, ErrorQuotingOnlyEightBytes_StillHasPorts) {
  // RFC 792 promises the IP header plus 64 bits: enough for the ports, not the TCP header.
  const Frame whole = PacketBuilder().ipv4("10.0.0.2", "10.0.0.9").tcp(1234, 80, tf::kSyn).build();
  const Frame inner(whole.begin(), whole.begin() + 28);
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").icmp_error(3, 3, inner).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv4, f, p), DecodeError::None);
  ASSERT_TRUE(p.quoted.present);
  EXPECT_TRUE(p.quoted.has_ports);
  EXPECT_EQ(p.quoted.src_port, 1234);
}

TEST(Icmp, ErrorQuotingNonFirstFragment_HasNoPorts) {
  testing::Ipv4Spec s;
  s.src = "10.0.0.2";
  s.dst = "10.0.0.9";
  s.frag_offset_bytes = 1480;
  s.proto = 17;
  const Frame inner = PacketBuilder().ipv4(s).payload("not a udp header").build();
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").icmp_error(11, 1, inner).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv4, f, p), DecodeError::None);
  ASSERT_TRUE(p.quoted.present);
  EXPECT_EQ(p.quoted.ip_proto, 17);
  EXPECT_FALSE(p.quoted.has_ports);
}

TEST(Icmp, ErrorWithGarbageQuote_HasNoQuotedHeader) {
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2")
                      .icmp_error(3, 1, Frame{0x99, 1, 2, 3, 4, 5, 6, 7, 8}).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv4, f, p), DecodeError::None);
  EXPECT_TRUE(p.icmp_is_error);
  EXPECT_FALSE(p.quoted.present);
}

TEST(Icmp, V6ErrorQuotesInnerTcpHeader) {
  const Frame inner = PacketBuilder().ipv6("fd00::2", "fd00::9").tcp(4000, 443, tf::kSyn).build();
  const Frame f = PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2").icmp_error(1, 4, inner).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.ip_proto, 58);
  EXPECT_TRUE(p.icmp_is_error);
  ASSERT_TRUE(p.quoted.present);
  EXPECT_EQ(p.quoted.dst.to_string(), "fd00::9");
  EXPECT_EQ(p.quoted.src_port, 4000);
  EXPECT_EQ(p.quoted.dst_port, 443);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(Icmp, EveryV6ErrorType_QuotesItsPacket) {
  const Frame inner = PacketBuilder().ipv6("fd00::2", "fd00::9").udp(53, 5353).build();
  for (const std::uint8_t type : {1, 2, 3, 4}) {
    const Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").icmp_error(type, 0, inner).build();
    DecodedPacket p;
    ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
    EXPECT_TRUE(p.icmp_is_error) << int{type};
    EXPECT_EQ(p.quoted.src_port, 53) << int{type};
  }
}

TEST(Icmp, V6ErrorQuotingExtensionHeaders_FindsThePorts) {
  const Frame inner = PacketBuilder().ipv6("fd00::2", "fd00::9").ipv6_ext(60).udp(53, 5353).build();
  const Frame f = PacketBuilder().ipv6("fd00::1", "fd00::2").icmp_error(4, 1, inner).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ipv6, f, p), DecodeError::None);
  EXPECT_EQ(p.quoted.ip_proto, 17);
  EXPECT_EQ(p.quoted.dst_port, 5353);
}

TEST(Icmp, ShorterThanTypeCodeChecksum_IsTruncatedTransport) {
  const Frame whole = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").icmp(8, 0, 1, 1).build();
  const Frame cut(whole.begin(), whole.begin() + 23);
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Raw, cut, p), DecodeError::TruncatedTransport);
  EXPECT_FALSE(p.has_transport);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");
}

// An error quoting an error quoting an error ...: every level costs only 28
// bytes, so a 256 KiB frame could nest thousands deep. Decoding it on a small
// stack proves the decoder does not recurse once per level.
Frame nested_icmp_errors(std::size_t levels) {
  const std::uint8_t level[28] = {0x45, 0, 0, 0,  // total length 0: "as captured"
                                  0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
                                  3, 1, 0, 0, 0, 0, 0, 0};
  Frame f;
  for (std::size_t i = 0; i < levels; ++i) f.insert(f.end(), level, level + sizeof level);
  return f;
}

void* decode_nested(void* arg) {
  const Frame& f = *static_cast<const Frame*>(arg);
  DecodedPacket p;
  const DecodeError e = decode(LinkType::Ipv4, f, p);
  return reinterpret_cast<void*>(e == DecodeError::None && p.icmp_is_error && p.quoted.present);
}

TEST(Icmp, ErrorsQuotingErrorsThousandsDeep_DecodeOnASmallStack) {
  const Frame f = nested_icmp_errors(9000);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  ASSERT_EQ(pthread_create(&thread, &attr, decode_nested, const_cast<Frame*>(&f)), 0);
  void* ok = nullptr;
  pthread_join(thread, &ok);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(ok != nullptr);
}

}  // namespace
}  // namespace wiretop::proto::test
