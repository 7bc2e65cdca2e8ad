#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "dpi/crypto.h"
#include "dpi/tls.h"
#include "dpi_test_util.h"

namespace wiretop::dpi::tls {
namespace {

using testing::from_hex;
using Message = std::vector<std::uint8_t>;

core::Bytes view(const Message& bytes) { return {bytes.data(), bytes.size()}; }

// ---- Captured ClientHello messages (handshake header included), from the
// shared nDPI captures; the expected JA3/JA4 are nDPI's (the .out files) and,
// for JA3, also tshark's tls.handshake.ja3.

// 443-curl.pcap: curl, TLS 1.2, SNI www.ntop.org, ALPN h2, http/1.1.
const Message kCurlHello = from_hex(
    "010001fc03033e3841edcc20f6d0e5f7167ab7ee91a800c8ef70c2d624c7c794"
    "3a24026d9fbc000086cc14cc13cc15c030c02cc028c024c014c00a00a3009f00"
    "6b006a00390038ff8500c400c3008800870081c032c02ec02ac026c00fc00500"
    "9d003d003500c00084c02fc02bc027c023c013c00900a2009e00670040003300"
    "3200be00bd00450044c031c02dc029c025c00ec004009c003c002f00ba0041c0"
    "12c00800160013c00dc003000a00ff0100014d00000011000f00000c7777772e"
    "6e746f702e6f7267000b000403000102000a003a0038000e000d0019001c000b"
    "000c001b00180009000a001a0016001700080006000700140015000400050012"
    "0013000100020003000f00100011000d00260024060106020603efef05010502"
    "0503040104020403eeeeeded030103020303020102020203337400000010000e"
    "000c02683208687474702f312e31001500ae0000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
);

// tls_ech.pcapng: Chrome, TLS 1.3 with GREASE and encrypted_client_hello.
const Message kChromeEchHello = from_hex(
    "0100023f03031d2866261a24cc0c15c6deba5b0e971a19a23b72524d3a1ca2ac"
    "ea56d01fdbbe20e09ca0ae22123a165f0100faf20dfb792cf518b9400a8bb52e"
    "f80b3c06059cd90020aaaa130113021303c02bc02fc02cc030cca9cca8c013c0"
    "14009c009d002f0035010001d66a6a00000033002b00291a1a000100001d0020"
    "74494288d7ffc1faa046968556f646b024a855feed27c793e8085413aa741136"
    "00230000ff01000100002d00020101001b0003020002000a000a00081a1a001d"
    "001700180017000000050005010000000000120000002b000706dada03040303"
    "000d00120010040308040401050308050501080606010010000e000c02683208"
    "687474702f312e31000000250023000020706572666f726d616e63652e726164"
    "61722e636c6f7564666c6172652e636f6dfe0d00fa0000010001d800209557c1"
    "00c71bf776929056d021591f6515001dc1df1125b92408d98681a5a16700d00d"
    "f0970d9f7cb426c059b1e0fe95fd7c22f8a5444d65321496fa85781e4c5e3146"
    "5cc703e3368adc8b46a6aab2d9d2bdee3004e5d5c0898b0355317f3212d160e1"
    "e806aa45cc3e0a3515060718c976025afd3f04b96dbd039a99f4a7d98821a9ad"
    "aa372829dab7bc9965959a5a8f4ee36506cd1baba08bd2597f464403dcfeed9a"
    "3c49f2b82e53a5ca8d09ea43158b58c78786a72c6cfabb9999fa31aaae2a2f54"
    "142f47befcf542c80530584e2583d678322700f69cb23bf6cca0810c3def3ca1"
    "64d3dfeb617e7b64dbe76e6489c4da000b00020100446900050003026832fafa"
    "000100"
);

// tls_2_reasms.pcapng: Instagram's Fizz stack, supported_versions 0x0304 and 0xfb1a.
const Message kFizzHello = from_hex(
    "0100018b030300957252c8b6d358dac5d363528f6f211da9a4cb42f9c026109c"
    "75022ffeb3de20f92e17c1cd53451b0082ab31e034a3b29817d9ecad2f210125"
    "a4f4523d8f39d900061301130213030100013c002b0005040304fb1a000a0006"
    "0004001d0017003300260024001d0020102c6912c7176b4a73a74770723d8db1"
    "1483cf4c2df00e5b362cb4b287bed916000d000a000804030503060308040000"
    "0014001200000f692e696e7374616772616d2e636f6d00100014001202683205"
    "68322d666208687474702f312e31002d0003020100002a0000002900b2008d00"
    "87840e8e12ab969812859523d81be57ee5b1bc682d041ba879c5a6717c688d56"
    "2f00000000ee7f0b937201dcee5619f1256585ad54dd992bd1577dc66bdb829a"
    "21a6415234c2c3219f05991da94cc0786f60b12c9185129b299a88a3042bca41"
    "27e914e40e04b84e6d6d602ab97a015f18eeb11c620031739efb019ad7c6df4b"
    "75335731189c8d6e5c4b3d4900212095eefcbd3ec1f911bf703dcc8c0715f295"
    "f1eeb460f15ae27a176bd44a43771b"
);

// tls_invalid_reads.pcap: its last extension overruns the extensions block.
const Message kCrashlyticsHello = from_hex(
    "010000ae0303e25f8f7559ed27be965385da1a0aff448e59ae0907c906a053e2"
    "a475ebeb3237000028c02bc02cc02fc030009e009fc009c00ac013c014003300"
    "39c007c011009c009d002f0035000500ff0100005d000000160014000011652e"
    "63726173686c79746963732e636f6d0017000000230000000d00160014060106"
    "03050105030401040303010303020102030010000bb889a52f563519e55f943e"
    "47e34fc6943577c34438787013cecd7950cb"
);

// ---- Hand-built hellos (RFC 8446 4.1.2) for one behaviour at a time.

void append(Message& to, const Message& bytes) { to.insert(to.end(), bytes.begin(), bytes.end()); }

void put16(Message& to, unsigned value) {
  to.push_back(static_cast<std::uint8_t>(value >> 8));
  to.push_back(static_cast<std::uint8_t>(value));
}

// A TLS vector: `body` behind a 1-, 2- or 3-byte length.
Message vec(int prefix_bytes, const Message& body) {
  Message out;
  if (prefix_bytes == 3) out.push_back(static_cast<std::uint8_t>(body.size() >> 16));
  if (prefix_bytes >= 2) out.push_back(static_cast<std::uint8_t>(body.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(body.size()));
  append(out, body);
  return out;
}

Message text(std::string_view s) { return {s.begin(), s.end()}; }

Message u16s(const std::vector<std::uint16_t>& values) {
  Message out;
  for (const std::uint16_t v : values) put16(out, v);
  return out;
}

Message ext(std::uint16_t type, const Message& data = {}) {
  Message out;
  put16(out, type);
  append(out, vec(2, data));
  return out;
}

Message sni_ext(std::string_view host) {
  Message entry{0};  // host_name
  append(entry, vec(2, text(host)));
  return ext(0x0000, vec(2, entry));
}

Message alpn_ext(const std::vector<Message>& names) {
  Message list;
  for (const Message& name : names) append(list, vec(1, name));
  return ext(0x0010, vec(2, list));
}

Message versions_ext(const std::vector<std::uint16_t>& versions) {
  return ext(0x002b, vec(1, u16s(versions)));
}

Message client_hello(const std::vector<std::uint16_t>& ciphers, const std::vector<Message>& exts,
                     std::uint16_t version = 0x0303, bool extensions_block = true) {
  Message body;
  put16(body, version);
  body.resize(body.size() + 32, 0x42);  // random
  append(body, vec(1, Message(32, 0x17)));  // legacy_session_id
  append(body, vec(2, u16s(ciphers)));
  append(body, vec(1, {0}));  // null compression
  if (extensions_block) {
    Message all;
    for (const Message& e : exts) append(all, e);
    append(body, vec(2, all));
  }
  Message message{1};
  append(message, vec(3, body));
  return message;
}

AppInfo parsed(const Message& message, Carrier carrier = Carrier::Tcp) {
  AppInfo out;
  EXPECT_TRUE(parse_client_hello(view(message), carrier, out));
  return out;
}

std::string ja4_a(const AppInfo& info) { return info.ja4.substr(0, info.ja4.find('_')); }
std::string ja4_c(const AppInfo& info) { return info.ja4.substr(info.ja4.rfind('_') + 1); }

// ---- ClientHello

TEST(TlsClientHello, CurlCaptureGivesSniAlpnAndNdpiFingerprints) {
  const AppInfo info = parsed(kCurlHello);
  EXPECT_EQ(info.sni, "www.ntop.org");
  EXPECT_EQ(info.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(info.ja3, "2a26b1a62e40d25d4de3babc9d532f30");
  EXPECT_EQ(info.ja4, "t12d6707h2_2955a3196ffa_c83f907a73d3");
  EXPECT_FALSE(info.tls_ech);
}

TEST(TlsClientHello, ChromeEchCaptureIsFlaggedAndGreaseIgnored) {
  const AppInfo info = parsed(kChromeEchHello);
  EXPECT_EQ(info.sni, "performance.radar.cloudflare.com");  // the outer, public name
  EXPECT_TRUE(info.tls_ech);
  EXPECT_EQ(info.ja3, "6820f114cf3b0809ffdcb30cb277848a");
  EXPECT_EQ(info.ja4, "t13d1516h2_8daaf6152771_02713d6af862");
}

TEST(TlsClientHello, FizzVersionAboveTls13IsUnknownToJa4) {
  const AppInfo info = parsed(kFizzHello);
  EXPECT_EQ(info.sni, "i.instagram.com");
  EXPECT_EQ(info.alpn, (std::vector<std::string>{"h2", "h2-fb", "http/1.1"}));
  EXPECT_EQ(info.ja3, "44dab16d680ef93487bc16ad23b3ffb1");
  EXPECT_EQ(info.ja4, "t00d0309h2_55b375c5d22e_566d5108064c");
}

TEST(TlsClientHello, OverrunningExtensionKeepsTheExtensionsBeforeIt) {
  const AppInfo info = parsed(kCrashlyticsHello);
  EXPECT_EQ(info.sni, "e.crashlytics.com");
  EXPECT_TRUE(info.alpn.empty());  // its ALPN list length overruns the extension
  EXPECT_EQ(info.ja3, "9d5430e6dfce44459702b74d790df353");
  EXPECT_EQ(info.ja4, "t12d200500_6e20beb92e8e_354730cf0bf0");
}

TEST(TlsClientHello, QuicCarrierHasNoJa3AndJa4StartsWithQ) {
  const AppInfo info = parsed(kChromeEchHello, Carrier::Quic);
  EXPECT_EQ(info.ja3, "");
  EXPECT_EQ(info.ja4, "q13d1516h2_8daaf6152771_02713d6af862");
  EXPECT_EQ(info.sni, "performance.radar.cloudflare.com");
}

TEST(TlsClientHello, EveryTruncationIsRejectedAndLeavesOutputUntouched) {
  for (const Message* message : {&kCurlHello, &kChromeEchHello}) {
    for (std::size_t size = 0; size < message->size(); ++size) {
      AppInfo out;
      out.sni = "before";
      EXPECT_FALSE(parse_client_hello(core::Bytes(message->data(), size), Carrier::Tcp, out)) << size;
      EXPECT_EQ(out.sni, "before");
      EXPECT_TRUE(out.alpn.empty());
      EXPECT_EQ(out.ja3, "");
      EXPECT_EQ(out.ja4, "");
    }
  }
}

TEST(TlsClientHello, GarbageAndOtherHandshakeTypesAreRejected) {
  AppInfo out;
  EXPECT_FALSE(parse_client_hello(view(from_hex("ff0013370000")), Carrier::Tcp, out));
  Message server_hello = kCurlHello;
  server_hello[0] = 2;
  EXPECT_FALSE(parse_client_hello(view(server_hello), Carrier::Tcp, out));
  EXPECT_FALSE(parse_client_hello(core::Bytes(), Carrier::Tcp, out));
  EXPECT_TRUE(out.empty() && out.sni.empty() && out.ja4.empty());
}

TEST(TlsClientHello, MissingCompressionMethodIsRejected) {
  Message body;
  put16(body, 0x0301);
  body.resize(body.size() + 32, 0);
  append(body, vec(1, {}));
  append(body, vec(2, u16s({0x0004})));
  append(body, vec(1, {}));  // compression_methods<1..2^8-1> may not be empty
  Message message{1};
  append(message, vec(3, body));
  AppInfo out;
  EXPECT_FALSE(parse_client_hello(view(message), Carrier::Tcp, out));
}

TEST(TlsClientHello, FoxioSpecExampleGivesItsJa4) {
  // The worked example of FoxIO's technical_details/JA4.md.
  const std::vector<std::uint16_t> ciphers{0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f,
                                           0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
                                           0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  const std::vector<Message> exts{
      ext(0x001b), sni_ext("example.com"), ext(0x0033), alpn_ext({text("h2")}),
      ext(0x4469), ext(0x0017), ext(0x002d),
      ext(0x000d, vec(2, u16s({0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601}))),
      ext(0x0005), ext(0x0023), ext(0x0012), versions_ext({0x0304, 0x0303}), ext(0xff01),
      ext(0x000b, vec(1, {0})), ext(0x000a, vec(2, u16s({0x001d}))), ext(0x0015)};
  EXPECT_EQ(parsed(client_hello(ciphers, exts)).ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
}

TEST(TlsClientHello, GreaseIsIgnoredEverywhere) {
  const std::vector<Message> plain{sni_ext("a.example"), versions_ext({0x0304}),
                                   ext(0x000a, vec(2, u16s({0x001d, 0x0017}))),
                                   ext(0x000d, vec(2, u16s({0x0403})))};
  const std::vector<Message> greased{ext(0x0a0a), sni_ext("a.example"),
                                     versions_ext({0x7a7a, 0x0304}),
                                     ext(0x000a, vec(2, u16s({0xfafa, 0x001d, 0x0017}))),
                                     ext(0x000d, vec(2, u16s({0x0403}))), ext(0x1a1a, {0})};
  const AppInfo want = parsed(client_hello({0x1301, 0x1302}, plain));
  const AppInfo got = parsed(client_hello({0x2a2a, 0x1301, 0x1302}, greased));
  EXPECT_EQ(got.ja3, want.ja3);
  EXPECT_EQ(got.ja4, want.ja4);
  EXPECT_EQ(ja4_a(got), "t13d020400");
}

TEST(TlsClientHello, Ja3StringFollowsSalesforceLayout) {
  const Message hello = client_hello(
      {0xc02f, 0x0a0a, 0x009c},
      {sni_ext("x.example"), ext(0x000a, vec(2, u16s({0x001d, 0x0017}))), ext(0x000b, vec(1, {0, 1}))},
      0x0303);
  EXPECT_EQ(parsed(hello).ja3, crypto::md5_hex("771,49199-156,0-10-11,29-23,0-1"));
}

TEST(TlsClientHello, HelloWithoutExtensionsHasEmptyJa3FieldsAndZeroJa4Hash) {
  const AppInfo info = parsed(client_hello({0x0004, 0x000a}, {}, 0x0300, false));
  EXPECT_EQ(info.ja3, crypto::md5_hex("768,4-10,,,"));
  EXPECT_EQ(info.ja4.substr(0, 10), "ts3i020000");
  EXPECT_EQ(ja4_c(info), "000000000000");
  EXPECT_EQ(info.sni, "");
}

TEST(TlsClientHello, EmptyCipherListHashesToZeros) {
  const AppInfo info = parsed(client_hello({}, {ext(0x0017)}));
  EXPECT_EQ(info.ja4.substr(0, 24), "t12i000100_000000000000_");
}

TEST(TlsClientHello, Ja4SectionCEndsWithoutUnderscoreWhenNoSignatureAlgorithms) {
  // FoxIO's example: these extensions alone hash to 6d807ffa2a79.
  std::vector<Message> exts;
  for (std::uint16_t type : {0x0005, 0x000a, 0x000b, 0x000d, 0x0012, 0x0015, 0x0017, 0x001b,
                             0x0023, 0x002b, 0x002d, 0x0033, 0x4469, 0xff01})
    exts.push_back(ext(type));  // empty bodies: signature_algorithms gives no list
  EXPECT_EQ(ja4_c(parsed(client_hello({0x1301}, exts))), "6d807ffa2a79");
}

TEST(TlsClientHello, Ja4AlpnCharactersFollowTheSpec) {
  auto alpn_chars = [](const std::vector<Message>& names) {
    return ja4_a(parsed(client_hello({0x1301}, {alpn_ext(names)}))).substr(8);
  };
  EXPECT_EQ(alpn_chars({text("http/1.1"), text("h2")}), "h1");
  EXPECT_EQ(alpn_chars({text("h")}), "hh");
  EXPECT_EQ(alpn_chars({}), "00");
  EXPECT_EQ(alpn_chars({Message{}}), "00");
  EXPECT_EQ(alpn_chars({Message{0xab}}), "ab");
  EXPECT_EQ(alpn_chars({Message{0xab, 0xcd}}), "ad");
  EXPECT_EQ(alpn_chars({Message{0x30, 0xab}}), "3b");
  EXPECT_EQ(alpn_chars({Message{0x30, 0xab, 0xcd, 0x31}}), "01");
  EXPECT_EQ(ja4_a(parsed(client_hello({0x1301}, {ext(0x0017)}))).substr(8), "00");
}

TEST(TlsClientHello, CountsAboveNinetyNineAreCapped) {
  std::vector<std::uint16_t> ciphers;
  for (std::uint16_t c = 1; c <= 120; ++c) ciphers.push_back(c);
  EXPECT_EQ(ja4_a(parsed(client_hello(ciphers, {ext(0x0017)}))), "t12i990100");
}

TEST(TlsClientHello, SniIsMadePrintableAndCapped) {
  EXPECT_EQ(parsed(client_hello({0x1301}, {sni_ext("bad\x01name\x7f")})).sni, "bad?name?");
  const std::string long_name(1000, 'a');
  EXPECT_EQ(parsed(client_hello({0x1301}, {sni_ext(long_name)})).sni.size(), AppInfo::kMaxText);
}

TEST(TlsClientHello, AlpnListIsDistinctPrintableAndCapped) {
  std::vector<Message> names{text("h2"), text("h2"), text("x\x80")};
  for (int i = 0; i < 40; ++i) names.push_back(text("p" + std::to_string(i)));
  const AppInfo info = parsed(client_hello({0x1301}, {alpn_ext(names)}));
  ASSERT_EQ(info.alpn.size(), AppInfo::kMaxListItems);
  EXPECT_EQ(info.alpn[0], "h2");
  EXPECT_EQ(info.alpn[1], "x?");
  EXPECT_EQ(info.alpn[2], "p0");
}

TEST(TlsClientHello, EsniExtensionIsFlaggedLikeEch) {
  EXPECT_TRUE(parsed(client_hello({0x1301}, {ext(0xffce, {0})})).tls_ech);
  EXPECT_TRUE(parsed(client_hello({0x1301}, {ext(0xfe0d, {0})})).tls_ech);
  EXPECT_FALSE(parsed(client_hello({0x1301}, {ext(0xfe0c, {0})})).tls_ech);
}

TEST(TlsClientHello, SniEntryOfAnotherNameTypeIsSkipped) {
  Message entries{1};  // an unknown name type first
  append(entries, vec(2, text("ignored")));
  entries.push_back(0);
  append(entries, vec(2, text("real.example")));
  const AppInfo info = parsed(client_hello({0x1301}, {ext(0x0000, vec(2, entries))}));
  EXPECT_EQ(info.sni, "real.example");
  EXPECT_EQ(info.ja4.substr(3, 1), "d");
}

}  // namespace
}  // namespace wiretop::dpi::tls
