#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/dissector.h"
#include "dpi/dns_wire.h"
#include "dpi/inspector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {

extern const Dissector kDns;
extern const Dissector kMdns;
extern const Dissector kLlmnr;

namespace {

using testing::from_hex;
using testing::probe;
using testing::RecordingSinks;
using testing::run_session;
using testing::tcp_flow;
using testing::udp_flow;
using Message = std::vector<std::uint8_t>;
using Chunks = std::vector<std::pair<Direction, Message>>;
constexpr auto kToServer = Direction::ToServer;
constexpr auto kToClient = Direction::ToClient;

// ---- Messages from the shared captures (UDP payloads).

// dns.pcap frames 4 and 5: e7.whatsapp.net A, eight A answers behind pointers.
const Message kWhatsappQuery =
    from_hex("784301000001000000000000026537087768617473617070036e65740000010001");
const Message kWhatsappResponse = from_hex(
    "784381800001000800000000026537087768617473617070036e65740000010001"
    "c00c00010001000001eb0004a92ddbeb c00c00010001000001eb0004a92f288e"
    "c00c00010001000001eb0004a92df879 c00c00010001000001eb00046ca8b0ea"
    "c00c00010001000001eb0004a92df8bd c00c00010001000001eb0004a92df8b4"
    "c00c00010001000001eb0004a935514f c00c00010001000001eb0004a92ddbe8");
const std::vector<std::string> kWhatsappAddresses{
    "169.45.219.235", "169.47.40.142",  "169.45.248.121", "108.168.176.234",
    "169.45.248.189", "169.45.248.180", "169.53.81.79",   "169.45.219.232"};

// dns-invalid-chars.pcap frame 1: bytes 04 05 06 inside a label.
const Message kInvalidCharsQuery = from_hex(
    "9f6c010000010000000000000377777717616c6c796f7572626104050661726562656c6f6e67746f02636e00"
    "00010001");

// dns_long_domainname.pcap frame 2: NXDOMAIN with an SOA in the authority section.
const Message kNxdomainResponse = from_hex(
    "8b548183000100000001000006676d7230326302313601300c66686b666873646b6668736b0674756e6e656c"
    "076578616d706c6503636f6d0000010001c02c00060001000005c3002c026e73056963616e6e036f726700036e"
    "6f6303646e73c04c7867fabe00001c2000000e100012750000000e10");

// whatsapp_login_chat.pcap frame 81, to 224.0.0.251:5353: two PTR questions
// with the unicast-response bit (class 0x8001), the second behind a pointer.
const Message kMdnsQuery = from_hex(
    "000000000002000000000000055f72616f70045f746370056c6f63616c00000c8001085f616972706c6179c012"
    "000c8001");

// custom_risk_mask.pcapng frame 1, to [ff02::1:3]:5355: a UTF-8 name, type ANY.
const Message kLlmnrQuery = from_hex("f604000000010000000000000ce5b08fe4bd9be5b088e6a99f0000ff0001");

// dns_fragmented.pcap frame 48: DNS over TCP, length prefix included
// (weberlab.de DNSKEY with an EDNS OPT record).
const Message kTcpQuery = from_hex(
    "003480e4012000010000000000010877656265726c61620264650000300001000029100000008000000c000a00"
    "081b9af622ab2c9740");

// ---- Helpers.

Message framed(const Message& m) {
  Message out{static_cast<std::uint8_t>(m.size() >> 8), static_cast<std::uint8_t>(m.size())};
  out.insert(out.end(), m.begin(), m.end());
  return out;
}

Message concat(const Message& a, const Message& b) {
  Message out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// A message with a 12-byte header (flags, counts) and `body` after it.
Message message(std::uint16_t flags, std::uint16_t qd, std::uint16_t an, const Message& body) {
  Message m{0x12, 0x34, static_cast<std::uint8_t>(flags >> 8), static_cast<std::uint8_t>(flags),
            0, static_cast<std::uint8_t>(qd), 0, static_cast<std::uint8_t>(an), 0, 0, 0, 0};
  m[4] = static_cast<std::uint8_t>(qd >> 8);
  m[6] = static_cast<std::uint8_t>(an >> 8);
  m.insert(m.end(), body.begin(), body.end());
  return m;
}

// The wire form of "a.b.c" (labels only, no compression).
Message wire_name(const std::string& dotted) {
  Message out;
  std::size_t start = 0;
  while (start < dotted.size()) {
    std::size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    out.push_back(static_cast<std::uint8_t>(dot - start));
    out.insert(out.end(), dotted.begin() + static_cast<std::ptrdiff_t>(start),
               dotted.begin() + static_cast<std::ptrdiff_t>(dot));
    start = dot + 1;
  }
  out.push_back(0);
  return out;
}

Message question(const std::string& name, std::uint16_t type) {
  Message q = wire_name(name);
  q.insert(q.end(), {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type), 0, 1});
  return q;
}

// A record of class IN, TTL 60, whose owner is `owner` (already wire form).
Message record(const Message& owner, std::uint16_t type, const Message& rdata) {
  Message r = owner;
  r.insert(r.end(), {static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type), 0, 1,
                     0, 0, 0, 60, static_cast<std::uint8_t>(rdata.size() >> 8),
                     static_cast<std::uint8_t>(rdata.size())});
  r.insert(r.end(), rdata.begin(), rdata.end());
  return r;
}

