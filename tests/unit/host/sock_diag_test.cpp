#include "host/sock_diag.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wiretop::host {
namespace {

std::vector<std::uint8_t> from_hex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// A real SOCK_DIAG_BY_FAMILY reply (Linux 6.18): a TCP listener on 127.0.0.1:50615,
// uid 0, with its INET_DIAG attributes after the 72-byte inet_diag_msg.
const std::string kListener =
    "7c0000001400020001000000cb6e0000020a0000c5b700007f0000010000000000000000000000000000000000000000"
    "000000000000000000000000010000000000000000000000000000008000000000000000839f03000500080000000000"
    "08000f00000000000c00150001000000000000000600160052000000";
const std::string kDone = "14000000030002000100000000000000" "00000000";

TEST(SockDiag, RealListenerReply_Parsed) {
  const auto bytes = from_hex(kListener + kDone);
  std::vector<SocketEntry> out;
  EXPECT_EQ(parse_diag_messages(bytes, 6, out), DiagParse::kDone);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].family, 4);
  EXPECT_EQ(out[0].state, 10);
  EXPECT_EQ(out[0].local_port, 50615);
  EXPECT_EQ(out[0].local_ip[0], 127);
  EXPECT_EQ(out[0].local_ip[3], 1);
  EXPECT_EQ(out[0].remote_port, 0);
  EXPECT_EQ(out[0].uid, 0u);
  EXPECT_EQ(out[0].inode, 0x39f83u);
}

TEST(SockDiag, DumpContinues_WithoutDone) {
  std::vector<SocketEntry> out;
  EXPECT_EQ(parse_diag_messages(from_hex(kListener), 6, out), DiagParse::kMore);
  EXPECT_EQ(out.size(), 1u);
}

TEST(SockDiag, TruncatedOrGarbage_IsAnError) {
  for (std::size_t cut : {std::size_t{4}, std::size_t{20}, std::size_t{80}}) {
    auto bytes = from_hex(kListener);
    bytes.resize(cut);
    std::vector<SocketEntry> out;
    EXPECT_EQ(parse_diag_messages(bytes, 6, out), DiagParse::kError) << cut;
    EXPECT_TRUE(out.empty());
  }
  auto bad_len = from_hex(kListener);
  bad_len[0] = 0x08;  // shorter than a netlink header
  std::vector<SocketEntry> out;
  EXPECT_EQ(parse_diag_messages(bad_len, 6, out), DiagParse::kError);
  EXPECT_EQ(parse_diag_messages(from_hex("ff"), 6, out), DiagParse::kError);
}

TEST(SockDiag, ErrorMessage_StopsTheDump) {
  std::vector<SocketEntry> out;
  EXPECT_EQ(parse_diag_messages(from_hex("24000000020000000100000000000000" "ffffffff" +
                                         std::string(32, '0')),
                                6, out),
            DiagParse::kError);
}

TEST(SockDiag, LiveDump_SeesOurOwnListener) {
  SockDiag diag;
  std::string error;
  if (!diag.open(error)) GTEST_SKIP() << error;
  std::vector<SocketEntry> out;
  if (!diag.dump_all(out, error)) GTEST_SKIP() << error;
  SUCCEED() << out.size() << " sockets";
}

}  // namespace
}  // namespace wiretop::host
