// TCP: header fields, options, and what a cut or bogus header still yields.

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

namespace tf = tcp_flag;

TEST(Tcp, Options_MssWindowScaleSackTimestamps) {
  testing::TcpSpec s;
  s.sport = 1;
  s.dport = 2;
  s.flags = tf::kSyn;
  s.options = {2, 4, 0x05, 0xb4,                         // MSS 1460
               1, 3, 3, 7,                               // NOP, window scale 7
               4, 2,                                     // SACK permitted
               8, 10, 0, 0, 0, 1, 0, 0, 0, 2,            // timestamps 1, 2
               5, 10, 0, 0, 0, 1, 0, 0, 0, 2};           // one SACK block
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(s).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  const TcpOptions& o = p.tcp_options;
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.has_window_scale);
  EXPECT_EQ(o.window_scale, 7);
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_TRUE(o.has_timestamps);
  EXPECT_EQ(o.ts_val, 1u);
  EXPECT_EQ(o.ts_ecr, 2u);
  EXPECT_EQ(o.sack_blocks, 1);
  decode_all_prefixes(LinkType::Ethernet, f);
}

TEST(Tcp, MalformedOptions_StopOptionsNotThePacket) {
  testing::TcpSpec s;
  s.sport = 1;
  s.dport = 2;
  s.options = {2, 4, 0x05, 0xb4, 8, 0, 1, 1};  // timestamps with length 0
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(s).payload("x").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_EQ(p.tcp_options.mss, 1460);
  EXPECT_FALSE(p.tcp_options.has_timestamps);
  EXPECT_EQ(p.payload_length, 1u);
}

TEST(Tcp, BogusDataOffset_KeepsPortsAndSaysWhy) {
  Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(80, 81, 0).build();
  f[14 + 20 + 12] = 0x30;  // data offset 3 words
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_ports);
  EXPECT_FALSE(p.has_transport);
  EXPECT_EQ(p.transport_error, DecodeError::BadTransportHeader);
}

TEST(Tcp, HeaderCutAfterPorts_KeepsPorts) {
  const Frame full = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(80, 81, 0).build();
  const Frame cut(full.begin(), full.begin() + 14 + 20 + 6);
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, cut, p), DecodeError::None);
  EXPECT_TRUE(p.has_ports);
  EXPECT_EQ(p.transport_error, DecodeError::TruncatedTransport);
  const Frame tiny(full.begin(), full.begin() + 14 + 20 + 3);
  EXPECT_EQ(decode(LinkType::Ethernet, tiny, p), DecodeError::TruncatedTransport);
  EXPECT_EQ(p.src.to_string(), "10.0.0.1");  // addresses survive for counting by pair
}

TEST(Tcp, AllFlagBits_AreReported) {
  const std::uint8_t all = tf::kFin | tf::kSyn | tf::kRst | tf::kPsh | tf::kAck | tf::kUrg |
                           tf::kEce | tf::kCwr;
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, all, 0xFFFFFFFFu, 0x80000000u).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_EQ(p.tcp_flags, all);
  EXPECT_EQ(p.seq, 0xFFFFFFFFu);
  EXPECT_EQ(p.ack, 0x80000000u);
  EXPECT_EQ(p.window, 65535);
  EXPECT_EQ(p.transport_error, DecodeError::None);
}

TEST(Tcp, ThreeSackBlocks_AreCounted) {
  testing::TcpSpec s;
  s.sport = 1;
  s.dport = 2;
  s.flags = tf::kAck;
  s.options = {1, 1, 5, 26};
  s.options.resize(s.options.size() + 24, 0x11);
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(s).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_EQ(p.tcp_options.sack_blocks, 3);
}

TEST(Tcp, EndOfOptionList_StopsBeforeLaterBytes) {
  testing::TcpSpec s;
  s.sport = 1;
  s.dport = 2;
  s.options = {0, 2, 4, 0x05, 0xb4};  // EOL, then what would be an MSS
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(s).build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_EQ(p.tcp_options.mss, 0);
}

TEST(Tcp, OptionRunningPastTheHeader_StopsOptionsKeepsEarlierOnes) {
  testing::TcpSpec s;
  s.sport = 1;
  s.dport = 2;
  s.options = {3, 3, 9, 8, 10, 0, 0};  // window scale 9, then timestamps claiming 10 bytes in 4
  const Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(s).payload("data").build();
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_TRUE(p.tcp_options.has_window_scale);
  EXPECT_EQ(p.tcp_options.window_scale, 9);
  EXPECT_FALSE(p.tcp_options.has_timestamps);
  EXPECT_EQ(p.payload_length, 4u);  // the payload is found by the data offset, not the options
}

TEST(Tcp, OptionsCutBySnapLength_ParsedAsFarAsCaptured) {
  testing::TcpSpec s;
  s.sport = 1;
  s.dport = 2;
  s.flags = tf::kSyn;
  s.options = {2, 4, 0x05, 0xb4, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
  const Frame full = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(s).build();
  const Frame cut(full.begin(), full.begin() + 14 + 20 + 20 + 8);
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Ethernet, cut, p), DecodeError::None);
  EXPECT_TRUE(p.has_transport);
  EXPECT_EQ(p.tcp_options.mss, 1460);
  EXPECT_FALSE(p.tcp_options.has_timestamps);
  EXPECT_EQ(p.payload_offset, cut.size());
  EXPECT_EQ(p.payload_length, 0u);
}

TEST(Tcp, DataOffsetBeyondIpLength_HasNoPayload) {
  Frame f = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").tcp(80, 81, tf::kAck).build();
  f[20 + 12] = 0xF0;  // 60-byte header in a 20-byte segment
  DecodedPacket p;
  ASSERT_EQ(decode(LinkType::Raw, f, p), DecodeError::None);
  EXPECT_TRUE(p.has_ports);
  EXPECT_EQ(p.payload_length, 0u);
  EXPECT_EQ(p.payload_wire_length, 0u);
  expect_within_frame(p, f.size());
}

TEST(Tcp, FewerThanFourBytes_IsTruncatedTransportButKeepsAddresses) {
  const Frame full = PacketBuilder().ipv6("fd00::1", "fd00::2").tcp(80, 81, 0).build();
  const Frame cut(full.begin(), full.begin() + 40 + 3);
  DecodedPacket p;
  EXPECT_EQ(decode(LinkType::Ipv6, cut, p), DecodeError::TruncatedTransport);
  EXPECT_FALSE(p.has_ports);
  EXPECT_EQ(p.src.to_string(), "fd00::1");
  EXPECT_EQ(p.ip_proto, 6);
}

TEST(Tcp, EveryPrefix_PortsOnceFourBytesOfHeaderArePresent) {
  testing::TcpSpec s;
  s.sport = 443;
  s.dport = 50000;
  s.flags = tf::kSyn | tf::kAck;
  s.options = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 3, 3, 7};
  const Frame f = PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(s).payload("hi").build();
  EXPECT_EQ(decode_all_prefixes(LinkType::Ethernet, f), static_cast<int>(f.size()) - (14 + 20 + 4));
}

}  // namespace
}  // namespace wiretop::proto::test
