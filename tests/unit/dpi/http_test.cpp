#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {

extern const Dissector kHttp;
extern const Dissector kHttp2;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::run_session;
using testing::tcp_flow;
using Chunks = std::vector<std::pair<Direction, std::vector<std::uint8_t>>>;
constexpr Direction kUp = Direction::ToServer;
constexpr Direction kDown = Direction::ToClient;

// http.pcapng (nDPI): curl's request and the first segment of Google's 301.
const std::string kCurlRequest =
    "GET / HTTP/1.1\r\n"
    "Host: google.com\r\n"
    "User-Agent: curl/7.68.0\r\n"
    "Accept: */*\r\n"
    "\r\n";
const std::string kGoogleResponse =
    "HTTP/1.1 301 Moved Permanently\r\n"
    "Location: http://www.google.com/\r\n"
    "Content-Type: text/html; charset=UTF-8\r\n"
    "Date: Tue, 25 Jan 2022 16:50:41 GMT\r\n"
    "Expires: Thu, 24 Feb 2022 16:50:41 GMT\r\n"
    "Cache-Control: public, max-age=2592000\r\n"
    "Server: gws\r\n"
    "Content-Length: 219\r\n"
    "X-XSS-Protection: 0\r\n"
    "X-Frame-Options: SAMEORIGIN\r\n"
    "\r\n"
    "<HTML><HEAD><meta http-equiv=\"content-type\" content=\"text/html;charset=utf-8\">\n";

void expect_curl_fields(const AppInfo& out) {
  EXPECT_EQ(out.http_method, "GET");
  EXPECT_EQ(out.http_host, "google.com");
  EXPECT_EQ(out.http_path, "/");
  EXPECT_EQ(out.http_user_agent, "curl/7.68.0");
  EXPECT_EQ(out.http_status, 301);
  EXPECT_EQ(out.http_content_type, "text/html; charset=UTF-8");
}

// Feeds the chunks and reports whether the session said Done (and when).
struct Outcome {
  AppInfo out;
  int done_at = -1;  // index of the chunk after which feed returned Done
};
Outcome run(const Chunks& chunks, const FlowInfo& flow = tcp_flow(80)) {
  Outcome r;
  r.out.proto = "HTTP";
  testing::RecordingSinks sinks;
  auto session = kHttp.make_session();
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const Context ctx{flow, chunks[i].first, core::Timestamp{1}, sinks, sinks, r.out};
    if (session->feed(ctx, core::Bytes(chunks[i].second)) == Progress::Done) {
      r.done_at = static_cast<int>(i);
      break;
    }
  }
  return r;
}

// ---- probe

TEST(HttpProbe, RequestLineIsYesInEitherDirection) {
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kUp, from_text(kCurlRequest)), Match::Yes);
  EXPECT_EQ(probe(kHttp, tcp_flow(5000), kDown, from_text(kCurlRequest)), Match::Yes);
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kUp, from_text("POST /upload")), Match::Yes);
  EXPECT_EQ(probe(kHttp, tcp_flow(3128), kUp, from_text("CONNECT example.com:443 HTTP/1.1\r\n")),
            Match::Yes);
}

TEST(HttpProbe, ShortPrefixOfAMethodIsMaybe) {
  for (const char* start : {"G", "GE", "GET", "PROPF", "OPTIONS"})
    EXPECT_EQ(probe(kHttp, tcp_flow(80), kUp, from_text(start)), Match::Maybe) << start;
}

TEST(HttpProbe, StatusLineFromAServerIsYesAndItsPrefixMaybe) {
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kDown, from_text(kGoogleResponse)), Match::Yes);
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kDown, from_text("HTTP/1.1 200 \r\n")), Match::Yes);
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kDown, from_text("HTTP/1.0 404")), Match::Yes);
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kDown, from_text("HTTP/1.1 2")), Match::Maybe);
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kDown, from_text("HT")), Match::Maybe);
}

TEST(HttpProbe, OtherTextProtocolsAreNo) {
  for (const char* start :
       {"OPTIONS rtsp://cam/ RTSP/1.0\r\n", "DESCRIBE rtsp://cam/ RTSP/1.0\r\n",
        "RTSP/1.0 200 OK\r\n", "GET key\r\n", "get / HTTP/1.1\r\n", "GETS / HTTP/1.1\r\n",
        "INVITE sip:bob@example.com SIP/2.0\r\n", "HTTP/2 200\r\n", "HTTP/1.1 20x OK\r\n",
        "SSH-2.0-OpenSSH_8.2\r\n", "220 ftp ready\r\n", "GET /x RTSP/1"})
    EXPECT_EQ(probe(kHttp, tcp_flow(80), kUp, from_text(start)), Match::No) << start;
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kUp, from_hex("16030100a5010000a1")), Match::No);
}