std::vector<std::string> names_of(const AppInfo& info) {
  std::vector<std::string> names;
  for (const DnsQuery& q : info.dns_queries) names.push_back(q.name);
  return names;
}

std::optional<std::string> name_at(const Message& m, std::size_t offset) {
  core::ByteReader r(m);
  r.seek(offset);
  return dns::read_name(r);
}

// ---- Sessions on captured messages.

TEST(DnsSession, WhatsappQueryAndResponseGiveQuestionAnswersRcodeAndNames) {
  RecordingSinks sinks;
  const AppInfo info = run_session(kDns, udp_flow(53),
                                   {{kToServer, kWhatsappQuery}, {kToClient, kWhatsappResponse}},
                                   &sinks);
  ASSERT_EQ(info.dns_queries.size(), 1u);
  EXPECT_EQ(info.dns_queries[0], (DnsQuery{"e7.whatsapp.net", "A"}));
  EXPECT_EQ(info.dns_answers, kWhatsappAddresses);
  EXPECT_EQ(info.dns_rcode, "NOERROR");
  ASSERT_EQ(sinks.names.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(sinks.names[i].address.to_string(), kWhatsappAddresses[i]);
    EXPECT_EQ(sinks.names[i].name, "e7.whatsapp.net");
  }
}

TEST(DnsSession, QueryAloneHasNoRcodeAndTeachesNoNames) {
  RecordingSinks sinks;
  const AppInfo info = run_session(kDns, udp_flow(53), {{kToServer, kWhatsappQuery}}, &sinks);
  EXPECT_EQ(names_of(info), std::vector<std::string>{"e7.whatsapp.net"});
  EXPECT_EQ(info.dns_rcode, "");
  EXPECT_TRUE(info.dns_answers.empty());
  EXPECT_TRUE(sinks.names.empty());
}

TEST(DnsSession, UdpSessionNeverEnds) {
  AppInfo out;
  RecordingSinks sinks;
  const FlowInfo flow = udp_flow(53);
  auto session = kDns.make_session();
  for (const Message* m : {&kWhatsappQuery, &kWhatsappResponse, &kNxdomainResponse}) {
    const Context ctx{flow, kToClient, core::Timestamp{1}, sinks, sinks, out};
    EXPECT_EQ(session->feed(ctx, core::Bytes(*m)), Progress::More);
  }
  EXPECT_TRUE(kDns.every_packet && kMdns.every_packet && kLlmnr.every_packet);
}

