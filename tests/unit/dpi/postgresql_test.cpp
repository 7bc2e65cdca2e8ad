// PostgreSQL identification: StartupMessage 3.0, SSLRequest, GSSENCRequest,
// CancelRequest from the client, Authentication from the server.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kPostgresql;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::tcp_flow;
using Message = std::vector<std::uint8_t>;

// psql: StartupMessage 3.0, user=postgres, database=app.
const Message kStartup = from_hex(
    "00000029 00030000 7573657200706f737467726573 00 646174616261736500617070 00 00");

Match pg(const Message& m, Direction dir = Direction::ToServer) {
  return probe(kPostgresql, tcp_flow(5432), dir, m);
}

TEST(Postgresql, ClientFirstMessagesAreRecognised) {
  EXPECT_EQ(pg(kStartup), Match::Yes);
  EXPECT_EQ(pg(from_hex("0000000804d2162f")), Match::Yes);  // SSLRequest
  EXPECT_EQ(pg(from_hex("0000000804d21630")), Match::Yes);  // GSSENCRequest
  EXPECT_EQ(pg(from_hex("0000001004d2162e 00001234 cafebabe")), Match::Yes);  // CancelRequest
}

TEST(Postgresql, ServerAuthenticationIsRecognised) {
  EXPECT_EQ(pg(from_hex("52 00000008 00000000"), Direction::ToClient), Match::Yes);  // Ok
  EXPECT_EQ(pg(from_hex("52 0000000c 00000005 01020304"), Direction::ToClient), Match::Yes);  // MD5
  EXPECT_EQ(pg(from_hex("52 00000017 0000000a 534352414d2d5348412d32353600 00"), Direction::ToClient),
            Match::Yes);  // SASL SCRAM-SHA-256
  EXPECT_EQ(pg(from_hex("52 0000000c 00000000"), Direction::ToClient), Match::No);  // Ok is 8 long
  EXPECT_EQ(pg(from_hex("52 00000008 00000004"), Direction::ToClient), Match::No);  // unused type
  EXPECT_EQ(pg(from_hex("45 00000008 00000000"), Direction::ToClient), Match::No);
}

TEST(Postgresql, OtherVersionsLengthsAndParametersAreRejected) {
  EXPECT_EQ(pg(from_hex("00000029 00020000 75736572")), Match::No);  // protocol 2.0
  EXPECT_EQ(pg(from_hex("00000009 04d2162f")), Match::No);           // SSLRequest is 8 long
  EXPECT_EQ(pg(from_hex("00ffffff 00030000 75736572")), Match::No);
  EXPECT_EQ(pg(from_hex("00000029 00030000 01020304")), Match::No);
  EXPECT_EQ(pg(from_text("GET / HTTP/1.1\r\n")), Match::No);
}

TEST(Postgresql, EveryPrefixWaits) {
  for (std::size_t size = 0; size < 9; ++size) {
    const Message cut(kStartup.begin(), kStartup.begin() + static_cast<long>(size));
    EXPECT_EQ(pg(cut), Match::Maybe) << size;
  }
}

TEST(Postgresql, GarbageIsRejected) {
  std::uint32_t x = 31;
  for (int i = 0; i < 1000; ++i) {
    Message g;
    for (int j = 0; j < 1 + i % 60; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    EXPECT_NE(pg(g), Match::Yes) << i;
    EXPECT_NE(pg(g, Direction::ToClient), Match::Yes) << i;
  }
}

}  // namespace
}  // namespace wiretop::dpi