TEST(HttpProbe, Http2PrefaceIsHttp2AndNotHttp) {
  const auto preface = from_text("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  EXPECT_EQ(probe(kHttp, tcp_flow(80), kUp, preface), Match::No);
  EXPECT_EQ(probe(kHttp2, tcp_flow(80), kUp, preface), Match::Yes);
  EXPECT_EQ(probe(kHttp2, tcp_flow(80), kUp, from_text("PRI * HTTP/2.0\r\n")), Match::Maybe);
  EXPECT_EQ(probe(kHttp2, tcp_flow(80), kUp, from_text(kCurlRequest)), Match::No);
}

// ---- session

TEST(HttpSession, CurlCaptureGivesEveryFieldAndIsDone) {
  const Outcome r = run({{kUp, from_text(kCurlRequest)}, {kDown, from_text(kGoogleResponse)}});
  expect_curl_fields(r.out);
  EXPECT_EQ(r.done_at, 1);
}

TEST(HttpSession, RequestAloneIsNotDone) {
  const Outcome r = run({{kUp, from_text(kCurlRequest)}});
  EXPECT_EQ(r.out.http_host, "google.com");
  EXPECT_EQ(r.out.http_status, -1);
  EXPECT_EQ(r.done_at, -1);
}

TEST(HttpSession, SplitAtEveryOffsetGivesTheSameFields) {
  for (std::size_t cut = 1; cut < kCurlRequest.size(); ++cut) {
    const Outcome r = run({{kUp, from_text(kCurlRequest.substr(0, cut))},
                           {kUp, from_text(kCurlRequest.substr(cut))},
                           {kDown, from_text(kGoogleResponse.substr(0, cut))},
                           {kDown, from_text(kGoogleResponse.substr(cut))}});
    expect_curl_fields(r.out);
    EXPECT_EQ(r.done_at, 3) << cut;
  }
}

TEST(HttpSession, OneByteAtATimeBothWaysInterleaved) {
  Chunks chunks;
  for (std::size_t i = 0; i < kGoogleResponse.size(); ++i) {
    if (i < kCurlRequest.size()) chunks.push_back({kUp, from_text(kCurlRequest.substr(i, 1))});
    chunks.push_back({kDown, from_text(kGoogleResponse.substr(i, 1))});
  }
  expect_curl_fields(run(chunks).out);
}

// http_ua_splitted_in_two_pkts.pcapng: the User-Agent is cut after "Mozil" at
// the end of the first segment; the Host comes in the second. The request
// line's 1.2 KB query string is shortened here.
TEST(HttpSession, UserAgentSplitAcrossTwoSegmentsIsWhole) {
  const Outcome r = run({
      {kUp, from_text("GET /tracking/adImpression?d=IAAAAAAgAAA6X1tPSEVE&ts=1506671989776"
                      "&afh=COLUFUMxuJW3sbxoFZeVWg HTTP/1.1\r\n"
                      "Cache-Control: no-cache\r\n"
                      "Cookie: JSESSIONID=784F27AF20E357C1D6B456D33B247A0B\r\n"
                      "User-Agent: Mozil")},
      {kUp, from_text("la/5.0 (Linux; Android 6.0.1; SM-T805 Build/MMB29K; wv) AppleWebKit/537.36 "
                      "(KHTML, like Gecko) Version/4.0 Chrome/61.0.3163.98 Safari/537.36\r\n"
                      "Accept: application/json;text/html;text/plain\r\n"
                      "Host: va.origin.startappservice.com\r\n"
                      "Connection: Keep-Alive\r\n"
                      "Accept-Encoding: gzip\r\n"
                      "\r\n")},
      {kDown, from_text("HTTP/1.1 200 \r\n"
                        "Access-Control-Allow-Origin: *\r\n"
                        "Date: Fri, 29 Sep 2017 06:00:14 GMT\r\n"
                        "Content-Length: 0\r\n"
                        "Connection: keep-alive\r\n"
                        "\r\n")},
  });
  EXPECT_EQ(r.out.http_host, "va.origin.startappservice.com");
  EXPECT_EQ(r.out.http_user_agent,
            "Mozilla/5.0 (Linux; Android 6.0.1; SM-T805 Build/MMB29K; wv) AppleWebKit/537.36 "
            "(KHTML, like Gecko) Version/4.0 Chrome/61.0.3163.98 Safari/537.36");
  EXPECT_EQ(r.out.http_path.substr(0, 27), "/tracking/adImpression?d=IA");
  EXPECT_EQ(r.out.http_status, 200);
  EXPECT_EQ(r.out.http_content_type, "");
  EXPECT_EQ(r.done_at, 2);
}

TEST(HttpSession, HostKeepsItsPortAndNamesAreCaseInsensitive) {
  const Outcome r = run({{kUp, from_text("GET /a HTTP/1.0\r\nHOST:  example.com:8080 \r\n"
                                         "user-agent: Wget/1.21\r\n\r\n")}},
                        tcp_flow(8080));
  EXPECT_EQ(r.out.http_host, "example.com:8080");
  EXPECT_EQ(r.out.http_user_agent, "Wget/1.21");
}

TEST(HttpSession, BasicAuthorizationMarksCleartextCredentials) {
  const Outcome basic = run({{kUp, from_text("GET / HTTP/1.1\r\nHost: a\r\n"
                                             "authorization: basic dXNlcjpwYXNz\r\n\r\n")}});
  EXPECT_EQ(basic.out.cleartext_auth, "http_basic");
  const Outcome bearer = run({{kUp, from_text("GET / HTTP/1.1\r\nHost: a\r\n"
                                              "Authorization: Bearer abc\r\n\r\n")}});
  EXPECT_EQ(bearer.out.cleartext_auth, "");
  EXPECT_EQ(run({{kUp, from_text(kCurlRequest)}}).out.cleartext_auth, "");
}

TEST(HttpSession, ProxyRequestsKeepTheirTargetAsSent) {
  Outcome r =
      run({{kUp, from_text("GET http://example.com/x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")}},
          tcp_flow(3128));
  EXPECT_EQ(r.out.http_path, "http://example.com/x?y=1");
  EXPECT_EQ(r.out.http_host, "example.com");
  r = run({{kUp, from_text("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")},
           {kDown, from_text("HTTP/1.1 200 Connection established\r\n\r\n")},
           {kUp, from_hex("1603010200010001fc0303")}},
          tcp_flow(3128));
  EXPECT_EQ(r.out.http_method, "CONNECT");
  EXPECT_EQ(r.out.http_path, "example.com:443");
  EXPECT_EQ(r.out.http_host, "example.com:443");
  EXPECT_EQ(r.out.http_status, 200);
  EXPECT_EQ(r.done_at, 1);
}

TEST(HttpSession, InterimResponsesAreSkippedForTheFinalStatus) {
  const Outcome r =
      run({{kUp, from_text("PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n")},
           {kDown, from_text("HTTP/1.1 100 Continue\r\n\r\n")},
           {kDown, from_text("HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\n\r\n")}});
  EXPECT_EQ(r.out.http_status, 201);
  EXPECT_EQ(r.out.http_content_type, "text/plain");
  EXPECT_EQ(r.done_at, 2);
}

TEST(HttpSession, SwitchingProtocolsIsTheFinalResponse) {
  const Outcome r =
      run({{kUp, from_text("GET /chat HTTP/1.1\r\nHost: ws.example\r\nUpgrade: websocket\r\n\r\n")},
           {kDown, from_text("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")}});
  EXPECT_EQ(r.out.http_status, 101);
  EXPECT_EQ(r.done_at, 1);
}

TEST(HttpSession, RequestContentTypeStandsUntilAResponseNamesOne) {
  Outcome r = run(
      {{kUp, from_text("POST /api HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n\r\n")},
       {kDown, from_text("HTTP/1.1 204 No Content\r\n\r\n")}});
  EXPECT_EQ(r.out.http_content_type, "application/json");
  r = run({{kDown, from_text("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")},
           {kUp,
            from_text("POST /api HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n\r\n")}});
  EXPECT_EQ(r.out.http_content_type, "text/html");
}

TEST(HttpSession, OnlyTheFirstRequestAndResponseCount) {
  const Outcome r =
      run({{kUp, from_text(kCurlRequest + "GET /2 HTTP/1.1\r\nHost: other.example\r\n\r\n")},
           {kUp, from_text("GET /3 HTTP/1.1\r\nHost: third.example\r\n\r\n")},
           {kDown, from_text("HTTP/1.1 200 OK\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n")}});
  EXPECT_EQ(r.out.http_host, "google.com");
  EXPECT_EQ(r.out.http_path, "/");
  EXPECT_EQ(r.out.http_status, 200);
}

TEST(HttpSession, CaptureStartingMidMessageResyncsOnTheNextStartLine) {
  const Outcome r = run({{kUp, from_text("ody of an earlier POST\r\nmore=body\r\n")},
                         {kUp, from_hex("00ff10")},
                         {kUp, from_text("\r\nGET /next HTTP/1.1\r\nHost: later.example\r\n\r\n")},
                         {kDown, from_text("<html>tail of a page</html>\n")},
                         {kDown, from_text("HTTP/1.1 304 Not Modified\r\n\r\n")}});
  EXPECT_EQ(r.out.http_host, "later.example");
  EXPECT_EQ(r.out.http_path, "/next");
  EXPECT_EQ(r.out.http_status, 304);
  EXPECT_EQ(r.done_at, 4);
}

TEST(HttpSession, RequestSeenTowardTheClientIsStillARequest) {
  const Outcome r = run({{kDown, from_text(kCurlRequest)}, {kUp, from_text(kGoogleResponse)}},
                        tcp_flow(42170, 80));
  expect_curl_fields(r.out);
  EXPECT_EQ(r.done_at, 1);
}

TEST(HttpSession, OverlongHeaderLineGivesUpTheMessage) {
  const std::string big(9000, 'a');
  const Outcome r = run({{kUp, from_text("GET / HTTP/1.1\r\nUser-Agent: ua\r\nCookie: " + big +
                                         "\r\nHost: too.late\r\n\r\n")},
                         {kDown, from_text("HTTP/1.1 200 OK\r\n\r\n")}});
  EXPECT_EQ(r.out.http_user_agent, "ua");
  EXPECT_EQ(r.out.http_host, "");
  EXPECT_EQ(r.out.http_status, 200);
  EXPECT_EQ(r.done_at, 1);  // both directions are finished: one read, one given up
}

TEST(HttpSession, HeaderBlockIsCapped) {
  std::string request = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i)
    request += "X-Filler-" + std::to_string(i) + ": " + std::string(400, 'f') + "\r\n";
  request += "Host: too.late\r\n\r\n";
  const Outcome r = run({{kUp, from_text(request)}});
  EXPECT_EQ(r.out.http_method, "GET");
  EXPECT_EQ(r.out.http_host, "");
}