TEST(DnsSession, NonPrintableLabelBytesBecomeQuestionMarks) {
  const AppInfo info = run_session(kDns, udp_flow(53), {{kToServer, kInvalidCharsQuery}});
  EXPECT_EQ(names_of(info), std::vector<std::string>{"www.allyourba???arebelongto.cn"});
}

TEST(DnsSession, LastResponseGivesTheRcodeAndAuthorityRecordsAreNotAnswers) {
  const AppInfo nx = run_session(kDns, udp_flow(53), {{kToClient, kNxdomainResponse}});
  EXPECT_EQ(nx.dns_rcode, "NXDOMAIN");
  EXPECT_EQ(names_of(nx), std::vector<std::string>{"gmr02c.16.0.fhkfhsdkfhsk.tunnel.example.com"});
  EXPECT_TRUE(nx.dns_answers.empty());
  const AppInfo later = run_session(
      kDns, udp_flow(53), {{kToClient, kNxdomainResponse}, {kToClient, kWhatsappResponse}});
  EXPECT_EQ(later.dns_rcode, "NOERROR");
}

TEST(DnsSession, MdnsQueryGivesBothQuestionsDespiteTheUnicastBit) {
  const AppInfo info = run_session(kMdns, udp_flow(5353, 5353), {{kToServer, kMdnsQuery}});
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"_raop._tcp.local", "PTR"},
                                                     {"_airplay._tcp.local", "PTR"}}));
}

TEST(DnsSession, LlmnrUtf8NameIsOneQuestionMarkPerByte) {
  const AppInfo info = run_session(kLlmnr, udp_flow(5355), {{kToServer, kLlmnrQuery}});
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"????????????", "ANY"}}));
}

TEST(DnsSession, MdnsAnnouncementWithoutQuestionsTeachesItsName) {
  // qd 0, an 1: printer.local A 192.168.1.9 with the cache-flush bit (class 0x8001).
  Message rr = record(wire_name("printer.local"), dns::kTypeA, {192, 168, 1, 9});
  rr[wire_name("printer.local").size() + 2] = 0x80;
  RecordingSinks sinks;
  const AppInfo info =
      run_session(kMdns, udp_flow(5353, 5353), {{kToServer, message(0x8400, 0, 1, rr)}}, &sinks);
  EXPECT_TRUE(info.dns_queries.empty());
  EXPECT_EQ(info.dns_answers, std::vector<std::string>{"192.168.1.9"});
  ASSERT_EQ(sinks.names.size(), 1u);
  EXPECT_EQ(sinks.names[0].name, "printer.local");
}

// ---- Answers and learned names.

TEST(DnsSession, AddressesAreLearnedUnderTheAskedNameThroughACnameChain) {
  // www.Example.com CNAME a.cdn.net; A.CDN.net CNAME b.cdn.net; b.cdn.net A and AAAA.
  const Message q = question("www.Example.com", dns::kTypeA);
  const Message body = concat(
      concat(q, record({0xc0, 0x0c}, dns::kTypeCname, wire_name("a.cdn.net"))),
      concat(record(wire_name("A.CDN.net"), dns::kTypeCname, wire_name("b.cdn.net")),
             concat(record(wire_name("b.cdn.net"), dns::kTypeA, {93, 184, 216, 34}),
                    record(wire_name("b.cdn.net"), dns::kTypeAaaa,
                           from_hex("20010db8000000000000000000000001")))));
  RecordingSinks sinks;
  const AppInfo info =
      run_session(kDns, udp_flow(53), {{kToClient, message(0x8180, 1, 4, body)}}, &sinks);
  EXPECT_EQ(info.dns_answers,
            (std::vector<std::string>{"a.cdn.net", "b.cdn.net", "93.184.216.34", "2001:db8::1"}));
  ASSERT_EQ(sinks.names.size(), 2u);
  EXPECT_EQ(sinks.names[0].address.to_string(), "93.184.216.34");
  EXPECT_EQ(sinks.names[0].name, "www.Example.com");
  EXPECT_EQ(sinks.names[1].address.to_string(), "2001:db8::1");
  EXPECT_EQ(sinks.names[1].name, "www.Example.com");
}

