#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {

extern const Dissector kNetbios;
extern const Dissector kDns;

namespace {

using testing::from_hex;
using testing::probe;
using testing::run_session;
using testing::udp_flow;
using Message = std::vector<std::uint8_t>;
constexpr auto kToServer = Direction::ToServer;
constexpr auto kToClient = Direction::ToClient;

// netbios.pcap, UDP 137 (tshark's nbns.name in the comments).
// Frame 1: broadcast name query for XSTREAM_HY<00>.
const Message kQuery = from_hex(
    "a7490110000100000000000020464946444645464345464542454e46504549464a4341434143414341434141"
    "410000200001");
// Frame 5: query for OZI<1c> (a domain controllers group name).
const Message kQueryOzi = from_hex(
    "9a1e01100001000000000000204550464b454a434143414341434143414341434143414341434143414341424d"
    "0000200001");
// Frame 69: positive response for GUNNAR<00>, no question, address 10.0.4.24.
const Message kPositiveResponse = from_hex(
    "8486850000000001000000002045484646454f454f4542464343414341434143414341434143414341434141"
    "410000200001000493e0000600000a000418");
// Frames 128 and 129: NBSTAT for the wildcard "*" and its answer (four node names).
const Message kNbstatQuery = from_hex(
    "9a2f0000000100000000000020434b414141414141414141414141414141414141414141414141414141414141"
    "0000210001");
const Message kNbstatResponse = from_hex(
    "9a2f8400000000010000000020434b41414141414141414141414141414141414141414141414141414141414100"
    "002100010000000000770447554e4e4152202020202020202020000400564947494c414e545f47524f55502000"
    "840047554e4e4152202020202020202020200400564947494c414e545f47524f5550201e8400001cc410790f00"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000");

TEST(NetbiosSession, NameQueryIsDecodedAndPaddingTrimmed) {
  const AppInfo info = run_session(kNetbios, udp_flow(137, 137), {{kToServer, kQuery}});
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"XSTREAM_HY<00>", "NB"}}));
  EXPECT_EQ(info.dns_rcode, "");
  const AppInfo ozi = run_session(kNetbios, udp_flow(137, 137), {{kToServer, kQueryOzi}});
  EXPECT_EQ(ozi.dns_queries, (std::vector<DnsQuery>{{"OZI<1c>", "NB"}}));
}

TEST(NetbiosSession, PositiveResponseGivesTheNameAndItsAddress) {
  const AppInfo info = run_session(kNetbios, udp_flow(137, 137), {{kToClient, kPositiveResponse}});
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"GUNNAR<00>", "NB"}}));
  EXPECT_EQ(info.dns_answers, std::vector<std::string>{"10.0.4.24"});
  EXPECT_EQ(info.dns_rcode, "NOERROR");
}

TEST(NetbiosSession, NodeStatusGivesTheWildcardAndTheNodeNames) {
  const AppInfo info = run_session(kNetbios, udp_flow(137, 57836),
                                   {{kToServer, kNbstatQuery}, {kToClient, kNbstatResponse}});
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"*<00>", "NBSTAT"}}));
  EXPECT_EQ(info.dns_answers, (std::vector<std::string>{"GUNNAR<00>", "VIGILANT_GROUP<00>",
                                                        "GUNNAR<20>", "VIGILANT_GROUP<1e>"}));
}

TEST(NetbiosSession, ScopeFollowsTheNameAfterADot) {
  Message m(kQuery.begin(), kQuery.end() - 5);  // up to the encoded label, without its root
  for (std::uint8_t b : from_hex("07 6578616d706c65 03 636f6d 00 0020 0001")) m.push_back(b);
  const AppInfo info = run_session(kNetbios, udp_flow(137), {{kToServer, m}});
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"XSTREAM_HY<00>.example.com", "NB"}}));
}

TEST(NetbiosSession, EveryTruncationGivesOnlyCorrectFields) {
  for (const Message* whole : {&kQuery, &kPositiveResponse, &kNbstatResponse}) {
    const AppInfo full = run_session(kNetbios, udp_flow(137), {{kToClient, *whole}});
    for (std::size_t n = 0; n < whole->size(); ++n) {
      const Message cut(whole->begin(), whole->begin() + static_cast<std::ptrdiff_t>(n));
      const AppInfo info = run_session(kNetbios, udp_flow(137), {{kToClient, cut}});
      EXPECT_TRUE(info.dns_queries.empty() || info.dns_queries == full.dns_queries) << n;
      EXPECT_LE(info.dns_answers.size(), full.dns_answers.size()) << n;
      for (std::size_t i = 0; i < info.dns_answers.size(); ++i)
        EXPECT_EQ(info.dns_answers[i], full.dns_answers[i]) << n;
    }
  }
}

TEST(NetbiosSession, GarbageAndBadEncodingsGiveNoNames) {
  Message bad = kQuery;
  bad[13] = 'Z';  // outside 'A'-'P'
  EXPECT_TRUE(run_session(kNetbios, udp_flow(137), {{kToServer, bad}}).dns_queries.empty());
  std::uint32_t seed = 3;
  for (int round = 0; round < 1000; ++round) {
    Message m = round % 2 ? kNbstatResponse : kQuery;
    for (int k = 0; k < 4; ++k) {
      seed = seed * 1103515245 + 12345;
      m[(seed >> 8) % m.size()] = static_cast<std::uint8_t>(seed >> 16);
    }
    run_session(kNetbios, udp_flow(137), {{kToClient, m}});
  }
}

TEST(NetbiosProbe, NameServicePacketsAreRecognisedOnAnyPort) {
  for (const Message* m : {&kQuery, &kQueryOzi, &kPositiveResponse, &kNbstatQuery, &kNbstatResponse}) {
    EXPECT_EQ(probe(kNetbios, udp_flow(137, 137), kToServer, *m), Match::Yes);
    EXPECT_EQ(probe(kNetbios, udp_flow(40137), kToServer, *m), Match::Yes);
  }
  // On 137 DNS leaves these to NetBIOS (the layouts are the same).
  EXPECT_EQ(probe(kDns, udp_flow(137, 137), kToServer, kQuery), Match::No);
}

TEST(NetbiosProbe, DnsMessagesAndGarbageAreRejected) {
  const Message dns_query =
      from_hex("784301000001000000000000026537087768617473617070036e65740000010001");
  EXPECT_EQ(probe(kNetbios, udp_flow(137), kToServer, dns_query), Match::No);
  EXPECT_EQ(probe(kNetbios, udp_flow(137), kToServer, {}), Match::No);
  EXPECT_EQ(probe(kNetbios, udp_flow(137), kToServer, Message(kQuery.begin(), kQuery.end() - 1)),
            Match::No);
  Message two_questions = kQuery;
  two_questions[5] = 2;
  EXPECT_EQ(probe(kNetbios, udp_flow(137), kToServer, two_questions), Match::No);
  Message opcode_3 = kQuery;
  opcode_3[2] = 0x18;
  EXPECT_EQ(probe(kNetbios, udp_flow(137), kToServer, opcode_3), Match::No);
}

}  // namespace
}  // namespace wiretop::dpi
