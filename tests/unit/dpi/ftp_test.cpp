#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {

extern const Dissector kFtp;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::RecordingSinks;
using testing::tcp_flow;
using Chunks = std::vector<std::pair<Direction, std::vector<std::uint8_t>>>;
constexpr Direction kUp = Direction::ToServer;
constexpr Direction kDown = Direction::ToClient;

// ftp_failed.pcap (nDPI): vsFTPd refusing a non-anonymous login.
const Chunks kFailedLogin = {
    {kDown, from_text("220 (vsFTPd 3.0.3)\r\n")},
    {kUp, from_text("USER hello\r\n")},
    {kDown, from_text("530 This FTP server is anonymous only.\r\n")},
    {kUp, from_text("SYST\r\n")},
    {kDown, from_text("530 Please login with USER and PASS.\r\n")},
    {kUp, from_text("QUIT\r\n")},
    {kDown, from_text("221 Goodbye.\r\n")},
};

struct Outcome {
  AppInfo out;
  RecordingSinks sinks;
  int done_at = -1;
};
Outcome run(const Chunks& chunks, const FlowInfo& flow = tcp_flow(21)) {
  Outcome r;
  auto session = kFtp.make_session();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const Context ctx{flow, chunks[i].first, core::Timestamp{1}, r.sinks, r.sinks, r.out};
    if (session->feed(ctx, core::Bytes(chunks[i].second)) == Progress::Done) {
      r.done_at = static_cast<int>(i);
      break;
    }
  }
  return r;
}

std::vector<std::string> expected_text(const RecordingSinks& sinks) {
  std::vector<std::string> text;
  for (const auto& e : sinks.expected)
    text.push_back(e.address.to_string() + " " + std::to_string(e.port) + " " + e.proto);
  return text;
}

// ---- probe

TEST(FtpProbe, GreetingNamingFtpIsYesOnAnyPort) {
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kDown, from_text("220 (vsFTPd 3.0.3)\r\n")), Match::Yes);
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kDown, from_text("220-FileZilla Server 0.9.60 beta\r\n")),
            Match::Yes);
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kDown, from_text("220 Microsoft FTP Service\r\n")),
            Match::Yes);
}

TEST(FtpProbe, NeutralGreetingIsYesOnPort21AndWaitsElsewhere) {
  const auto greeting = from_text("220 Welcome to example.com\r\n");
  EXPECT_EQ(probe(kFtp, tcp_flow(21), kDown, greeting), Match::Yes);
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kDown, greeting), Match::Maybe);
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kDown, from_text("22")), Match::Maybe);
}

TEST(FtpProbe, SmtpGreetingIsNo) {
  EXPECT_EQ(probe(kFtp, tcp_flow(21), kDown, from_text("220 mx.example.com ESMTP Postfix\r\n")),
            Match::No);
}

TEST(FtpProbe, ClientCommandsOnlyFtpUsesAreYes) {
  for (const char* start :
       {"USER anonymous\r\n", "user ftp\r\n", "AUTH TLS\r\n", "FEAT\r\n", "PASV\r\n"})
    EXPECT_EQ(probe(kFtp, tcp_flow(2121), kUp, from_text(start)), Match::Yes) << start;
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kUp, from_text("US")), Match::Maybe);
  for (const char* start : {"EHLO client.example\r\n", "AUTH PLAIN AGx\r\n", "+OK ready\r\n",
                            "230 Login successful.\r\n", "GET / HTTP/1.1\r\n", "USERS\r\n"})
    EXPECT_EQ(probe(kFtp, tcp_flow(21), kUp, from_text(start)), Match::No) << start;
  EXPECT_EQ(probe(kFtp, tcp_flow(21), kUp, from_hex("1603010200")), Match::No);
}

// ---- session

TEST(FtpSession, FailedLoginCaptureGivesUserAndCommands) {
  const Outcome r = run(kFailedLogin);
  EXPECT_EQ(r.out.ftp_user, "hello");
  EXPECT_EQ(r.out.ftp_commands, (std::vector<std::string>{"USER", "SYST", "QUIT"}));
  EXPECT_TRUE(r.sinks.expected.empty());
  EXPECT_EQ(r.done_at, -1);  // every packet is read: data connections may come at any time
}

TEST(FtpSession, OneByteAtATimeGivesTheSameFields) {
  Chunks bytes;
  for (const auto& [dir, chunk] : kFailedLogin)
    for (std::uint8_t b : chunk) bytes.push_back({dir, {b}});
  const Outcome r = run(bytes);
  EXPECT_EQ(r.out.ftp_user, "hello");
  EXPECT_EQ(r.out.ftp_commands, (std::vector<std::string>{"USER", "SYST", "QUIT"}));
}

TEST(FtpSession, PassiveReplyAnnouncesTheServersDataPort) {
  // 192.168.1.2 port 19*256+137 = 5001; the control server is 10.0.0.2.
  const Outcome r =
      run({{kDown, from_text("220 ready\r\n")},
           {kUp, from_text("PASV\r\n")},
           {kDown, from_text("227 Entering Passive Mode (192,168,1,2,19,137).\r\n")}});
  EXPECT_EQ(expected_text(r.sinks),
            (std::vector<std::string>{"192.168.1.2 5001 FTP_DATA", "10.0.0.2 5001 FTP_DATA"}));
}

TEST(FtpSession, PassiveReplyWithoutParenthesesOrWithTheServersAddress) {
  const Outcome r = run({{kDown, from_text("227 Entering Passive Mode 10,0,0,2,4,1\r\n")}});
  EXPECT_EQ(expected_text(r.sinks), (std::vector<std::string>{"10.0.0.2 1025 FTP_DATA"}));
}