TEST(DnsSession, CnameLoopInTheAnswersEndsTheChainWalk) {
  const Message body =
      concat(concat(question("x.test", dns::kTypeA),
                    record(wire_name("a.test"), dns::kTypeCname, wire_name("b.test"))),
             concat(record(wire_name("b.test"), dns::kTypeCname, wire_name("a.test")),
                    record(wire_name("a.test"), dns::kTypeA, {10, 0, 0, 1})));
  RecordingSinks sinks;
  run_session(kDns, udp_flow(53), {{kToClient, message(0x8180, 1, 3, body)}}, &sinks);
  ASSERT_EQ(sinks.names.size(), 1u);
  EXPECT_EQ(sinks.names[0].address.to_string(), "10.0.0.1");
}

TEST(DnsSession, PtrMxSrvAndTxtAnswersAreShownAsText) {
  const Message owner{0xc0, 0x0c};
  const Message body = concat(
      concat(question("svc.test", dns::kTypeAny), record(owner, dns::kTypePtr, wire_name("p.test"))),
      concat(concat(record(owner, dns::kTypeMx, concat({0, 10}, wire_name("mail.test"))),
                    record(owner, dns::kTypeSrv, concat({0, 1, 0, 2, 0x01, 0xbb}, wire_name("s.test")))),
             record(owner, dns::kTypeTxt, from_hex("096b65793d76616c7565 02 0102"))));
  const AppInfo info = run_session(kDns, udp_flow(53), {{kToClient, message(0x8180, 1, 4, body)}});
  EXPECT_EQ(info.dns_answers,
            (std::vector<std::string>{"p.test", "mail.test", "s.test", "key=value ??"}));
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"svc.test", "ANY"}}));
}

TEST(DnsSession, TypesHaveNamesElseTypeNumber) {
  EXPECT_EQ(dns::type_name(65), "HTTPS");
  EXPECT_EQ(dns::type_name(64), "SVCB");
  EXPECT_EQ(dns::type_name(41), "OPT");
  EXPECT_EQ(dns::type_name(6), "SOA");
  EXPECT_EQ(dns::type_name(1234), "TYPE1234");
  EXPECT_EQ(dns::rcode_name(2), "SERVFAIL");
  EXPECT_EQ(dns::rcode_name(5), "REFUSED");
  EXPECT_EQ(dns::rcode_name(15), "RCODE15");
}

TEST(DnsSession, RootQuestionIsShownAsTsharkShowsIt) {
  const Message body{0, 0, 2, 0, 1};  // ". NS"
  const AppInfo info = run_session(kDns, udp_flow(53), {{kToServer, message(0x0100, 1, 0, body)}});
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"<Root>", "NS"}}));
}

TEST(DnsSession, QuestionsAreDistinctPairsCappedWithOverflowCounted) {
  Chunks chunks;
  for (int i = 0; i < 300; ++i)
    chunks.push_back({kToServer, message(0x0100, 1, 0, question("h" + std::to_string(i) + ".test", 1))});
  chunks.push_back({kToServer, message(0x0100, 1, 0, question("h0.test", 1))});   // a repeat
  chunks.push_back({kToServer, message(0x0100, 1, 0, question("h0.test", 28))});  // same name, AAAA
  const AppInfo info = run_session(kDns, udp_flow(53), chunks);
  ASSERT_EQ(info.dns_queries.size(), AppInfo::kMaxDnsQueries);
  EXPECT_EQ(info.dns_queries.front(), (DnsQuery{"h0.test", "A"}));
  EXPECT_EQ(info.dns_queries.back(), (DnsQuery{"h255.test", "A"}));
  EXPECT_EQ(info.dns_queries_overflow, 45u);  // h256..h299, and h0 AAAA
}

