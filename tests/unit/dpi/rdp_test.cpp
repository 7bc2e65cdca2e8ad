// RDP identification: the client's X.224 Connection Request with a cookie
// and/or rdpNegReq (MS-RDPBCGR 4.1.1's example), against other TPKT users.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kRdp;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::tcp_flow;
using Message = std::vector<std::uint8_t>;

// MS-RDPBCGR 4.1.1: TPKT, X.224 CR, "Cookie: mstshash=eltons\r\n", rdpNegReq (TLS).
const Message kCookieAndNeg = from_hex(
    "0300002a25e00000000000"
    "436f6f6b69653a206d737473686173683d656c746f6e730d0a"
    "0100080003000000");
// A client without a cookie: rdpNegReq only (mstsc with /admin, FreeRDP).
const Message kNegOnly = from_hex("030000130ee000000000000100080003000000");
// Siemens S7 (ISO-TSAP on port 102): a CR with TSAP parameters.
const Message kS7 = from_hex("0300001611e00000000100c1020100c2020102c0010a");

Match rdp(const Message& m, Direction dir = Direction::ToServer) {
  return probe(kRdp, tcp_flow(3389), dir, m);
}

TEST(Rdp, ConnectionRequestWithCookieOrNegotiationIsRdp) {
  EXPECT_EQ(rdp(kCookieAndNeg), Match::Yes);
  EXPECT_EQ(rdp(kNegOnly), Match::Yes);
  EXPECT_EQ(rdp(from_hex("0300000b06e00000000000")), Match::Yes);  // bare CR
}

TEST(Rdp, OtherTpktUsersAndServerBytesAreNot) {
  EXPECT_EQ(rdp(kS7), Match::No);
  EXPECT_EQ(rdp(kCookieAndNeg, Direction::ToClient), Match::No);
  Message confirm = kNegOnly;
  confirm[5] = 0xd0;  // Connection Confirm
  EXPECT_EQ(rdp(confirm), Match::No);
  Message bad_indicator = kNegOnly;
  bad_indicator[4] = 0x0f;
  EXPECT_EQ(rdp(bad_indicator), Match::No);
  Message bad_neg_length = kNegOnly;
  bad_neg_length[13] = 9;
  EXPECT_EQ(rdp(bad_neg_length), Match::No);
  EXPECT_EQ(rdp(from_text("GET / HTTP/1.1\r\n")), Match::No);
}

TEST(Rdp, EveryPrefixWaits) {
  for (const Message* m : {&kCookieAndNeg, &kNegOnly}) {
    for (std::size_t size = 0; size < m->size(); ++size) {
      const Message cut(m->begin(), m->begin() + static_cast<long>(size));
      const std::size_t decided = m == &kCookieAndNeg ? 19 : 15;  // "Cookie: " or rdpNegReq read
      const Match expected = size >= decided ? Match::Yes : Match::Maybe;
      EXPECT_EQ(rdp(cut), expected) << size;
    }
  }
}

TEST(Rdp, GarbageIsRejected) {
  std::uint32_t x = 23;
  for (int i = 0; i < 1000; ++i) {
    Message g;
    for (int j = 0; j < 1 + i % 64; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    if (i % 2) g[0] = 3;
    EXPECT_NE(rdp(g), Match::Yes) << i;
  }
}

}  // namespace
}  // namespace wiretop::dpi
