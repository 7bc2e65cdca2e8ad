#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dpi/crypto.h"
#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {

extern const Dissector kSsh;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::tcp_flow;
using Bytes = std::vector<std::uint8_t>;
using Chunks = std::vector<std::pair<Direction, Bytes>>;
constexpr Direction kUp = Direction::ToServer;
constexpr Direction kDown = Direction::ToClient;

// ssh.pcap (nDPI), first connection: OpenSSH 5.6 client, OpenSSH 5.3 server.
// The expected HASSH values are nDPI's (HASSH-C/HASSH-S in ssh.pcap.out) and
// tshark's ssh.kex.hassh / ssh.kex.hasshserver.
const Bytes kServerBanner = from_text("SSH-2.0-OpenSSH_5.3\r\n");
const Bytes kClientBanner = from_text("SSH-2.0-OpenSSH_5.6\r\n");
// Frame 8: the client's KEXINIT packet (904 bytes).
const Bytes kClientKexinit = from_hex(
    "00000384041418ba31471acef22d8889d6d144500df40000007e646966666965"
    "2d68656c6c6d616e2d67726f75702d65786368616e67652d7368613235362c64"
    "69666669652d68656c6c6d616e2d67726f75702d65786368616e67652d736861"
    "312c6469666669652d68656c6c6d616e2d67726f757031342d736861312c6469"
    "666669652d68656c6c6d616e2d67726f7570312d73686131000000837373682d"
    "7273612d636572742d763031406f70656e7373682e636f6d2c7373682d647373"
    "2d636572742d763031406f70656e7373682e636f6d2c7373682d7273612d6365"
    "72742d763030406f70656e7373682e636f6d2c7373682d6473732d636572742d"
    "763030406f70656e7373682e636f6d2c7373682d7273612c7373682d64737300"
    "00009d6165733132382d6374722c6165733139322d6374722c6165733235362d"
    "6374722c617263666f75723235362c617263666f75723132382c616573313238"
    "2d6362632c336465732d6362632c626c6f77666973682d6362632c6361737431"
    "32382d6362632c6165733139322d6362632c6165733235362d6362632c617263"
    "666f75722c72696a6e6461656c2d636263406c797361746f722e6c69752e7365"
    "0000009d6165733132382d6374722c6165733139322d6374722c616573323536"
    "2d6374722c617263666f75723235362c617263666f75723132382c6165733132"
    "382d6362632c336465732d6362632c626c6f77666973682d6362632c63617374"
    "3132382d6362632c6165733139322d6362632c6165733235362d6362632c6172"
    "63666f75722c72696a6e6461656c2d636263406c797361746f722e6c69752e73"
    "6500000069686d61632d6d64352c686d61632d736861312c756d61632d363440"
    "6f70656e7373682e636f6d2c686d61632d726970656d643136302c686d61632d"
    "726970656d64313630406f70656e7373682e636f6d2c686d61632d736861312d"
    "39362c686d61632d6d64352d393600000069686d61632d6d64352c686d61632d"
    "736861312c756d61632d3634406f70656e7373682e636f6d2c686d61632d7269"
    "70656d643136302c686d61632d726970656d64313630406f70656e7373682e63"
    "6f6d2c686d61632d736861312d39362c686d61632d6d64352d39360000001a6e"
    "6f6e652c7a6c6962406f70656e7373682e636f6d2c7a6c69620000001a6e6f6e"
    "652c7a6c6962406f70656e7373682e636f6d2c7a6c6962000000000000000000"
    "0000000000000000");
// Frame 10: the server's KEXINIT packet (784 bytes).
const Bytes kServerKexinit = from_hex(
    "0000030c0a1400f2294e8c29fd1dc45641ba5dafaad70000007e646966666965"
    "2d68656c6c6d616e2d67726f75702d65786368616e67652d7368613235362c64"
    "69666669652d68656c6c6d616e2d67726f75702d65786368616e67652d736861"
    "312c6469666669652d68656c6c6d616e2d67726f757031342d736861312c6469"
    "666669652d68656c6c6d616e2d67726f7570312d736861310000000f7373682d"
    "7273612c7373682d6473730000009d6165733132382d6374722c616573313932"
    "2d6374722c6165733235362d6374722c617263666f75723235362c617263666f"
    "75723132382c6165733132382d6362632c336465732d6362632c626c6f776669"
    "73682d6362632c636173743132382d6362632c6165733139322d6362632c6165"
    "733235362d6362632c617263666f75722c72696a6e6461656c2d636263406c79"
    "7361746f722e6c69752e73650000009d6165733132382d6374722c6165733139"
    "322d6374722c6165733235362d6374722c617263666f75723235362c61726366"
    "6f75723132382c6165733132382d6362632c336465732d6362632c626c6f7766"
    "6973682d6362632c636173743132382d6362632c6165733139322d6362632c61"
    "65733235362d6362632c617263666f75722c72696a6e6461656c2d636263406c"
    "797361746f722e6c69752e736500000069686d61632d6d64352c686d61632d73"
    "6861312c756d61632d3634406f70656e7373682e636f6d2c686d61632d726970"
    "656d643136302c686d61632d726970656d64313630406f70656e7373682e636f"
    "6d2c686d61632d736861312d39362c686d61632d6d64352d393600000069686d"
    "61632d6d64352c686d61632d736861312c756d61632d3634406f70656e737368"
    "2e636f6d2c686d61632d726970656d643136302c686d61632d726970656d6431"
    "3630406f70656e7373682e636f6d2c686d61632d736861312d39362c686d6163"
    "2d6d64352d3936000000156e6f6e652c7a6c6962406f70656e7373682e636f6d"
    "000000156e6f6e652c7a6c6962406f70656e7373682e636f6d00000000000000"
    "00000000000000000000000000000000");
