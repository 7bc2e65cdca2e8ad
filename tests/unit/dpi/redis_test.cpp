// Redis identification: RESP command arrays and inline PING from the client,
// +PONG and Redis errors from the server, against random and other text.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kRedis;

namespace {

using testing::from_text;
using testing::probe;
using testing::tcp_flow;
using Message = std::vector<std::uint8_t>;

const Message kSet = from_text("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");

Match redis(const Message& m, Direction dir = Direction::ToServer) {
  return probe(kRedis, tcp_flow(6379), dir, m);
}

TEST(Redis, CommandArraysAndInlinePingAreRedis) {
  EXPECT_EQ(redis(kSet), Match::Yes);
  EXPECT_EQ(redis(from_text("*1\r\n$4\r\nPING\r\n")), Match::Yes);
  EXPECT_EQ(redis(from_text("*2\r\n$5\r\nhello\r\n$1\r\n3\r\n")), Match::Yes);
  EXPECT_EQ(redis(from_text("PING\r\n")), Match::Yes);
}

TEST(Redis, ServerRepliesAreRedis) {
  EXPECT_EQ(redis(from_text("+PONG\r\n"), Direction::ToClient), Match::Yes);
  EXPECT_EQ(redis(from_text("-NOAUTH Authentication required.\r\n"), Direction::ToClient), Match::Yes);
  EXPECT_EQ(redis(from_text("-ERR unknown command 'FOO'\r\n"), Direction::ToClient), Match::Yes);
  EXPECT_EQ(redis(from_text("+OK POP3 ready\r\n"), Direction::ToClient), Match::No);
}

TEST(Redis, LookAlikesAreRejected) {
  EXPECT_EQ(redis(from_text("*3\r\n$4\r\nSET\r\n")), Match::No);    // length does not match
  EXPECT_EQ(redis(from_text("*0\r\n")), Match::No);
  EXPECT_EQ(redis(from_text("*1\r\n$3\r\nS3T\r\n")), Match::No);     // not a command name
  EXPECT_EQ(redis(from_text("*12345678\r\n")), Match::No);
  EXPECT_EQ(redis(from_text("* OK IMAP4rev1 ready\r\n")), Match::No);
  EXPECT_EQ(redis(from_text("PINGPONG\r\n")), Match::No);
  EXPECT_EQ(redis(from_text("GET / HTTP/1.1\r\n")), Match::No);
  EXPECT_EQ(redis(from_text("+PONG\r\n")), Match::No);  // a reply sent toward the server
}

TEST(Redis, EveryPrefixWaits) {
  const Message command = from_text("*1\r\n$4\r\nPING\r\n");
  for (std::size_t size = 0; size < command.size(); ++size) {
    const Message cut(command.begin(), command.begin() + static_cast<long>(size));
    EXPECT_EQ(redis(cut), Match::Maybe) << size;
  }
}

TEST(Redis, GarbageAndRandomTextAreRejected) {
  std::uint32_t x = 41;
  for (int i = 0; i < 1000; ++i) {
    Message g;
    for (int j = 0; j < 1 + i % 50; ++j) {
      x = x * 1103515245 + 12345;
      const auto byte = static_cast<std::uint8_t>(x >> 16);
      g.push_back(i % 2 ? static_cast<std::uint8_t>(0x20 + byte % 95) : byte);
    }
    EXPECT_NE(redis(g), Match::Yes) << i;
    EXPECT_NE(redis(g, Direction::ToClient), Match::Yes) << i;
  }
}

}  // namespace
}  // namespace wiretop::dpi