TEST(DnsSession, AnswersAreCapped) {
  Message body = question("many.test", dns::kTypeA);
  for (int i = 0; i < 300; ++i)
    body = concat(body, record({0xc0, 0x0c}, dns::kTypeA,
                               {10, 0, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)}));
  const AppInfo info = run_session(kDns, udp_flow(53), {{kToClient, message(0x8180, 1, 300, body)}});
  EXPECT_EQ(info.dns_answers.size(), AppInfo::kMaxDnsAnswers);
}

// ---- Names: compression rules (RFC 1035 4.1.4).

TEST(DnsName, PointersFollowBackwardsOnly) {
  // "a.b" at 12, then "x" + pointer to 12 at 17.
  const Message m = message(0, 0, 0, from_hex("0161016200 0178c00c"));
  EXPECT_EQ(name_at(m, 17), "x.a.b");
  core::ByteReader r(m);
  r.seek(17);
  ASSERT_TRUE(dns::read_name(r));
  EXPECT_EQ(r.position(), m.size());  // resumes after the first pointer
}

TEST(DnsName, CompressionLoopIsRejected) {
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("c00c")), 12));            // to itself
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("c00e c00c")), 12));       // forward, then back
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("0161 c00c")), 12));       // label, back to it
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("0161c00e 0162c00c")), 16));  // a <-> b
}

TEST(DnsName, PointerOutOfBoundsOrTruncatedIsRejected) {
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("c0ff")), 12));
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("3fff")), 12));
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("c0")), 12));
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("0361")), 12));
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("0161")), 12));  // no root label
  EXPECT_FALSE(name_at(message(0, 0, 0, from_hex("41 00")), 12));  // reserved label type 01
}

TEST(DnsName, LongerThan255BytesIsRejected) {
  const std::string l63(63, 'a');
  const std::string fits = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b');  // 255 on the wire
  const Message ok = message(0, 0, 0, wire_name(fits));
  EXPECT_EQ(name_at(ok, 12), fits);
  const Message too_long = message(0, 0, 0, wire_name(fits + "c"));
  EXPECT_FALSE(name_at(too_long, 12));
}

TEST(DnsName, ManyPointerHopsAreRejected) {
  // 200 pointers, each to the one before it, all ending at a root label.
  Message body{0};
  for (int i = 0; i < 200; ++i) {
    const std::size_t target = i == 0 ? 12 : 13 + 2 * static_cast<std::size_t>(i - 1);
    body.push_back(static_cast<std::uint8_t>(0xc0 | (target >> 8)));
    body.push_back(static_cast<std::uint8_t>(target));
  }
  const Message m = message(0, 0, 0, body);
  EXPECT_EQ(name_at(m, 13 + 2 * 100), "");  // 101 hops
  EXPECT_FALSE(name_at(m, 13 + 2 * 199));   // 200 hops
}

TEST(DnsSession, LoopInAQuestionKeepsEarlierQuestionsAndStops) {
  const Message body = concat(question("ok.test", 1), from_hex("c019 0001 0001"));  // points at itself
  const AppInfo info = run_session(kDns, udp_flow(53), {{kToServer, message(0x0100, 2, 0, body)}});
  EXPECT_EQ(names_of(info), std::vector<std::string>{"ok.test"});
}

// ---- Malformed input.

TEST(DnsSession, EveryTruncationGivesOnlyCorrectFields) {
  for (std::size_t n = 0; n <= kWhatsappResponse.size(); ++n) {
    const Message cut(kWhatsappResponse.begin(), kWhatsappResponse.begin() + static_cast<std::ptrdiff_t>(n));
    RecordingSinks sinks;
    const AppInfo info = run_session(kDns, udp_flow(53), {{kToClient, cut}}, &sinks);
    EXPECT_TRUE(info.dns_queries.empty() || names_of(info) == std::vector<std::string>{"e7.whatsapp.net"}) << n;
    EXPECT_LE(info.dns_answers.size(), 8u);
    for (std::size_t i = 0; i < info.dns_answers.size(); ++i) EXPECT_EQ(info.dns_answers[i], kWhatsappAddresses[i]);
    EXPECT_EQ(sinks.names.size(), info.dns_answers.size());
  }
}