constexpr const char* kHassh = "21b457a327ce7a2d4fce5ef2c42400bd";
constexpr const char* kHasshServer = "b1c6c0d56317555b85c7005a3de29325";

Bytes join(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

struct Outcome {
  AppInfo out;
  int done_at = -1;
};
Outcome run(const Chunks& chunks) {
  Outcome r;
  testing::RecordingSinks sinks;
  const FlowInfo flow = tcp_flow(22);
  auto session = kSsh.make_session();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const Context ctx{flow, chunks[i].first, core::Timestamp{1}, sinks, sinks, r.out};
    if (session->feed(ctx, core::Bytes(chunks[i].second)) == Progress::Done) {
      r.done_at = static_cast<int>(i);
      break;
    }
  }
  return r;
}

void expect_all(const AppInfo& out) {
  EXPECT_EQ(out.ssh_client_banner, "SSH-2.0-OpenSSH_5.6");
  EXPECT_EQ(out.ssh_server_banner, "SSH-2.0-OpenSSH_5.3");
  EXPECT_EQ(out.hassh, kHassh);
  EXPECT_EQ(out.hassh_server, kHasshServer);
}

TEST(SshProbe, BannerInEitherDirectionIsYesAndItsPrefixMaybe) {
  EXPECT_EQ(probe(kSsh, tcp_flow(22), kDown, kServerBanner), Match::Yes);
  EXPECT_EQ(probe(kSsh, tcp_flow(8000), kUp, kClientBanner), Match::Yes);
  EXPECT_EQ(probe(kSsh, tcp_flow(22), kUp, from_text("SSH-1.99-")), Match::Yes);
  EXPECT_EQ(probe(kSsh, tcp_flow(22), kDown, from_text("SS")), Match::Maybe);
  EXPECT_EQ(probe(kSsh, tcp_flow(22), kDown, from_text("SSH-")), Match::Maybe);
}

TEST(SshProbe, OtherStartsAreNo) {
  for (const char* start : {"SSH-x.0-foo\r\n", "ssh-2.0-x\r\n", "GET / HTTP/1.1\r\n", "220 ok\r\n"})
    EXPECT_EQ(probe(kSsh, tcp_flow(22), kDown, from_text(start)), Match::No) << start;
  EXPECT_EQ(probe(kSsh, tcp_flow(22), kDown, from_hex("0000029c0a14")), Match::No);
}

TEST(SshSession, CaptureGivesBannersAndHasshLikeNdpiAndTshark) {
  const Outcome r = run({{kDown, kServerBanner},
                         {kUp, kClientBanner},
                         {kUp, kClientKexinit},
                         {kDown, kServerKexinit}});
  expect_all(r.out);
  EXPECT_EQ(r.done_at, 3);
}

TEST(SshSession, HasshIsMd5OfTheFourListsJoinedBySemicolons) {
  // tshark's ssh.kex.hassh_algorithms for the client's KEXINIT.
  const std::string algorithms =
      "diffie-hellman-group-exchange-sha256,diffie-hellman-group-exchange-sha1,"
      "diffie-hellman-group14-sha1,diffie-hellman-group1-sha1;"
      "aes128-ctr,aes192-ctr,aes256-ctr,arcfour256,arcfour128,aes128-cbc,3des-cbc,blowfish-cbc,"
      "cast128-cbc,aes192-cbc,aes256-cbc,arcfour,rijndael-cbc@lysator.liu.se;"
      "hmac-md5,hmac-sha1,umac-64@openssh.com,hmac-ripemd160,hmac-ripemd160@openssh.com,"
      "hmac-sha1-96,hmac-md5-96;none,zlib@openssh.com,zlib";
  EXPECT_EQ(crypto::md5_hex(algorithms), kHassh);
}

TEST(SshSession, BannerAndKexinitInOneSegment) {
  const Outcome r = run(
      {{kUp, join(kClientBanner, kClientKexinit)}, {kDown, join(kServerBanner, kServerKexinit)}});
  expect_all(r.out);
  EXPECT_EQ(r.done_at, 1);
}

