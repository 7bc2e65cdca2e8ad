// NTP dissector: version, mode and stratum from real and hand-built packets;
// probe strictness on truncated, garbage and non-NTP datagrams.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kNtp;

namespace {

using testing::from_hex;
using testing::probe;
using testing::run_session;
using testing::udp_flow;
using Message = std::vector<std::uint8_t>;

// NTPv4.pcap: a v4 client packet (mode 3) with stratum 2 (tshark agrees).
const Message kClient = from_hex(
    "230207eb00000450000003ab83bc03dfd94f51c33165b860d944575530336fd0"
    "d944575531b4e978d94f51f42d26e2f4");
// Hand-built server reply: v4, mode 4, stratum 1, poll 7, precision -20.
const Message kServer = from_hex(
    "240107ec0000000000000010475053 00"
    "d94f51c33165b860 d944575530336fd0 d944575531b4e978 d94f51f42d26e2f4");
// An SNTP client request: everything but the first byte is zero.
const Message kSntp = [] {
  Message m(48, 0);
  m[0] = 0x1b;  // v3, mode 3
  return m;
}();

AppInfo ntp(const std::vector<std::pair<Direction, Message>>& datagrams) {
  return run_session(kNtp, udp_flow(123, 123), datagrams);
}

TEST(Ntp, CapturedClientPacketGivesVersionModeAndStratum) {
  EXPECT_EQ(probe(kNtp, udp_flow(123), Direction::ToServer, kClient), Match::Yes);
  const AppInfo out = ntp({{Direction::ToServer, kClient}});
  EXPECT_EQ(out.ntp_version, 4);
  EXPECT_EQ(out.ntp_mode, 3);
  EXPECT_EQ(out.ntp_stratum, 2);
}

TEST(Ntp, ServerStratumReplacesTheClientsAndModeStaysTheFirst) {
  const AppInfo out = ntp({{Direction::ToServer, kSntp}, {Direction::ToClient, kServer}});
  EXPECT_EQ(out.ntp_version, 3);
  EXPECT_EQ(out.ntp_mode, 3);
  EXPECT_EQ(out.ntp_stratum, 1);
}

TEST(Ntp, ContentIsEnoughOnAnyPort) {
  EXPECT_EQ(probe(kNtp, udp_flow(4000, 5000), Direction::ToServer, kSntp), Match::Yes);
}

TEST(Ntp, MacAndExtensionLengthsAreAcceptedOddLengthsAreNot) {
  Message with_mac = kClient;
  with_mac.resize(48 + 20, 0x5a);  // key id + MD5
  EXPECT_EQ(probe(kNtp, udp_flow(123), Direction::ToServer, with_mac), Match::Yes);
  Message odd = kClient;
  odd.push_back(0);
  EXPECT_EQ(probe(kNtp, udp_flow(123), Direction::ToServer, odd), Match::No);
}

TEST(Ntp, ControlModeCountsOnlyOnPort123) {
  // Mode 6 READVAR request: v2, opcode 2, sequence 1, no data.
  const Message control = from_hex("1602000100000000 00000000");
  EXPECT_EQ(probe(kNtp, udp_flow(123), Direction::ToServer, control), Match::Yes);
  EXPECT_EQ(probe(kNtp, udp_flow(9999), Direction::ToServer, control), Match::No);
  const AppInfo out = ntp({{Direction::ToServer, control}});
  EXPECT_EQ(out.ntp_mode, 6);
  EXPECT_EQ(out.ntp_stratum, -1);
  // A count larger than the data present is not a control message.
  EXPECT_EQ(probe(kNtp, udp_flow(123), Direction::ToServer, from_hex("160200010000000000000004")),
            Match::No);
}

TEST(Ntp, BadVersionModeStratumPollOrPrecisionIsRejected) {
  const auto flow = udp_flow(123);
  for (auto [offset, value] : std::vector<std::pair<int, std::uint8_t>>{
           {0, 0x03}, {0, 0x2b}, {0, 0x20}, {1, 17}, {2, 18}, {2, 0xf0}, {3, 0x10}, {3, 0xd0}}) {
    Message m = kClient;
    m[static_cast<std::size_t>(offset)] = value;
    EXPECT_EQ(probe(kNtp, flow, Direction::ToServer, m), Match::No) << offset << " " << int{value};
  }
}

TEST(Ntp, EveryTruncationIsRejected) {
  for (std::size_t size = 0; size < kClient.size(); ++size) {
    const Message cut(kClient.begin(), kClient.begin() + static_cast<long>(size));
    EXPECT_EQ(probe(kNtp, udp_flow(123), Direction::ToServer, cut), Match::No) << size;
    EXPECT_EQ(ntp({{Direction::ToServer, cut}}).ntp_version, -1) << size;
  }
}

TEST(Ntp, GarbageIsMostlyRejectedAndNeverCrashes) {
  std::uint32_t x = 7;
  int accepted = 0;
  for (int i = 0; i < 2000; ++i) {
    Message g;
    for (int j = 0; j < 48 + (i % 5) * 4; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    if (probe(kNtp, udp_flow(4000), Direction::ToServer, g) == Match::Yes) ++accepted;
    ntp({{Direction::ToServer, g}});
  }
  EXPECT_LE(accepted, 2);
}

}  // namespace
}  // namespace wiretop::dpi