TEST(HttpSession, FieldsAreMadePrintableAndCapped) {
  const std::string path = "/" + std::string(600, 'p');
  const Outcome r = run({{kUp, from_text("GET " + path +
                                         " HTTP/1.1\r\nHost: a\x01"
                                         "b\xff\r\n\r\n")}});
  EXPECT_EQ(r.out.http_host, "a?b?");
  EXPECT_EQ(r.out.http_path.size(), AppInfo::kMaxText);
}

TEST(HttpSession, BareLineFeedsAndFoldedLinesAreAccepted) {
  const Outcome r =
      run({{kUp, from_text("GET /lf HTTP/1.1\nX-Long: a\n  continued\nHost: lf.example\n\n")},
           {kDown, from_text("HTTP/1.0 200 OK\nContent-Type: text/plain\n\n")}});
  EXPECT_EQ(r.out.http_host, "lf.example");
  EXPECT_EQ(r.out.http_content_type, "text/plain");
  EXPECT_EQ(r.done_at, 1);
}

TEST(HttpSession, EveryTruncationGivesOnlyCorrectFields) {
  for (std::size_t cut = 0; cut <= kCurlRequest.size(); ++cut) {
    const Outcome r = run({{kUp, from_text(kCurlRequest.substr(0, cut))}});
    EXPECT_EQ(r.done_at, -1);
    if (!r.out.http_host.empty()) {
      EXPECT_EQ(r.out.http_host, "google.com");
    }
    if (!r.out.http_method.empty()) {
      EXPECT_EQ(r.out.http_method, "GET");
    }
  }
}

TEST(HttpSession, GarbageNeverCrashesOrFillsFields) {
  std::vector<std::uint8_t> noise(5000);
  std::uint32_t x = 12345;
  for (auto& b : noise) b = static_cast<std::uint8_t>((x = x * 1103515245 + 12345) >> 16);
  const Outcome r = run({{kUp, noise}, {kDown, noise}, {kUp, from_text("\r\n\r\n: \r\n")}});
  EXPECT_EQ(r.out.http_method, "");
  EXPECT_EQ(r.out.http_host, "");
  EXPECT_EQ(r.out.http_status, -1);
}

}  // namespace
}  // namespace wiretop::dpi
