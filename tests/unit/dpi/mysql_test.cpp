// MySQL identification: the server's HandshakeV10 greeting (MySQL 8 and
// MariaDB version strings), against other server-first protocols.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kMysql;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::tcp_flow;
using Message = std::vector<std::uint8_t>;

// MySQL 8.0.36 greeting: length 74, seq 0, protocol 10, "8.0.36\0",
// connection id, 8 bytes of salt, filler 0, then capabilities and the rest.
const Message kGreeting = [] {
  Message m = from_hex("4a0000 00 0a 382e302e333600 0d000000 3c5b6a1f2e4d0a11 00 ffff");
  m.resize(4 + 0x4a, 0);
  return m;
}();

Match mysql(const Message& m, Direction dir = Direction::ToClient) {
  return probe(kMysql, tcp_flow(3306), dir, m);
}

TEST(Mysql, ServerGreetingIsMysql) {
  EXPECT_EQ(mysql(kGreeting), Match::Yes);
  Message maria = from_hex("5b0000 00 0a 352e352e352d31302e31312e362d4d617269614442 00 08000000 6162636465666768 00");
  EXPECT_EQ(mysql(maria), Match::Yes);
}

TEST(Mysql, ClientBytesAndOtherGreetingsAreNot) {
  EXPECT_EQ(mysql(kGreeting, Direction::ToServer), Match::No);
  Message protocol9 = kGreeting;
  protocol9[4] = 9;
  EXPECT_EQ(mysql(protocol9), Match::No);
  Message sequence = kGreeting;
  sequence[3] = 1;
  EXPECT_EQ(mysql(sequence), Match::No);
  Message filler = kGreeting;
  filler[4 + 1 + 7 + 4 + 8] = 1;
  EXPECT_EQ(mysql(filler), Match::No);
  Message letter = kGreeting;
  letter[5] = 'x';  // versions start with a digit
  EXPECT_EQ(mysql(letter), Match::No);
  EXPECT_EQ(mysql(from_text("SSH-2.0-OpenSSH_9.6\r\n")), Match::No);
  EXPECT_EQ(mysql(from_text("220 mail.example.com ESMTP\r\n")), Match::No);
}

TEST(Mysql, EveryPrefixWaits) {
  for (std::size_t size = 0; size < 4 + 1 + 7 + 4 + 8 + 1; ++size) {
    const Message cut(kGreeting.begin(), kGreeting.begin() + static_cast<long>(size));
    EXPECT_EQ(mysql(cut), Match::Maybe) << size;
  }
}

TEST(Mysql, GarbageIsRejected) {
  std::uint32_t x = 37;
  for (int i = 0; i < 1000; ++i) {
    Message g;
    for (int j = 0; j < 1 + i % 90; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    EXPECT_NE(mysql(g), Match::Yes) << i;
  }
}

}  // namespace
}  // namespace wiretop::dpi
