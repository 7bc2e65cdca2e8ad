#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {

extern const Dissector kSmtp;
extern const Dissector kImap;
extern const Dissector kPop3;
extern const Dissector kFtp;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::tcp_flow;
using Chunks = std::vector<std::pair<Direction, std::vector<std::uint8_t>>>;
constexpr Direction kUp = Direction::ToServer;
constexpr Direction kDown = Direction::ToClient;

struct Outcome {
  AppInfo out;
  int done_at = -1;
};
Outcome run(const Dissector& d, const Chunks& chunks, const FlowInfo& flow = tcp_flow(25)) {
  Outcome r;
  testing::RecordingSinks sinks;
  auto session = d.make_session();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const Context ctx{flow, chunks[i].first, core::Timestamp{1}, sinks, sinks, r.out};
    if (session->feed(ctx, core::Bytes(chunks[i].second)) == Progress::Done) {
      r.done_at = static_cast<int>(i);
      break;
    }
  }
  return r;
}

// Every chunk cut in two at `cut` (when longer), to check lines split across segments.
Chunks split(const Chunks& chunks, std::size_t cut) {
  Chunks out;
  for (const auto& [dir, bytes] : chunks) {
    if (bytes.size() <= cut) {
      out.push_back({dir, bytes});
      continue;
    }
    out.push_back({dir, {bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(cut)}});
    out.push_back({dir, {bytes.begin() + static_cast<std::ptrdiff_t>(cut), bytes.end()}});
  }
  return out;
}

// ---- SMTP: RFC 3207 4's example dialogue.
const Chunks kSmtpStarttls = {
    {kDown, from_text("220 mail.imc.org SMTP service ready\r\n")},
    {kUp, from_text("EHLO mail.example.com\r\n")},
    {kDown, from_text("250-mail.imc.org offers a warm hug of welcome\r\n250-8BITMIME\r\n"
                      "250-STARTTLS\r\n250 DSN\r\n")},
    {kUp, from_text("STARTTLS\r\n")},
    {kDown, from_text("220 Go ahead\r\n")},
    {kUp, from_hex("16030100c4010000c00303")},
};

TEST(SmtpProbe, GreetingNamingSmtpIsYesAndFtpsIsNo) {
  EXPECT_EQ(probe(kSmtp, tcp_flow(2525), kDown, from_text("220 mx.example.com ESMTP Postfix\r\n")),
            Match::Yes);
  EXPECT_EQ(probe(kSmtp, tcp_flow(25), kDown, from_text("220 (vsFTPd 3.0.3)\r\n")), Match::No);
  EXPECT_EQ(probe(kSmtp, tcp_flow(25), kDown, from_text("554 go away\r\n")), Match::No);
  EXPECT_EQ(probe(kSmtp, tcp_flow(25), kDown, from_text("22")), Match::Maybe);
}

TEST(SmtpProbe, NeutralGreetingIsYesOnSmtpPortsAndElsewhereTheClientDecides) {
  const auto greeting = from_text("220 Welcome\r\n");
  EXPECT_EQ(probe(kSmtp, tcp_flow(587), kDown, greeting), Match::Yes);
  EXPECT_EQ(probe(kSmtp, tcp_flow(2121), kDown, greeting), Match::Maybe);
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kDown, greeting), Match::Maybe);
  // The client's first command then tells SMTP from FTP.
  EXPECT_EQ(probe(kSmtp, tcp_flow(2121), kUp, from_text("EHLO me\r\n")), Match::Yes);
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kUp, from_text("EHLO me\r\n")), Match::No);
  EXPECT_EQ(probe(kSmtp, tcp_flow(2121), kUp, from_text("USER me\r\n")), Match::No);
  EXPECT_EQ(probe(kFtp, tcp_flow(2121), kUp, from_text("USER me\r\n")), Match::Yes);
}

TEST(SmtpProbe, HeloIsCaseInsensitiveAndItsPrefixMaybe) {
  EXPECT_EQ(probe(kSmtp, tcp_flow(25), kUp, from_text("helo me\r\n")), Match::Yes);
  EXPECT_EQ(probe(kSmtp, tcp_flow(25), kUp, from_text("EHL")), Match::Maybe);
  EXPECT_EQ(probe(kSmtp, tcp_flow(25), kUp, from_text("GET / HTTP/1.1\r\n")), Match::No);
}