TEST(FtpSession, ExtendedPassiveReplyUsesTheServersAddress) {
  // RFC 2428 3's example reply.
  const Outcome r = run({{kUp, from_text("EPSV\r\n")},
                         {kDown, from_text("229 Entering Extended Passive Mode (|||6446|)\r\n")}});
  EXPECT_EQ(expected_text(r.sinks), (std::vector<std::string>{"10.0.0.2 6446 FTP_DATA"}));
}

TEST(FtpSession, PortAndEprtAnnounceTheClientsDataPort) {
  // RFC 2428 2's examples for EPRT.
  const Outcome r = run({{kUp, from_text("PORT 10,0,0,1,7,208\r\n"
                                         "EPRT |1|132.235.1.2|6275|\r\n"
                                         "EPRT |2|1080::8:800:200C:417A|5282|\r\n")}});
  EXPECT_EQ(expected_text(r.sinks),
            (std::vector<std::string>{
                "10.0.0.1 2000 FTP_DATA", "132.235.1.2 6275 FTP_DATA", "10.0.0.1 6275 FTP_DATA",
                "1080::8:800:200c:417a 5282 FTP_DATA", "10.0.0.1 5282 FTP_DATA"}));
  EXPECT_EQ(r.out.ftp_commands, (std::vector<std::string>{"PORT", "EPRT"}));
}

TEST(FtpSession, MalformedAnnouncementsAreIgnored) {
  const Outcome r =
      run({{kUp, from_text("PORT 10,0,0,1,7\r\nPORT 300,0,0,1,7,208\r\nPORT a,b,c,d,e,f\r\n"
                           "EPRT |1|not-an-address|21|\r\nEPRT |1|10.0.0.1|0|\r\n"
                           "EPRT |1|10.0.0.1|70000|\r\nEPRT ||\r\n")},
           {kDown, from_text("227 no numbers here\r\n229 Extended (|||x|)\r\n"
                             "229 Extended (|||\r\n227-(1,2,3,4,5,6)\r\n")}});
  EXPECT_TRUE(r.sinks.expected.empty());
}

TEST(FtpSession, AuthTlsAcceptedEndsTheSession) {
  const Outcome r = run({{kDown, from_text("220 ProFTPD Server\r\n")},
                         {kUp, from_text("AUTH TLS\r\n")},
                         {kDown, from_text("234 AUTH TLS successful\r\n")},
                         {kUp, from_hex("16030100c4010000c00303")}});
  EXPECT_EQ(r.out.ftp_commands, (std::vector<std::string>{"AUTH"}));
  EXPECT_EQ(r.done_at, 2);
}

TEST(FtpSession, MultiLineGreetingContinuationIsNoCommand) {
  const Outcome r =
      run({{kDown, from_text("220-Welcome\r\n This is PORT 1,2,3,4,5,6 text\r\n220 ok\r\n")},
           {kUp, from_text("USER anonymous\r\nPASS guest@\r\n")}});
  EXPECT_TRUE(r.sinks.expected.empty());
  EXPECT_EQ(r.out.ftp_user, "anonymous");
  EXPECT_EQ(r.out.ftp_commands, (std::vector<std::string>{"USER", "PASS"}));
}

TEST(FtpSession, PassAfterUserMarksCleartextCredentialsWithoutKeepingThem) {
  const Outcome user_only = run({{kUp, from_text("USER anonymous\r\n")}});
  EXPECT_EQ(user_only.out.cleartext_auth, "");
  const Outcome r = run({{kUp, from_text("USER alice\r\nPASS s3cret\r\n")}});
  EXPECT_EQ(r.out.cleartext_auth, "ftp");
  EXPECT_EQ(r.out.ftp_user, "alice");
  for (const auto& c : r.out.ftp_commands) EXPECT_EQ(c.find("s3cret"), std::string::npos);
}

TEST(FtpSession, RolesFollowContentWhenTheDirectionIsSwapped) {
  const Outcome r =
      run({{kUp, from_text("220 (vsFTPd 3.0.3)\r\n")}, {kDown, from_text("USER hello\r\n")}},
          tcp_flow(44724, 21));
  EXPECT_EQ(r.out.ftp_user, "hello");
}

TEST(FtpSession, CommandListIsDistinctAndCapped) {
  std::string commands;
  for (char a = 'A'; a <= 'Z'; ++a)
    for (char b = 'A'; b <= 'C'; ++b) commands += std::string{'X', a, b, '\r', '\n'};
  commands += "NOOP\r\nNOOP\r\n";
  const Outcome r = run({{kUp, from_text(commands)}});
  EXPECT_EQ(r.out.ftp_commands.size(), AppInfo::kMaxListItems);
}

TEST(FtpSession, UserIsPrintableAndTheFirstOne) {
  const Outcome r = run({{kUp, from_text("USER a\x01z\r\nUSER second\r\n")}});
  EXPECT_EQ(r.out.ftp_user, "a?z");
}

TEST(FtpSession, AMebibyteOfTextEndsTheSession) {
  std::string lines;
  while (lines.size() < 64 * 1024) lines += "NOOP\r\n";
  Chunks chunks(17, {kUp, from_text(lines)});
  const Outcome r = run(chunks);
  EXPECT_EQ(r.done_at, 15);  // 16 x 64 KiB reach the cap
}

TEST(FtpSession, GarbageNeverCrashesOrFillsFields) {
  std::vector<std::uint8_t> noise(3000);
  std::uint32_t x = 7;
  for (auto& b : noise) b = static_cast<std::uint8_t>((x = x * 1103515245 + 12345) >> 16);
  const Outcome r = run({{kUp, noise}, {kDown, noise}});
  EXPECT_EQ(r.out.ftp_user, "");
  EXPECT_TRUE(r.sinks.expected.empty());
}

}  // namespace
}  // namespace wiretop::dpi