TEST(DnsSession, GarbageNeverCrashes) {
  std::uint32_t seed = 7;
  for (int round = 0; round < 2000; ++round) {
    Message m(12 + round % 200);
    for (auto& b : m) {
      seed = seed * 1103515245 + 12345;
      b = static_cast<std::uint8_t>(seed >> 16);
    }
    if (round % 2) m[12 % m.size()] = 0xc0;  // pointers are the interesting part
    run_session(kDns, udp_flow(53), {{kToClient, m}});
    run_session(kDns, tcp_flow(53), {{kToClient, m}, {kToServer, m}});
  }
}

// ---- TCP framing.

TEST(DnsTcp, CapturedQueryGivesItsQuestion) {
  const AppInfo info = run_session(kDns, tcp_flow(53), {{kToServer, kTcpQuery}});
  EXPECT_EQ(info.dns_queries, (std::vector<DnsQuery>{{"weberlab.de", "DNSKEY"}}));
}

TEST(DnsTcp, ResponseSplitAtEveryOffsetGivesTheSameResult) {
  const Message stream = framed(kWhatsappResponse);
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    const Message a(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(cut));
    const Message b(stream.begin() + static_cast<std::ptrdiff_t>(cut), stream.end());
    const AppInfo info = run_session(kDns, tcp_flow(53), {{kToClient, a}, {kToClient, b}});
    EXPECT_EQ(names_of(info), std::vector<std::string>{"e7.whatsapp.net"}) << cut;
    EXPECT_EQ(info.dns_answers, kWhatsappAddresses) << cut;
  }
}

TEST(DnsTcp, OneByteAtATimeAndSeveralMessagesPerChunk) {
  const Message second = message(0x0100, 1, 0, question("two.test", dns::kTypeAaaa));
  const Message stream = concat(framed(kWhatsappQuery), framed(second));
  Chunks bytes;
  for (std::uint8_t b : stream) bytes.push_back({kToServer, Message{b}});
  const std::vector<std::string> want{"e7.whatsapp.net", "two.test"};
  EXPECT_EQ(names_of(run_session(kDns, tcp_flow(53), bytes)), want);
  EXPECT_EQ(names_of(run_session(kDns, tcp_flow(53), {{kToServer, stream}})), want);
}

TEST(DnsTcp, LargestMessageIsGatheredAcrossManyChunks) {
  Message big = message(0x0100, 1, 0, question("big.test", 1));
  big.resize(65535);
  const Message stream = framed(big);
  Chunks chunks;
  for (std::size_t at = 0; at < stream.size(); at += 1000)
    chunks.push_back({kToServer, Message(stream.begin() + static_cast<std::ptrdiff_t>(at),
                                         stream.begin() + static_cast<std::ptrdiff_t>(std::min(at + 1000, stream.size())))});
  chunks.push_back({kToServer, framed(message(0x0100, 1, 0, question("next.test", 1)))});
  EXPECT_EQ(names_of(run_session(kDns, tcp_flow(53), chunks)),
            (std::vector<std::string>{"big.test", "next.test"}));
}

TEST(DnsTcp, LostFramingEndsADirectionAndBothEndTheSession) {
  AppInfo out;
  RecordingSinks sinks;
  const FlowInfo flow = tcp_flow(53);
  auto session = kDns.make_session();
  const Message short_length = from_hex("0005 0102030405");  // shorter than a header
  const Message opcode_3 = framed(message(0x1800, 1, 0, question("x.test", 1)));
  const Context to_server{flow, kToServer, core::Timestamp{1}, sinks, sinks, out};
  const Context to_client{flow, kToClient, core::Timestamp{1}, sinks, sinks, out};
  EXPECT_EQ(session->feed(to_server, core::Bytes(short_length)), Progress::More);
  EXPECT_EQ(session->feed(to_server, core::Bytes(kTcpQuery)), Progress::More);  // ignored now
  EXPECT_EQ(session->feed(to_client, core::Bytes(opcode_3)), Progress::Done);
  EXPECT_TRUE(out.dns_queries.empty());
}