TEST(SshSession, SplitAtEveryOffsetGivesTheSameResult) {
  const Bytes up = join(kClientBanner, kClientKexinit);
  const Bytes down = join(kServerBanner, kServerKexinit);
  for (std::size_t cut = 1; cut < down.size(); ++cut) {
    const Outcome r = run({{kUp, Bytes(up.begin(), up.begin() + std::min(cut, up.size()))},
                           {kDown, Bytes(down.begin(), down.begin() + cut)},
                           {kUp, Bytes(up.begin() + std::min(cut, up.size()), up.end())},
                           {kDown, Bytes(down.begin() + cut, down.end())}});
    expect_all(r.out);
    ASSERT_EQ(r.done_at, 3) << cut;
  }
}

TEST(SshSession, OneByteAtATime) {
  Chunks chunks;
  for (std::uint8_t b : join(kClientBanner, kClientKexinit)) chunks.push_back({kUp, {b}});
  for (std::uint8_t b : join(kServerBanner, kServerKexinit)) chunks.push_back({kDown, {b}});
  expect_all(run(chunks).out);
}

TEST(SshSession, LinesBeforeTheServerBannerAreSkipped) {
  const Outcome r = run({{kDown, from_text("Welcome to example\r\nauthorised use only\r\n")},
                         {kDown, join(kServerBanner, kServerKexinit)}});
  EXPECT_EQ(r.out.ssh_server_banner, "SSH-2.0-OpenSSH_5.3");
  EXPECT_EQ(r.out.hassh_server, kHasshServer);
}

TEST(SshSession, BannerWithCommentsIsKeptWithoutCrLf) {
  const Outcome r = run({{kUp, from_text("SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.11\r\n")}});
  EXPECT_EQ(r.out.ssh_client_banner, "SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.11");
  EXPECT_EQ(r.out.hassh, "");
}

TEST(SshSession, TruncatedKexinitGivesNoHassh) {
  for (std::size_t size :
       {std::size_t{1}, std::size_t{4}, std::size_t{5}, kClientKexinit.size() - 1}) {
    const Outcome r = run(
        {{kUp, join(kClientBanner, Bytes(kClientKexinit.begin(), kClientKexinit.begin() + size))}});
    EXPECT_EQ(r.out.ssh_client_banner, "SSH-2.0-OpenSSH_5.6");
    EXPECT_EQ(r.out.hassh, "") << size;
  }
}

TEST(SshSession, PacketLengthOverTheLimitIsGivenUp) {
  const Outcome r = run({{kUp, join(kClientBanner, from_hex("7fffffff0a14"))},
                         {kDown, join(kServerBanner, kServerKexinit)}});
  EXPECT_EQ(r.out.hassh, "");
  EXPECT_EQ(r.out.hassh_server, kHasshServer);
  EXPECT_EQ(r.done_at, 1);
}

TEST(SshSession, PacketLengthTooSmallForAMessageIsGivenUp) {
  for (const char* hex : {"00000000", "00000001ff"}) {
    const Outcome r = run({{kUp, join(kClientBanner, from_hex(hex))},
                           {kDown, join(kServerBanner, kServerKexinit)}});
    EXPECT_EQ(r.out.hassh, "") << hex;
    EXPECT_EQ(r.done_at, 1) << hex;
  }
}

TEST(SshSession, FirstPacketThatIsNoKexinitEndsTheDirection) {
  // packet_length 12, padding 4, payload: SSH_MSG_IGNORE (2) and an empty string.
  const Outcome r =
      run({{kUp, join(kClientBanner, from_hex("0000000c04020000000000000000000000"))}});
  EXPECT_EQ(r.out.hassh, "");
}

TEST(SshSession, NameListOverrunningThePacketGivesNoHassh) {
  Bytes broken = kClientKexinit;
  broken[4 + 1 + 1 + 16] = 0x7f;  // first name-list length: far beyond the packet
  const Outcome r = run({{kUp, join(kClientBanner, broken)}});
  EXPECT_EQ(r.out.hassh, "");
}

TEST(SshSession, TooManyLinesWithoutBannerEndTheDirection) {
  std::string lines;
  for (int i = 0; i < 40; ++i) lines += "hello\r\n";
  const Outcome r = run({{kDown, from_text(lines)}, {kDown, kServerBanner}});
  EXPECT_EQ(r.out.ssh_server_banner, "");
}

TEST(SshSession, GarbageNeverCrashesOrFillsFields) {
  Bytes noise(4000);
  std::uint32_t x = 99;
  for (auto& b : noise) b = static_cast<std::uint8_t>((x = x * 1103515245 + 12345) >> 16);
  const Outcome r = run({{kUp, noise}, {kDown, noise}, {kUp, join(kClientBanner, noise)}});
  EXPECT_EQ(r.out.hassh, "");
  EXPECT_EQ(r.out.ssh_server_banner, "");
}

}  // namespace
}  // namespace wiretop::dpi
