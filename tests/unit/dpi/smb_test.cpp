// SMB identification: a NetBIOS session message holding an SMB1, SMB2 or
// SMB3 transform header, against other NetBIOS session traffic.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kSmb;

namespace {

using testing::from_hex;
using testing::probe;
using testing::tcp_flow;
using Message = std::vector<std::uint8_t>;

// SMB2 NEGOTIATE request header (MS-SMB2 2.2.1.2), 64 bytes + a 36-byte body.
const Message kSmb2Negotiate = [] {
  Message m = from_hex("00000064 fe534d42 4000 0000 00000000 0000 0000 00000000 00000000");
  m.resize(4 + 100, 0);
  return m;
}();
// SMB1 NEGOTIATE (MS-CIFS 2.2.4.52): command 0x72.
const Message kSmb1Negotiate = [] {
  Message m = from_hex("0000002f ff534d42 72 00000000 18 5328");
  m.resize(4 + 0x2f, 0);
  return m;
}();

Match smb(const Message& m, Direction dir = Direction::ToServer) {
  return probe(kSmb, tcp_flow(445), dir, m);
}

TEST(Smb, Smb1Smb2AndTransformHeadersAreSmbBothWays) {
  EXPECT_EQ(smb(kSmb2Negotiate), Match::Yes);
  EXPECT_EQ(smb(kSmb2Negotiate, Direction::ToClient), Match::Yes);
  EXPECT_EQ(smb(kSmb1Negotiate), Match::Yes);
  Message transform = from_hex("00000060 fd534d42");
  transform.resize(4 + 0x60, 0);
  EXPECT_EQ(smb(transform), Match::Yes);
}

TEST(Smb, OtherNetbiosSessionTrafficIsNot) {
  // Session request (0x81) with its two encoded names, keep-alive (0x85).
  EXPECT_EQ(smb(from_hex("81000044 20454545464643")), Match::No);
  EXPECT_EQ(smb(from_hex("85000000")), Match::No);
  // A session message whose payload is not SMB.
  EXPECT_EQ(smb(from_hex("00000010 0102030405060708")), Match::No);
  Message structure = kSmb2Negotiate;
  structure[8] = 0x41;  // StructureSize must be 64
  EXPECT_EQ(smb(structure), Match::No);
  Message too_short = kSmb2Negotiate;
  too_short[3] = 0x20;  // shorter than an SMB2 header
  EXPECT_EQ(smb(too_short), Match::No);
}

TEST(Smb, EveryPrefixWaits) {
  for (std::size_t size = 0; size < 10; ++size) {
    const Message cut(kSmb2Negotiate.begin(), kSmb2Negotiate.begin() + static_cast<long>(size));
    EXPECT_EQ(smb(cut), Match::Maybe) << size;
  }
}

TEST(Smb, GarbageIsRejected) {
  std::uint32_t x = 29;
  for (int i = 0; i < 1000; ++i) {
    Message g;
    for (int j = 0; j < 1 + i % 80; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    if (i % 2) g[0] = 0;
    EXPECT_NE(smb(g), Match::Yes) << i;
  }
}

}  // namespace
}  // namespace wiretop::dpi
