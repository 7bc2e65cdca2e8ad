// Telnet: identified by option negotiation; a login is noted once the client
// types after the server's "Password:" prompt (commands split anywhere).
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kTelnet;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::run_session;
using testing::tcp_flow;
using Message = std::vector<std::uint8_t>;
using Chunks = std::vector<std::pair<Direction, Message>>;

constexpr Direction kUp = Direction::ToServer, kDown = Direction::ToClient;

Match telnet(const Message& m, Direction dir = Direction::ToClient) { return probe(kTelnet, tcp_flow(23), dir, m); }

TEST(Telnet, OptionNegotiationIsTelnet) {
  EXPECT_EQ(telnet(from_hex("fffd18fffd20fffd23fffd27")), Match::Yes);        // DO TTYPE, ...
  EXPECT_EQ(telnet(from_hex("fffb03"), Direction::ToServer), Match::Yes);     // WILL SGA
  EXPECT_EQ(telnet(from_hex("fffa1801fff0")), Match::Yes);                    // SB TTYPE SEND
  EXPECT_EQ(telnet(from_hex("")), Match::Maybe);
  EXPECT_EQ(telnet(from_hex("ff")), Match::Maybe);
  EXPECT_EQ(telnet(from_hex("fffd")), Match::Maybe);
}

TEST(Telnet, OtherBytesAreNot) {
  EXPECT_EQ(telnet(from_text("login: ")), Match::No);
  EXPECT_EQ(telnet(from_hex("fff1")), Match::No);  // IAC NOP: no negotiation
  EXPECT_EQ(telnet(from_text("SSH-2.0-OpenSSH_9.2\r\n")), Match::No);
  EXPECT_EQ(telnet(from_hex("16030100")), Match::No);
}

TEST(Telnet, PasswordTypedAfterThePromptIsCleartextLogin) {
  const Chunks login = {
      {kDown, from_hex("fffd18fffd20")},
      {kUp, from_hex("fffb18fffb20")},
      {kDown, from_text("Debian GNU/Linux 12\r\nhost login: ")},
      {kUp, from_text("a")}, {kDown, from_text("a")}, {kUp, from_text("lice\r\n")},
      {kDown, from_text("lice\r\nPass")}, {kDown, from_hex("fff9")}, {kDown, from_text("word: ")},
      {kUp, from_text("s3cret\r\n")},
  };
  const AppInfo out = run_session(kTelnet, tcp_flow(23), login);
  EXPECT_EQ(out.cleartext_auth, "telnet");
  EXPECT_EQ(out.ftp_user, "");  // nothing typed is kept
}

TEST(Telnet, NoPromptOrNothingTypedIsNoLogin) {
  EXPECT_EQ(run_session(kTelnet, tcp_flow(23),
                        {{kDown, from_text("login: ")}, {kUp, from_text("alice\r\n")}}).cleartext_auth,
            "");
  EXPECT_EQ(run_session(kTelnet, tcp_flow(23),
                        {{kDown, from_text("Password: ")}, {kUp, from_hex("fffb01")}}).cleartext_auth,
            "");  // only a negotiation
  // The prompt inside a subnegotiation is no prompt.
  EXPECT_EQ(run_session(kTelnet, tcp_flow(23),
                        {{kDown, from_hex("fffa18") }, {kDown, from_text("password:")}, {kDown, from_hex("fff0")},
                         {kUp, from_text("x")}}).cleartext_auth,
            "");
}

TEST(Telnet, EscapedIacIsDataAndPromptMatchesAnyCase) {
  EXPECT_EQ(run_session(kTelnet, tcp_flow(23),
                        {{kDown, from_text("PASSWORD :")}, {kUp, from_hex("ffff41")}}).cleartext_auth,
            "telnet");
}

}  // namespace
}  // namespace wiretop::dpi