TEST(SmtpSession, AcceptedStarttlsIsFlaggedAndEndsTheSession) {
  const Outcome r = run(kSmtp, kSmtpStarttls);
  EXPECT_TRUE(r.out.starttls);
  EXPECT_EQ(r.done_at, 4);
}

TEST(SmtpSession, LinesSplitAcrossSegmentsAtEveryOffset) {
  for (std::size_t cut = 1; cut < 40; ++cut) {
    const Outcome r = run(kSmtp, split(kSmtpStarttls, cut));
    EXPECT_TRUE(r.out.starttls) << cut;
  }
}

TEST(SmtpSession, RefusedStarttlsIsNotFlagged) {
  const Outcome r =
      run(kSmtp, {{kDown, from_text("220 mx ESMTP\r\n")},
                  {kUp, from_text("EHLO a\r\nSTARTTLS\r\n")},
                  {kDown, from_text("250 mx\r\n")},
                  {kDown, from_text("454 TLS not available due to temporary reason\r\n")},
                  {kUp, from_text("MAIL FROM:<a@b>\r\n")}});
  EXPECT_FALSE(r.out.starttls);
  EXPECT_EQ(r.done_at, 4);
}

TEST(SmtpSession, PipelinedStarttlsIsMatchedToItsOwnReply) {
  const Outcome r = run(kSmtp, {{kDown, from_text("220 mx ESMTP\r\n")},
                                {kUp, from_text("EHLO a\r\nSTARTTLS\r\n")},
                                {kDown, from_text("250-mx\r\n250 STARTTLS\r\n")},
                                {kDown, from_text("220 2.0.0 Ready to start TLS\r\n")}});
  EXPECT_TRUE(r.out.starttls);
  EXPECT_EQ(r.done_at, 3);
}

TEST(SmtpSession, MailInClearEndsTheSession) {
  const Outcome r = run(kSmtp, {{kDown, from_text("220 mx ESMTP\r\n")},
                                {kUp, from_text("HELO a\r\n")},
                                {kDown, from_text("250 mx\r\n")},
                                {kUp, from_text("MAIL FROM:<a@b>\r\n")}});
  EXPECT_FALSE(r.out.starttls);
  EXPECT_EQ(r.done_at, 3);
}

// ---- IMAP: RFC 9051 6.2.1's example.
const Chunks kImapStarttls = {
    {kDown, from_text("* OK [CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED] Dovecot ready.\r\n")},
    {kUp, from_text("a001 CAPABILITY\r\n")},
    {kDown,
     from_text(
         "* CAPABILITY IMAP4rev2 STARTTLS LOGINDISABLED\r\na001 OK CAPABILITY completed\r\n")},
    {kUp, from_text("a002 STARTTLS\r\n")},
    {kDown, from_text("a002 OK Begin TLS negotiation now\r\n")},
};

TEST(ImapProbe, GreetingAndTaggedFirstCommandsAreYes) {
  EXPECT_EQ(probe(kImap, tcp_flow(143), kDown, kImapStarttls[0].second), Match::Yes);
  EXPECT_EQ(probe(kImap, tcp_flow(1143), kDown, from_text("* PREAUTH ready\r\n")), Match::Yes);
  EXPECT_EQ(probe(kImap, tcp_flow(143), kDown, from_text("* ")), Match::Maybe);
  EXPECT_EQ(probe(kImap, tcp_flow(143), kUp, from_text("a001 CAPABILITY\r\n")), Match::Yes);
  EXPECT_EQ(probe(kImap, tcp_flow(143), kUp, from_text("A1 login bob secret\r\n")), Match::Yes);
  EXPECT_EQ(probe(kImap, tcp_flow(143), kUp, from_text("a001 CAPA")), Match::Maybe);
}

TEST(ImapProbe, OtherStartsAreNo) {
  for (const char* start : {"* 1 EXISTS\r\n", "a001 FETCH 1 BODY[]\r\n", "*1\r\n$4\r\nPING\r\n",
                            "+OK ready\r\n", "GET / HTTP/1.1\r\n", "a\x01 LOGIN x\r\n"})
    EXPECT_EQ(probe(kImap, tcp_flow(143), kUp, from_text(start)), Match::No) << start;
}

TEST(ImapSession, AcceptedStarttlsIsFlagged) {
  const Outcome r = run(kImap, kImapStarttls, tcp_flow(143));
  EXPECT_TRUE(r.out.starttls);
  EXPECT_EQ(r.done_at, 4);
  for (std::size_t cut = 1; cut < 30; ++cut)
    EXPECT_TRUE(run(kImap, split(kImapStarttls, cut), tcp_flow(143)).out.starttls) << cut;
}

