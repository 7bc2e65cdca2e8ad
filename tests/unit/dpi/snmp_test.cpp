// SNMP dissector: version and community from captured v1, v2c and v3
// messages (snmp.pcap), BER length forms, truncation, garbage.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kSnmp;

namespace {

using testing::from_hex;
using testing::probe;
using testing::run_session;
using testing::udp_flow;
using Message = std::vector<std::uint8_t>;

// snmp.pcap, tshark: version 0 (v1), community "public", GetNextRequest.
const Message kV1GetNext = from_hex(
    "302902010004067075626c6963a11c02044b781a6e020100020100300e300c06082b060102010105000500");
// snmp.pcap: version 1 (v2c), GetResponse.
const Message kV2cResponse = from_hex(
    "303502010104067075626c6963a22802045067d65d020100020100301a301806082b0601020101050004"
    "0c52312e6c61622e6c6f63616c");
// snmp.pcap: v2c trap to port 162, community "public2c", two-byte long-form lengths.
const Message kV2cTrap = from_hex(
    "30819602010104087075626c69633263a7818602011c020100020100307b300f06082b0601020101030043"
    "03034d803017060a2b06010603010104010006092b0601060301010504300f060a2b060102010202010102"
    "0201023019060a2b060102010202010202040b45746865726e6574302f31300f060a2b0601020102020103"
    "020201063012060c2b060104010902020101140204027570");
// snmp.pcap: a v3 discovery GetRequest (no community).
const Message kV3 = from_hex(
    "303e020103301102046c9af56e020300ffe30401040201030410300e0400020100020100040004000400301404"
    "000400a00e0204750558880201000201003000");

AppInfo snmp(const Message& m) {
  return run_session(kSnmp, udp_flow(161), {{Direction::ToServer, m}});
}

TEST(Snmp, V1CaptureGivesVersionAndCommunity) {
  EXPECT_EQ(probe(kSnmp, udp_flow(161), Direction::ToServer, kV1GetNext), Match::Yes);
  const AppInfo out = snmp(kV1GetNext);
  EXPECT_EQ(out.snmp_version, "v1");
  EXPECT_EQ(out.snmp_community, "public");
  EXPECT_EQ(out.cleartext_auth, "snmp_community");
}

TEST(Snmp, V2cResponseAndTrapAreRecognised) {
  EXPECT_EQ(probe(kSnmp, udp_flow(161), Direction::ToClient, kV2cResponse), Match::Yes);
  EXPECT_EQ(snmp(kV2cResponse).snmp_version, "v2c");
  EXPECT_EQ(probe(kSnmp, udp_flow(162), Direction::ToServer, kV2cTrap), Match::Yes);
  const AppInfo trap = snmp(kV2cTrap);
  EXPECT_EQ(trap.snmp_version, "v2c");
  EXPECT_EQ(trap.snmp_community, "public2c");
}

TEST(Snmp, V3HasVersionAndNoCommunity) {
  EXPECT_EQ(probe(kSnmp, udp_flow(161), Direction::ToServer, kV3), Match::Yes);
  const AppInfo out = snmp(kV3);
  EXPECT_EQ(out.snmp_version, "v3");
  EXPECT_EQ(out.snmp_community, "");
  EXPECT_EQ(out.cleartext_auth, "");
}

TEST(Snmp, CaptureCutBySnapLengthIsStillSnmp) {
  // tcpdump's snmp-heapoverflow-1.pcap: declares 304 bytes, has 25.
  const Message cut = from_hex("30820130020103303002043030303002033030300401");
  EXPECT_EQ(probe(kSnmp, udp_flow(161), Direction::ToServer, cut), Match::Yes);
  EXPECT_EQ(snmp(cut).snmp_version, "v3");
}

TEST(Snmp, TrailingBytesUnknownVersionOrNonPduTagAreRejected) {
  const auto flow = udp_flow(161);
  Message trailing = kV1GetNext;
  trailing.push_back(0);
  EXPECT_EQ(probe(kSnmp, flow, Direction::ToServer, trailing), Match::No);
  Message v2u = kV1GetNext;
  v2u[4] = 2;  // SNMPv2u/v2* never deployed
  EXPECT_EQ(probe(kSnmp, flow, Direction::ToServer, v2u), Match::No);
  Message tag = kV1GetNext;
  tag[13] = 0x30;
  EXPECT_EQ(probe(kSnmp, flow, Direction::ToServer, tag), Match::No);
  Message indefinite = kV1GetNext;
  indefinite[1] = 0x80;
  EXPECT_EQ(probe(kSnmp, flow, Direction::ToServer, indefinite), Match::No);
  EXPECT_EQ(probe(kSnmp, flow, Direction::ToServer, from_hex("3084ffffffff020100")), Match::No);
}

TEST(Snmp, NonPrintableCommunityIsMasked) {
  const Message m = from_hex("300c0201010403610062a0020500");
  ASSERT_EQ(probe(kSnmp, udp_flow(161), Direction::ToServer, m), Match::Yes);
  EXPECT_EQ(snmp(m).snmp_community, "a?b");
}

TEST(Snmp, EveryTruncationBeforeThePduTagIsRejected) {
  for (const Message* m : {&kV1GetNext, &kV2cTrap}) {
    for (std::size_t size = 0; size < m->size(); ++size) {
      const Message cut(m->begin(), m->begin() + static_cast<long>(size));
      const bool has_pdu_tag = size > (m == &kV1GetNext ? 13u : 16u);
      EXPECT_EQ(probe(kSnmp, udp_flow(161), Direction::ToServer, cut),
                has_pdu_tag ? Match::Yes : Match::No)
          << size;
      EXPECT_EQ(snmp(cut).snmp_version.empty(), !has_pdu_tag) << size;
    }
  }
}

TEST(Snmp, GarbageIsRejected) {
  std::uint32_t x = 99;
  for (int i = 0; i < 2000; ++i) {
    Message g;
    for (int j = 0; j < 10 + i % 90; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    if (i % 2) g[0] = 0x30;  // half of them start like a SEQUENCE
    EXPECT_EQ(probe(kSnmp, udp_flow(161), Direction::ToServer, g), Match::No) << i;
    snmp(g);
  }
}

}  // namespace
}  // namespace wiretop::dpi