// ---- Probes: content, and the flow deciding between DNS, mDNS and LLMNR.

FlowInfo udp_to(const char* server_ip, std::uint16_t server_port, std::uint16_t client_port = 40000) {
  FlowInfo f = udp_flow(server_port, client_port);
  f.server_ip = *core::IpAddress::parse(server_ip);
  if (f.server_ip.is_v6()) f.client_ip = *core::IpAddress::parse("fe80::1");
  return f;
}

struct Answers {
  Match dns, mdns, llmnr;
  bool operator==(const Answers&) const = default;
};
Answers probes(const FlowInfo& flow, const Message& m) {
  return {probe(kDns, flow, kToServer, m), probe(kMdns, flow, kToServer, m),
          probe(kLlmnr, flow, kToServer, m)};
}
constexpr Answers kDnsOnly{Match::Yes, Match::No, Match::No};
constexpr Answers kMdnsOnly{Match::No, Match::Yes, Match::No};
constexpr Answers kLlmnrOnly{Match::No, Match::No, Match::Yes};
constexpr Answers kNone{Match::No, Match::No, Match::No};

TEST(DnsProbe, PortOrMulticastGroupPicksExactlyOneFlavour) {
  EXPECT_EQ(probes(udp_flow(53), kWhatsappQuery), kDnsOnly);
  EXPECT_EQ(probes(udp_flow(40000, 53), kWhatsappResponse), kDnsOnly);
  EXPECT_EQ(probes(udp_flow(5353, 5353), kMdnsQuery), kMdnsOnly);
  EXPECT_EQ(probes(udp_to("224.0.0.251", 5353), kMdnsQuery), kMdnsOnly);
  EXPECT_EQ(probes(udp_to("ff02::fb", 40001), kMdnsQuery), kMdnsOnly);  // group beats port
  EXPECT_EQ(probes(udp_flow(5355), kLlmnrQuery), kLlmnrOnly);
  EXPECT_EQ(probes(udp_to("ff02::1:3", 5355), kLlmnrQuery), kLlmnrOnly);
  EXPECT_EQ(probes(udp_to("224.0.0.252", 40001), kWhatsappQuery), kLlmnrOnly);
  EXPECT_EQ(probes(udp_flow(5353), kWhatsappQuery), kMdnsOnly);  // content is shared
}

TEST(DnsProbe, OtherPortsNeedTheWholeMessageToParseExactly) {
  EXPECT_EQ(probes(udp_flow(5300), kWhatsappQuery), kDnsOnly);
  EXPECT_EQ(probes(udp_flow(5300), kWhatsappResponse), kDnsOnly);
  EXPECT_EQ(probes(udp_flow(5300), concat(kWhatsappQuery, {0})), kNone);  // a trailing byte
  const Message cut(kWhatsappResponse.begin(), kWhatsappResponse.end() - 1);
  EXPECT_EQ(probes(udp_flow(5300), cut), kNone);
  EXPECT_EQ(probes(udp_flow(53), cut), kDnsOnly);  // a snaplen-cut response on port 53
  EXPECT_EQ(probes(udp_flow(137), kWhatsappQuery), kNone);  // NetBIOS name service's port
}

