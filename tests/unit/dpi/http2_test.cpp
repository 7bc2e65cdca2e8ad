#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {

extern const Dissector kHttp2;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::tcp_flow;
using Bytes = std::vector<std::uint8_t>;
using Chunks = std::vector<std::pair<Direction, Bytes>>;
constexpr Direction kUp = Direction::ToServer;
constexpr Direction kDown = Direction::ToClient;

const Bytes kPreface = from_text("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
const Bytes kEmptySettings = from_hex("000000 04 00 00000000");

// RFC 7541 C.3.1: GET http://www.example.com/ without Huffman coding, in a
// HEADERS frame (END_STREAM | END_HEADERS, stream 1).
const Bytes kPlainRequest = from_hex(
    "000014 01 05 00000001"
    "828684410f7777772e6578616d706c652e636f6d");
// RFC 7541 C.4.1: the same request, :authority Huffman-coded.
const Bytes kHuffmanRequest = from_hex(
    "000011 01 05 00000001"
    "828684418cf1e3c2e5f23a6ba0ab90f4ff");
// RFC 7541 C.5.1: a 302 response without Huffman coding (END_HEADERS).
const Bytes kPlainResponse = from_hex(
    "000046 01 04 00000001"
    "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120"
    "474d546e1768747470733a2f2f7777772e6578616d706c652e636f6d");

Bytes join(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

struct Outcome {
  AppInfo out;
  int done_at = -1;
};
Outcome run(const Chunks& chunks) {
  Outcome r;
  testing::RecordingSinks sinks;
  const FlowInfo flow = tcp_flow(80);
  auto session = kHttp2.make_session();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const Context ctx{flow, chunks[i].first, core::Timestamp{1}, sinks, sinks, r.out};
    if (session->feed(ctx, core::Bytes(chunks[i].second)) == Progress::Done) {
      r.done_at = static_cast<int>(i);
      break;
    }
  }
  return r;
}

TEST(Http2Probe, PrefaceIsYesItsPrefixMaybe) {
  EXPECT_EQ(probe(kHttp2, tcp_flow(8080), kUp, join({kPreface, kEmptySettings})), Match::Yes);
  EXPECT_EQ(probe(kHttp2, tcp_flow(80), kUp, from_text("PRI * HTTP/2")), Match::Maybe);
  EXPECT_EQ(probe(kHttp2, tcp_flow(80), kUp, from_text("PRI * HTTP/1.1\r\n")), Match::No);
  EXPECT_EQ(probe(kHttp2, tcp_flow(80), kDown, kEmptySettings), Match::No);
}

TEST(Http2Session, PlainHeadersGiveRequestAndResponseFields) {
  const Outcome r = run({{kUp, join({kPreface, kEmptySettings, kPlainRequest})},
                         {kDown, join({kEmptySettings, kPlainResponse})}});
  EXPECT_EQ(r.out.http_method, "GET");
  EXPECT_EQ(r.out.http_path, "/");
  EXPECT_EQ(r.out.http_host, "www.example.com");
  EXPECT_EQ(r.out.http_status, 302);
  EXPECT_EQ(r.done_at, 1);
}

TEST(Http2Session, SplitAtEveryOffsetGivesTheSameFields) {
  const Bytes up = join({kPreface, kEmptySettings, kPlainRequest});
  const Bytes down = join({kEmptySettings, kPlainResponse});
  for (std::size_t cut = 1; cut < up.size(); ++cut) {
    const std::size_t down_cut = std::min(cut, down.size() - 1);
    const Outcome r = run({{kUp, Bytes(up.begin(), up.begin() + cut)},
                           {kDown, Bytes(down.begin(), down.begin() + down_cut)},
                           {kUp, Bytes(up.begin() + cut, up.end())},
                           {kDown, Bytes(down.begin() + down_cut, down.end())}});
    EXPECT_EQ(r.out.http_host, "www.example.com") << cut;
    EXPECT_EQ(r.out.http_status, 302) << cut;
    ASSERT_EQ(r.done_at, 3) << cut;
  }
}

TEST(Http2Session, HuffmanValuesAreLeftOutStaticOnesKept) {
  const Outcome r = run({{kUp, join({kPreface, kHuffmanRequest})}});
  EXPECT_EQ(r.out.http_method, "GET");
  EXPECT_EQ(r.out.http_path, "/");
  EXPECT_EQ(r.out.http_host, "");
}

TEST(Http2Session, PaddingAndPriorityAreSkipped) {
  // PADDED | PRIORITY | END_HEADERS: pad length 3, 5 priority bytes, block, 3 padding bytes.
  const Bytes headers = from_hex(
      "00001d 01 2c 00000001"
      "03 8000000010"
      "828684410f7777772e6578616d706c652e636f6d"
      "000000");
  const Outcome r = run({{kUp, join({kPreface, headers})}});
  EXPECT_EQ(r.out.http_host, "www.example.com");
}

TEST(Http2Session, LiteralNamesUserAgentAndLongIntegers) {
  // Literal without indexing, new name "user-agent", value "curl/8.0"; then a
  // dynamic table size update with a multi-byte integer (RFC 7541 C.1.2: 1337).
  const Bytes block = join({from_hex("000a"), from_text("user-agent"), from_hex("08"),
                            from_text("curl/8.0"), from_hex("3f9a0a")});
  Bytes frame = from_hex("000000 01 04 00000001");
  frame[2] = static_cast<std::uint8_t>(block.size());
  frame.insert(frame.end(), block.begin(), block.end());
  const Outcome r = run({{kUp, join({kPreface, frame})}});
  EXPECT_EQ(r.out.http_user_agent, "curl/8.0");
}

TEST(Http2Session, TruncatedOrOverrunningBlocksKeepWhatCameBefore) {
  // The :authority length says 15 but the frame ends after 4 bytes of it.
  const Bytes headers = from_hex("000009 01 04 00000001 828684410f77777772");
  const Outcome r = run({{kUp, join({kPreface, headers})}});
  EXPECT_EQ(r.out.http_method, "GET");
  EXPECT_EQ(r.out.http_host, "");
}

TEST(Http2Session, OversizedFrameEndsTheDirection) {
  const Outcome r = run({{kUp, join({kPreface, from_hex("ffffff 01 04 00000001 82")})},
                         {kDown, join({kEmptySettings, kPlainResponse})}});
  EXPECT_EQ(r.out.http_method, "");
  EXPECT_EQ(r.out.http_status, 302);
  EXPECT_EQ(r.done_at, 1);
}

TEST(Http2Session, GarbageNeverCrashesOrFillsFields) {
  Bytes noise(4000);
  std::uint32_t x = 5;
  for (auto& b : noise) b = static_cast<std::uint8_t>((x = x * 1103515245 + 12345) >> 16);
  const Outcome r = run({{kUp, join({kPreface, noise})}, {kDown, noise}, {kUp, noise}});
  for (const std::string* s : {&r.out.http_host, &r.out.http_path, &r.out.http_user_agent})
    for (char c : *s) EXPECT_TRUE(c >= 0x20 && c < 0x7f);
}

}  // namespace
}  // namespace wiretop::dpi