TEST(ImapSession, RefusedStarttlsOrAnotherTagIsNotFlagged) {
  Outcome r = run(kImap,
                  {{kDown, from_text("* OK ready\r\n")},
                   {kUp, from_text("a002 STARTTLS\r\n")},
                   {kDown, from_text("a001 OK earlier command\r\n")},
                   {kDown, from_text("a002 NO not now\r\n")}},
                  tcp_flow(143));
  EXPECT_FALSE(r.out.starttls);
  r = run(kImap,
          {{kDown, from_text("* OK ready\r\n")},
           {kUp, from_text("a1 LOGIN bob secret\r\n")},
           {kDown, from_text("a1 OK\r\n")}},
          tcp_flow(143));
  EXPECT_FALSE(r.out.starttls);
  EXPECT_EQ(r.done_at, 1);
}

// ---- POP3: RFC 2595 4's example.
const Chunks kPop3Stls = {
    {kDown, from_text("+OK foo.com server ready\r\n")},
    {kUp, from_text("CAPA\r\n")},
    {kDown, from_text("+OK\r\nTOP\r\nSTLS\r\nUSER\r\nSASL PLAIN\r\n.\r\n")},
    {kUp, from_text("STLS\r\n")},
    {kDown, from_text("+OK Begin TLS negotiation\r\n")},
};

TEST(Pop3Probe, GreetingWithTextAndPop3OnlyCommandsAreYes) {
  EXPECT_EQ(probe(kPop3, tcp_flow(110), kDown, kPop3Stls[0].second), Match::Yes);
  EXPECT_EQ(probe(kPop3, tcp_flow(110), kDown, from_text("+O")), Match::Maybe);
  EXPECT_EQ(probe(kPop3, tcp_flow(110), kUp, from_text("CAPA\r\n")), Match::Yes);
  EXPECT_EQ(probe(kPop3, tcp_flow(110), kUp, from_text("STLS\r\n")), Match::Yes);
  EXPECT_EQ(probe(kPop3, tcp_flow(110), kUp,
                  from_text("apop mrose c4c9334bac560ecc979e58001b3e22fb\r\n")),
            Match::Yes);
}

TEST(Pop3Probe, RedisOkAndOtherStartsAreNo) {
  for (const char* start :
       {"+OK\r\n", "-ERR no\r\n", "+PONG\r\n", "USER bob\r\n", "* OK ready\r\n", "220 ready\r\n"})
    EXPECT_EQ(probe(kPop3, tcp_flow(6379), kDown, from_text(start)), Match::No) << start;
}

TEST(Pop3Session, AcceptedStlsIsFlagged) {
  const Outcome r = run(kPop3, kPop3Stls, tcp_flow(110));
  EXPECT_TRUE(r.out.starttls);
  EXPECT_EQ(r.done_at, 4);
  for (std::size_t cut = 1; cut < 30; ++cut)
    EXPECT_TRUE(run(kPop3, split(kPop3Stls, cut), tcp_flow(110)).out.starttls) << cut;
}

TEST(Pop3Session, RefusedStlsAndLoginInClear) {
  Outcome r = run(kPop3,
                  {{kDown, from_text("+OK ready\r\n")},
                   {kUp, from_text("STLS\r\n")},
                   {kDown, from_text("-ERR not supported\r\n")},
                   {kUp, from_text("USER bob\r\n")},
                   {kDown, from_text("+OK\r\n")},
                   {kUp, from_text("PASS secret\r\n")}},
                  tcp_flow(110));
  EXPECT_FALSE(r.out.starttls);
  EXPECT_EQ(r.done_at, 5);
}

TEST(MailSessions, GarbageNeverCrashesOrSetsStarttls) {
  std::vector<std::uint8_t> noise(3000);
  std::uint32_t x = 3;
  for (auto& b : noise) b = static_cast<std::uint8_t>((x = x * 1103515245 + 12345) >> 16);
  for (const Dissector* d : {&kSmtp, &kImap, &kPop3}) {
    const Outcome r = run(*d, {{kDown, noise}, {kUp, noise}, {kDown, noise}});
    EXPECT_FALSE(r.out.starttls) << d->proto;
  }
}

}  // namespace
}  // namespace wiretop::dpi