TEST(DnsProbe, ImplausibleHeadersAndQuestionsAreRejected) {
  const FlowInfo flow = udp_flow(53);
  EXPECT_EQ(probe(kDns, flow, kToServer, {}), Match::No);
  EXPECT_EQ(probe(kDns, flow, kToServer, Message(11, 0)), Match::No);
  EXPECT_EQ(probe(kDns, flow, kToServer, message(0x0100, 0, 0, {})), Match::No);  // nothing asked
  EXPECT_EQ(probe(kDns, flow, kToServer, message(0x1800, 1, 0, question("a.test", 1))), Match::No);
  EXPECT_EQ(probe(kDns, flow, kToServer, message(0x0100, 9, 0, question("a.test", 1))), Match::No);
  Message bad_class = message(0x0100, 1, 0, question("a.test", 1));
  bad_class.back() = 9;
  EXPECT_EQ(probe(kDns, flow, kToServer, bad_class), Match::No);
  EXPECT_EQ(probe(kDns, flow, kToServer, message(0x0100, 1, 0, from_hex("c00c00010001"))), Match::No);
  EXPECT_EQ(probe(kDns, flow, kToServer, testing::from_text("GET / HTTP/1.1\r\nHost: x\r\n\r\n")),
            Match::No);
}

TEST(DnsProbe, TcpWaitsForTheFirstQuestion) {
  const FlowInfo flow = tcp_flow(53);
  for (std::size_t n = 0; n < kTcpQuery.size(); ++n) {
    const Message part(kTcpQuery.begin(), kTcpQuery.begin() + static_cast<std::ptrdiff_t>(n));
    const Match m = probe(kDns, flow, kToServer, part);
    EXPECT_EQ(m, n < 2 + 12 + 17 ? Match::Maybe : Match::Yes) << n;
  }
  EXPECT_EQ(probe(kDns, flow, kToServer, kTcpQuery), Match::Yes);
  EXPECT_EQ(probe(kDns, flow, kToServer, from_hex("0005 0102030405")), Match::No);
  EXPECT_EQ(probe(kDns, tcp_flow(5300), kToServer, kTcpQuery), Match::Yes);
  const Message partial(kTcpQuery.begin(), kTcpQuery.end() - 1);
  EXPECT_EQ(probe(kDns, tcp_flow(5300), kToServer, partial), Match::Maybe);
}

// The whole registry, as the engine runs it: the flow's proto and names.
std::shared_ptr<const AppInfo> inspect(const FlowInfo& flow, const std::vector<Message>& datagrams) {
  RecordingSinks sinks;
  Inspector inspector(InspectConfig{}, sinks, dissectors());
  std::uint32_t slot = 0;
  for (const Message& m : datagrams) {
    proto::DecodedPacket p;
    p.has_transport = true;  // TCP needs its sequence number (0 here); UDP ignores it
    p.payload_offset = 0;
    p.payload_length = static_cast<std::uint32_t>(m.size());
    inspector.on_packet(slot, flow, kToServer, p, m, core::Timestamp{1'000'000});
  }
  return inspector.result(slot);
}

TEST(DnsProbe, RegistryLabelsEachFlavourByItsFlow) {
  EXPECT_EQ(inspect(udp_flow(53), {kWhatsappQuery})->proto, "DNS");
  EXPECT_EQ(inspect(udp_flow(5300), {kWhatsappQuery})->proto, "DNS");
  EXPECT_EQ(inspect(udp_to("224.0.0.251", 5353, 5353), {kMdnsQuery})->proto, "MDNS");
  EXPECT_EQ(inspect(udp_to("ff02::1:3", 5355), {kLlmnrQuery})->proto, "LLMNR");
  EXPECT_EQ(inspect(tcp_flow(53), {kTcpQuery})->proto, "DNS");
  // Every datagram is read, far beyond the per-direction packet budget.
  std::vector<Message> many;
  for (int i = 0; i < 100; ++i)
    many.push_back(message(0x0100, 1, 0, question("n" + std::to_string(i) + ".test", 1)));
  EXPECT_EQ(inspect(udp_flow(53), many)->dns_queries.size(), 100u);
}

}  // namespace
}  // namespace wiretop::dpi
