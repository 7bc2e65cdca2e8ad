#include "dpi/tls.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "dpi/crypto.h"
#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi::tls {
namespace {

using testing::from_hex;
using Message = std::vector<std::uint8_t>;

core::Bytes view(const Message& bytes) {
  return {bytes.data(), bytes.size()};
}

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
    "0000000000000000000000000000000000000000000000000000000000000000");

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
    "000100");

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
    "f1eeb460f15ae27a176bd44a43771b");

// tls_invalid_reads.pcap: its last extension overruns the extensions block.
const Message kCrashlyticsHello = from_hex(
    "010000ae0303e25f8f7559ed27be965385da1a0aff448e59ae0907c906a053e2"
    "a475ebeb3237000028c02bc02cc02fc030009e009fc009c00ac013c014003300"
    "39c007c011009c009d002f0035000500ff0100005d000000160014000011652e"
    "63726173686c79746963732e636f6d0017000000230000000d00160014060106"
    "03050105030401040303010303020102030010000bb889a52f563519e55f943e"
    "47e34fc6943577c34438787013cecd7950cb");

// 443-curl.pcap, the server's first 1500 stream bytes: its ServerHello
// record (TLS 1.2, ECDHE-RSA-AES128-GCM, ALPN h2), then the Certificate
// record, whose leaf (www.ntop.org) ends at byte 1487; the rest of the chain
// and the ServerKeyExchange are not included.
const Message kCurlServerStart = from_hex(
    "16030300660200006203038f72dd2e35dcf5ddf38ae75db855d1610b4db32937"
    "cb20cd3187eec12057fb2520ea8fcd1da8f8635bd5df2a45b603764dd7cfb5f8"
    "2666ff77fd47635bf9a8f0cbc02f00001aff0100010000000000000b00040300"
    "010200100005000302683216030309f80b0009f40009f1000555308205513082"
    "0439a003020102021203c56f6636eda72f7f4c5665fa055d933255300d06092a"
    "864886f70d01010b0500304a310b300906035504061302555331163014060355"
    "040a130d4c6574277320456e6372797074312330210603550403131a4c657427"
    "7320456e637279707420417574686f72697479205833301e170d313931323137"
    "3031313732385a170d3230303331363031313732385a30173115301306035504"
    "03130c7777772e6e746f702e6f726730820122300d06092a864886f70d010101"
    "05000382010f003082010a02820101009d21c341aca0d61662ac85f82eaa3758"
    "6e4aa4c1e78858b732bc3bd07719aa2ad95b9354b3d9aec9e47675a3b2263aec"
    "adcc5ee577871177f9aeeebe9588d72a2254a291b02c65a2d4cba203d8315966"
    "4b59579612db71126c134ea5a54a147c8a9df6785d4b5a9c3e174fdced0342d9"
    "b2e599c4a42bda144bc956c598b35e1c203117836aa3d160312f85962d75f59c"
    "7e4a520ed453a03804f36b8aac3babe10d6edfcb8126ca7f66e938dbb1bed9b3"
    "8b374a48b0409792582a41666156a12abe80d51c3448c25cf234ac1bb7b47e19"
    "f7e05f9b29e605246f238f73ef8647e7ce54beff32eccd5a9d94af6cd384de14"
    "17a7a73147450ab77f68215af030c6c10203010001a38202623082025e300e06"
    "03551d0f0101ff0404030205a0301d0603551d250416301406082b0601050507"
    "030106082b06010505070302300c0603551d130101ff04023000301d0603551d"
    "0e0416041466773997662725aabee187a7bb2b96b887f091d7301f0603551d23"
    "041830168014a84a6a63047dddbae6d139b7a64565eff3a8eca1306f06082b06"
    "01050507010104633061302e06082b060105050730018622687474703a2f2f6f"
    "6373702e696e742d78332e6c657473656e63727970742e6f7267302f06082b06"
    "0105050730028623687474703a2f2f636572742e696e742d78332e6c65747365"
    "6e63727970742e6f72672f30170603551d110410300e820c7777772e6e746f70"
    "2e6f7267304c0603551d20044530433008060667810c0102013037060b2b0601"
    "040182df130101013028302606082b06010505070201161a687474703a2f2f63"
    "70732e6c657473656e63727970742e6f726730820105060a2b06010401d67902"
    "04020481f60481f300f10077005ea773f9df56c0e7b536487dd049e0327a919a"
    "0c84a1121284187596817145580000016f11a560100000040300483046022100"
    "845c7a86f886701b33dac96e712963e039d0f1da57ad6b98ffc53e88301c9967"
    "02210088adece4d8beb497227f62aba33cc203e1f8679c2c18efeb3fb99697ff"
    "2f3d3000760007b75c1be57d68fff1b0c61d2315c7bae6577c5794b76aeebc61"
    "3a1a69d3a21c0000016f11a5602d0000040300473045022030285d401a7288a1"
    "a112d95f8c6a6700af4e0ded3e0169097d92ed98e3155ed1022100a8937e127d"
    "d3fbfc9dad312be5334521fb5423ee2fbd595bc198896ac4d8546e300d06092a"
    "864886f70d01010b0500038201010017faeb420ed7e96870a1138ae3e406e76b"
    "3361a0d82313c1ac2667c6166341fb66e72679928b8c122bd74ae173fc57cf22"
    "8d3e5925ba3552e103736fae2ccaa4a174ef4d289613b37c1a1594cbef274bbd"
    "6d03e1f7332373bebcf0d98706692e69fe9ea4be7963a821f38b4fbc9b42a981"
    "9aa5e0201a320650921e195ea5c675640961643b8e6b15631ec2fb4d3549a973"
    "d7e8cce0ecb492e04e79288cfd8dbd4504fab24926ab6fa176d14e1aa04f2f62"
    "ef83b02d7b6561cbd92664ce6465685c150b6a6bcd05a48bc19f19bd3edf006f"
    "d8a4558dbaba9645723939195cfaf6a707c993ecb5b13cc6c595cbef1cd87910"
    "4fb08f8ad40045b927dde24fbc94fe000496308204923082037aa003");
constexpr std::size_t kCurlServerFirstSegment = 1440;  // the first TCP segment's payload

// Self-signed P-256 certificate, subject CN=shop.example, subjectAltName
// DNS:shop.example, DNS:*.shop.example, DNS:shop.example (repeated on purpose).
const Message kShopCertificate = from_hex(
    "308201bb30820162a00302010202141b3102a62cd5cf0c8a99573f036678bf03"
    "a9d429300a06082a8648ce3d04030230173115301306035504030c0c73686f70"
    "2e6578616d706c65301e170d3236313132353131303033385a170d3336313132"
    "323131303033385a30173115301306035504030c0c73686f702e6578616d706c"
    "653059301306072a8648ce3d020106082a8648ce3d03010703420004c0322189"
    "28d3a6acada4ca7b6e49cfc0f33b763b80dd77cbe54eb2fbcdb8bc3fcdf2f93b"
    "cb54ceab84c0cb3ed17f3f5fa0fa39c5f1abe6391f3ffda69e89a1a3a3818b30"
    "8188301d0603551d0e04160414e124d054b3d70caa57af6ad15c9462924c25a0"
    "a7301f0603551d23041830168014e124d054b3d70caa57af6ad15c9462924c25"
    "a0a7300f0603551d130101ff040530030101ff30350603551d11042e302c820c"
    "73686f702e6578616d706c65820e2a2e73686f702e6578616d706c65820c7368"
    "6f702e6578616d706c65300a06082a8648ce3d0403020347003044022006f623"
    "c30861044789e4948ae169cecd39a71ce3d4c8585bd7075ee4777ed219022061"
    "6bd004353245ce33910bbf86e8cafef5a32723cbc0fc112bbda29aee1e0a37");

// ---- Hand-built hellos (RFC 8446 4.1.2) for one behaviour at a time.

void append(Message& to, const Message& bytes) {
  to.insert(to.end(), bytes.begin(), bytes.end());
}

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

Message text(std::string_view s) {
  return {s.begin(), s.end()};
}

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
  body.resize(body.size() + 32, 0x42);      // random
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

std::string ja4_a(const AppInfo& info) {
  return info.ja4.substr(0, info.ja4.find('_'));
}
std::string ja4_c(const AppInfo& info) {
  return info.ja4.substr(info.ja4.rfind('_') + 1);
}

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
      EXPECT_FALSE(parse_client_hello(core::Bytes(message->data(), size), Carrier::Tcp, out))
          << size;
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
      ext(0x001b),
      sni_ext("example.com"),
      ext(0x0033),
      alpn_ext({text("h2")}),
      ext(0x4469),
      ext(0x0017),
      ext(0x002d),
      ext(0x000d, vec(2, u16s({0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601}))),
      ext(0x0005),
      ext(0x0023),
      ext(0x0012),
      versions_ext({0x0304, 0x0303}),
      ext(0xff01),
      ext(0x000b, vec(1, {0})),
      ext(0x000a, vec(2, u16s({0x001d}))),
      ext(0x0015)};
  EXPECT_EQ(parsed(client_hello(ciphers, exts)).ja4, "t13d1516h2_8daaf6152771_e5627efa2ab1");
}

TEST(TlsClientHello, GreaseIsIgnoredEverywhere) {
  const std::vector<Message> plain{sni_ext("a.example"), versions_ext({0x0304}),
                                   ext(0x000a, vec(2, u16s({0x001d, 0x0017}))),
                                   ext(0x000d, vec(2, u16s({0x0403})))};
  const std::vector<Message> greased{ext(0x0a0a),
                                     sni_ext("a.example"),
                                     versions_ext({0x7a7a, 0x0304}),
                                     ext(0x000a, vec(2, u16s({0xfafa, 0x001d, 0x0017}))),
                                     ext(0x000d, vec(2, u16s({0x0403}))),
                                     ext(0x1a1a, {0})};
  const AppInfo want = parsed(client_hello({0x1301, 0x1302}, plain));
  const AppInfo got = parsed(client_hello({0x2a2a, 0x1301, 0x1302}, greased));
  EXPECT_EQ(got.ja3, want.ja3);
  EXPECT_EQ(got.ja4, want.ja4);
  EXPECT_EQ(ja4_a(got), "t13d020400");
}

TEST(TlsClientHello, Ja3StringFollowsSalesforceLayout) {
  const Message hello =
      client_hello({0xc02f, 0x0a0a, 0x009c},
                   {sni_ext("x.example"), ext(0x000a, vec(2, u16s({0x001d, 0x0017}))),
                    ext(0x000b, vec(1, {0, 1}))},
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
  for (std::uint16_t type : {0x0005, 0x000a, 0x000b, 0x000d, 0x0012, 0x0015, 0x0017, 0x001b, 0x0023,
                             0x002b, 0x002d, 0x0033, 0x4469, 0xff01})
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

// ---- Hand-built server messages and records (RFC 8446 4.1.3, 5.1; RFC 5246 7.4.2).

Message handshake(std::uint8_t type, const Message& body) {
  Message message{type};
  append(message, vec(3, body));
  return message;
}

constexpr std::uint8_t kRetryRandom[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

Message server_hello(std::uint16_t version, std::uint16_t cipher, const std::vector<Message>& exts,
                     bool retry_request = false) {
  Message body;
  put16(body, version);
  if (retry_request)
    body.insert(body.end(), std::begin(kRetryRandom), std::end(kRetryRandom));
  else
    body.resize(body.size() + 32, 0x33);
  append(body, vec(1, Message(32, 0x17)));
  put16(body, cipher);
  body.push_back(0);
  if (!exts.empty()) {
    Message all;
    for (const Message& e : exts) append(all, e);
    append(body, vec(2, all));
  }
  return handshake(2, body);
}

Message selected_version(std::uint16_t version) {
  return ext(0x002b, u16s({version}));
}

Message certificate(const std::vector<Message>& chain) {
  Message list;
  for (const Message& der : chain) append(list, vec(3, der));
  return handshake(11, vec(3, list));
}

Message record(std::uint8_t type, const Message& fragment, std::uint16_t version = 0x0303) {
  Message out{type};
  put16(out, version);
  append(out, vec(2, fragment));
  return out;
}
Message handshake_record(const Message& messages) {
  return record(22, messages);
}
const Message kChangeCipherSpecRecord = record(20, {1});

Message concat(const std::vector<Message>& parts) {
  Message out;
  for (const Message& part : parts) append(out, part);
  return out;
}

// Drives one TLS session the way the inspector does.
struct Flow {
  FlowInfo info = testing::tcp_flow(443);
  testing::RecordingSinks sinks;
  AppInfo out;
  std::unique_ptr<Session> session = find_dissector("TLS")->make_session();

  Progress feed(Direction dir, core::Bytes bytes) {
    const Context ctx{info, dir, core::Timestamp{1'000'000}, sinks, sinks, out};
    return session->feed(ctx, bytes);
  }
  Progress feed(Direction dir, const Message& bytes) { return feed(dir, view(bytes)); }
  Progress client(const Message& bytes) { return feed(Direction::ToServer, bytes); }
  Progress server(const Message& bytes) { return feed(Direction::ToClient, bytes); }
};

const Message kCurlClientRecord = record(22, kCurlHello, 0x0301);
const Message kEchClientRecord = record(22, kChromeEchHello, 0x0301);

// ---- Session: records, reassembly, when it is done

TEST(TlsSession, CurlCaptureGivesEveryField) {
  Flow flow;
  EXPECT_EQ(flow.client(kCurlClientRecord), Progress::More);
  const core::Bytes server = view(kCurlServerStart);
  EXPECT_EQ(flow.feed(Direction::ToClient, server.first(kCurlServerFirstSegment)), Progress::More);
  // The leaf is whole 47 bytes into the second segment: no need to wait for the chain.
  EXPECT_EQ(flow.feed(Direction::ToClient, server.subspan(kCurlServerFirstSegment)),
            Progress::Done);
  const AppInfo& info = flow.out;
  EXPECT_EQ(info.sni, "www.ntop.org");
  EXPECT_EQ(info.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_EQ(info.alpn_selected, "h2");
  EXPECT_EQ(info.tls_version, "TLS 1.2");
  EXPECT_EQ(info.cipher, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(info.ja3, "2a26b1a62e40d25d4de3babc9d532f30");
  EXPECT_EQ(info.ja3s, "ae53107a2e47ea20c72ac44821a728bf");  // nDPI's and tshark's
  EXPECT_EQ(info.ja4, "t12d6707h2_2955a3196ffa_c83f907a73d3");
  EXPECT_EQ(info.tls_cert_subject_cn, "www.ntop.org");
  EXPECT_EQ(info.tls_cert_sans, (std::vector<std::string>{"www.ntop.org"}));
  EXPECT_FALSE(info.tls_ech);
}

TEST(TlsSession, ClientHelloSplitAcrossThreeSegmentsYieldsSni) {
  Flow flow;
  const core::Bytes hello = view(kEchClientRecord);
  EXPECT_EQ(flow.feed(Direction::ToServer, hello.first(3)), Progress::More);
  EXPECT_EQ(flow.feed(Direction::ToServer, hello.subspan(3, 200)), Progress::More);
  EXPECT_EQ(flow.out.sni, "");
  EXPECT_EQ(flow.feed(Direction::ToServer, hello.subspan(203)), Progress::More);
  EXPECT_EQ(flow.out.sni, "performance.radar.cloudflare.com");
  EXPECT_EQ(flow.out.ja4, "t13d1516h2_8daaf6152771_02713d6af862");
}

TEST(TlsSession, ClientHelloSplitAtEveryOffsetYieldsTheSameResult) {
  for (std::size_t cut = 1; cut < kEchClientRecord.size(); ++cut) {
    Flow flow;
    const core::Bytes hello = view(kEchClientRecord);
    flow.feed(Direction::ToServer, hello.first(cut));
    flow.feed(Direction::ToServer, hello.subspan(cut));
    ASSERT_EQ(flow.out.sni, "performance.radar.cloudflare.com") << cut;
    ASSERT_EQ(flow.out.ja3, "6820f114cf3b0809ffdcb30cb277848a") << cut;
  }
}

TEST(TlsSession, WholeHandshakeOneByteAtATimeYieldsEveryField) {
  Flow flow;
  for (const std::uint8_t byte : kCurlClientRecord) flow.feed(Direction::ToServer, Message{byte});
  Progress last = Progress::More;
  for (const std::uint8_t byte : kCurlServerStart)
    last = flow.feed(Direction::ToClient, Message{byte});
  EXPECT_EQ(last, Progress::Done);
  EXPECT_EQ(flow.out.sni, "www.ntop.org");
  EXPECT_EQ(flow.out.ja3s, "ae53107a2e47ea20c72ac44821a728bf");
  EXPECT_EQ(flow.out.tls_cert_subject_cn, "www.ntop.org");
}

TEST(TlsSession, ClientHelloFragmentedOverThreeRecordsYieldsSni) {
  // RFC 5246 6.2.1: a handshake message may be split over several records.
  const core::Bytes hello = view(kChromeEchHello);
  const auto part = [&](std::size_t from, std::size_t size) {
    const core::Bytes piece = hello.subspan(from, size);
    return record(22, Message(piece.begin(), piece.end()), 0x0301);
  };
  Flow flow;
  flow.client(concat({part(0, 2), part(2, 300), part(302, hello.size() - 302)}));
  EXPECT_EQ(flow.out.sni, "performance.radar.cloudflare.com");
  EXPECT_TRUE(flow.out.tls_ech);
}

TEST(TlsSession, Tls13IsDoneAfterServerHello) {
  Flow flow;
  EXPECT_EQ(flow.client(kEchClientRecord), Progress::More);
  const Message hello =
      server_hello(0x0303, 0x1301, {selected_version(0x0304), ext(0x0033, {0, 0x1d, 0, 0})});
  EXPECT_EQ(flow.server(handshake_record(hello)), Progress::Done);
  EXPECT_EQ(flow.out.tls_version, "TLS 1.3");
  EXPECT_EQ(flow.out.cipher, "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(flow.out.ja3s, crypto::md5_hex("771,4865,43-51"));
}

TEST(TlsSession, ServerFlightBeforeClientHelloWaitsForTheClient) {
  Flow flow;
  EXPECT_EQ(flow.server(handshake_record(server_hello(0x0303, 0x1302, {selected_version(0x0304)}))),
            Progress::More);
  EXPECT_EQ(flow.client(kEchClientRecord), Progress::Done);
  EXPECT_EQ(flow.out.cipher, "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(flow.out.sni, "performance.radar.cloudflare.com");
}

TEST(TlsSession, HelloRetryRequestWaitsForTheRealServerHello) {
  Flow flow;
  flow.client(kEchClientRecord);
  const Message retry = server_hello(0x0303, 0x1302, {selected_version(0x0304)}, true);
  EXPECT_EQ(flow.server(concat({handshake_record(retry), kChangeCipherSpecRecord})),
            Progress::More);
  // The client's second hello (after its own dummy ChangeCipherSpec) changes nothing.
  Message second = kChromeEchHello;
  EXPECT_EQ(flow.client(concat({kChangeCipherSpecRecord, record(22, second)})), Progress::More);
  const Message real =
      server_hello(0x0303, 0x1302, {selected_version(0x0304), alpn_ext({text("h2")})});
  EXPECT_EQ(flow.server(handshake_record(real)), Progress::Done);
  EXPECT_EQ(flow.out.tls_version, "TLS 1.3");
  EXPECT_EQ(flow.out.alpn_selected, "h2");
  EXPECT_EQ(flow.out.ja3s, crypto::md5_hex("771,4866,43-16"));
}

TEST(TlsSession, Tls12MessagesSharingOneRecordGiveTheCertificateNames) {
  Flow flow;
  flow.client(kCurlClientRecord);
  const Message flight = concat({server_hello(0x0303, 0xc02b, {}), certificate({kShopCertificate}),
                                 handshake(14, {})});  // ServerHelloDone
  EXPECT_EQ(flow.server(handshake_record(flight)), Progress::Done);
  EXPECT_EQ(flow.out.tls_version, "TLS 1.2");
  EXPECT_EQ(flow.out.cipher, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(flow.out.ja3s, crypto::md5_hex("771,49195,"));
  EXPECT_EQ(flow.out.tls_cert_subject_cn, "shop.example");
  EXPECT_EQ(flow.out.tls_cert_sans, (std::vector<std::string>{"shop.example", "*.shop.example"}));
}

TEST(TlsSession, LeafIsReadBeforeAHugeChainArrives) {
  Flow flow;
  flow.client(kCurlClientRecord);
  // Intermediate certificate of 60000 bytes, of which only the start is sent.
  Message chain = certificate({kShopCertificate, Message(60000, 0x30)});
  chain.resize(kShopCertificate.size() + 100);
  const Message start =
      concat({handshake_record(server_hello(0x0303, 0xc02f, {})), record(22, chain)});
  EXPECT_EQ(flow.server(start), Progress::Done);
  EXPECT_EQ(flow.out.tls_cert_subject_cn, "shop.example");
}

TEST(TlsSession, ResumedTls12HandshakeEndsAtChangeCipherSpec) {
  Flow flow;
  flow.client(kCurlClientRecord);
  EXPECT_EQ(flow.server(handshake_record(server_hello(0x0303, 0xc02f, {}))), Progress::More);
  EXPECT_EQ(flow.server(kChangeCipherSpecRecord), Progress::Done);
  EXPECT_EQ(flow.out.tls_version, "TLS 1.2");
  EXPECT_EQ(flow.out.tls_cert_subject_cn, "");
}

TEST(TlsSession, Tls12WithoutCertificateEndsAtTheNextMessage) {
  Flow flow;
  flow.client(kCurlClientRecord);
  flow.server(handshake_record(server_hello(0x0301, 0x008c, {})));  // PSK: no certificate
  EXPECT_EQ(flow.server(handshake_record(handshake(12, Message(8, 1)))), Progress::Done);
  EXPECT_EQ(flow.out.tls_version, "TLS 1.0");
  EXPECT_EQ(flow.out.cipher, "TLS_PSK_WITH_AES_128_CBC_SHA");
  EXPECT_TRUE(flow.out.tls_cert_sans.empty());
}

TEST(TlsSession, CertificateThatIsNotX509GivesNoNames) {
  Flow flow;
  flow.client(kCurlClientRecord);
  const Message flight =
      concat({server_hello(0x0303, 0xc02f, {}), certificate({Message(40, 0x30)})});
  EXPECT_EQ(flow.server(handshake_record(flight)), Progress::Done);
  EXPECT_EQ(flow.out.tls_cert_subject_cn, "");
  EXPECT_TRUE(flow.out.tls_cert_sans.empty());
}

TEST(TlsSession, HandshakeBufferIsCappedAt64KiB) {
  Flow flow;
  flow.client(kCurlClientRecord);
  flow.server(handshake_record(server_hello(0x0303, 0xc02f, {})));
  // A Certificate whose leaf claims 200000 bytes: it could never be read whole.
  Message start{11, 0x03, 0x0d, 0x4a, 0x03, 0x0d, 0x40};
  Progress progress = flow.server(record(22, start));
  for (int i = 0; i < 8 && progress == Progress::More; ++i)
    progress = flow.server(record(22, Message(10000, 0x55)));
  EXPECT_EQ(progress, Progress::Done);  // gave up at the cap instead of buffering on
  EXPECT_EQ(flow.out.tls_cert_subject_cn, "");
}

TEST(TlsSession, AlertOrApplicationDataEndsADirection) {
  Flow flow;
  EXPECT_EQ(flow.client(record(23, Message(50, 0xee))), Progress::More);
  EXPECT_EQ(flow.server(record(21, {2, 40})), Progress::Done);
  EXPECT_TRUE(flow.out.sni.empty() && flow.out.tls_version.empty());
}

TEST(TlsSession, MalformedHellosEndTheirDirection) {
  Flow flow;
  EXPECT_EQ(flow.client(handshake_record(handshake(1, {3, 3}))), Progress::More);
  EXPECT_EQ(flow.server(handshake_record(handshake(2, {3, 3, 0}))), Progress::Done);
  EXPECT_TRUE(flow.out.ja3.empty() && flow.out.ja3s.empty());
}

TEST(TlsSession, GarbageNeverCrashesOrFillsFields) {
  Message garbage;
  std::uint32_t x = 12345;
  for (int i = 0; i < 5000; ++i) {
    x = x * 1103515245 + 12345;
    garbage.push_back(static_cast<std::uint8_t>(x >> 16));
  }
  for (const Message& prefix : {Message{}, Message{22, 3, 1, 0, 40}, Message{22, 3, 3}}) {
    Flow flow;
    const Message stream = concat({prefix, garbage});
    for (std::size_t at = 0; at < stream.size(); at += 97)
      flow.feed(Direction::ToServer,
                view(stream).subspan(at, std::min<std::size_t>(97, stream.size() - at)));
    EXPECT_TRUE(flow.out.sni.empty() && flow.out.ja3.empty() && flow.out.ja4.empty());
  }
}

TEST(TlsSession, EveryPrefixOfTheStreamsGivesOnlyCorrectFields) {
  Flow whole;
  whole.client(kCurlClientRecord);
  whole.server(kCurlServerStart);
  const AppInfo& want = whole.out;
  auto same_or_empty = [](const std::string& got, const std::string& expected) {
    return got.empty() || got == expected;
  };
  for (std::size_t size = 0; size <= kCurlServerStart.size(); size += 7) {
    Flow flow;
    flow.feed(Direction::ToServer,
              view(kCurlClientRecord).first(std::min(size, kCurlClientRecord.size())));
    flow.feed(Direction::ToClient, view(kCurlServerStart).first(size));
    const AppInfo& got = flow.out;
    ASSERT_TRUE(same_or_empty(got.sni, want.sni)) << size;
    ASSERT_TRUE(same_or_empty(got.ja3, want.ja3)) << size;
    ASSERT_TRUE(same_or_empty(got.ja4, want.ja4)) << size;
    ASSERT_TRUE(same_or_empty(got.ja3s, want.ja3s)) << size;
    ASSERT_TRUE(same_or_empty(got.cipher, want.cipher)) << size;
    ASSERT_TRUE(same_or_empty(got.tls_version, want.tls_version)) << size;
    ASSERT_TRUE(same_or_empty(got.alpn_selected, want.alpn_selected)) << size;
    ASSERT_TRUE(same_or_empty(got.tls_cert_subject_cn, want.tls_cert_subject_cn)) << size;
    ASSERT_TRUE(got.alpn.empty() || got.alpn == want.alpn) << size;
    ASSERT_TRUE(got.tls_cert_sans.empty() || got.tls_cert_sans == want.tls_cert_sans) << size;
  }
}

// ---- parse_server_hello on its own

TEST(TlsServerHello, EveryTruncationIsRejectedAndLeavesOutputUntouched) {
  const Message hello =
      server_hello(0x0303, 0x1301, {selected_version(0x0304), alpn_ext({text("h2")})});
  for (std::size_t size = 0; size < hello.size(); ++size) {
    AppInfo out;
    EXPECT_FALSE(parse_server_hello(core::Bytes(hello.data(), size), Carrier::Tcp, out)) << size;
    EXPECT_TRUE(out.tls_version.empty() && out.cipher.empty() && out.ja3s.empty());
  }
  AppInfo out;
  const auto result = parse_server_hello(view(hello), Carrier::Quic, out);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->version, 0x0304);
  EXPECT_FALSE(result->retry_request);
  EXPECT_EQ(out.alpn_selected, "h2");
  EXPECT_EQ(out.ja3s, "");  // JA3S is a TLS-over-TCP fingerprint
}

TEST(TlsServerHello, VersionAndCipherNames) {
  auto version_of = [](std::uint16_t legacy, std::vector<Message> exts) {
    AppInfo out;
    parse_server_hello(view(server_hello(legacy, 0x0a0b, exts)), Carrier::Tcp, out);
    return out.tls_version + " " + out.cipher;
  };
  EXPECT_EQ(version_of(0x0300, {}), "SSL 3.0 0x0A0B");
  EXPECT_EQ(version_of(0x0302, {}), "TLS 1.1 0x0A0B");
  EXPECT_EQ(version_of(0x0303, {selected_version(0x7f1c)}), "TLS 1.3 (draft 28) 0x0A0B");
  EXPECT_EQ(version_of(0x0303, {selected_version(0xfb1a)}), "TLS 1.3 (Fizz) 0x0A0B");
  EXPECT_EQ(version_of(0x0305, {}), "0x0305 0x0A0B");
}

// ---- probe

Match probe_tls(Direction dir, const Message& bytes) {
  return testing::probe(*find_dissector("TLS"), testing::tcp_flow(443), dir, bytes);
}

TEST(TlsProbe, ClientHelloTowardServerAndServerHelloTowardClient) {
  EXPECT_EQ(probe_tls(Direction::ToServer, kCurlClientRecord), Match::Yes);
  EXPECT_EQ(probe_tls(Direction::ToClient, kCurlServerStart), Match::Yes);
  EXPECT_EQ(probe_tls(Direction::ToClient, kCurlClientRecord), Match::No);
  EXPECT_EQ(probe_tls(Direction::ToServer, kCurlServerStart), Match::No);
}

TEST(TlsProbe, MaybeOnAConsistentStartShorterThanSixBytes) {
  for (std::size_t size = 0; size < 6; ++size)
    EXPECT_EQ(probe_tls(Direction::ToServer,
                        Message(kCurlClientRecord.begin(),
                                kCurlClientRecord.begin() + static_cast<std::ptrdiff_t>(size))),
              Match::Maybe)
        << size;
  for (std::size_t size = 6; size < 40; ++size)
    EXPECT_EQ(probe_tls(Direction::ToServer,
                        Message(kCurlClientRecord.begin(),
                                kCurlClientRecord.begin() + static_cast<std::ptrdiff_t>(size))),
              Match::Yes)
        << size;
}

TEST(TlsProbe, OtherProtocolsAndBrokenHeadersAreRejected) {
  EXPECT_EQ(probe_tls(Direction::ToServer, text("GET / HTTP/1.1\r\n")), Match::No);
  EXPECT_EQ(probe_tls(Direction::ToServer, text("SSH-2.0-OpenSSH_9.2\r\n")), Match::No);
  EXPECT_EQ(probe_tls(Direction::ToServer, from_hex("17 03 03 00 20 01")), Match::No);  // app data
  EXPECT_EQ(probe_tls(Direction::ToServer, from_hex("16 02 00 00 20 01")),
            Match::No);  // SSL 2 version
  EXPECT_EQ(probe_tls(Direction::ToServer, from_hex("16 03 05 00 20 01")),
            Match::No);  // version 3.5
  EXPECT_EQ(probe_tls(Direction::ToServer, from_hex("16 03 01 00 00 01")),
            Match::No);  // empty record
  EXPECT_EQ(probe_tls(Direction::ToServer, from_hex("16 03 01 40 01 01")), Match::No);  // > 2^14
  EXPECT_EQ(probe_tls(Direction::ToServer, from_hex("16 03 01 00 20 01 00 00 1c 07 00")),
            Match::No);
  EXPECT_EQ(probe_tls(Direction::ToServer, from_hex("16 04")), Match::No);
  EXPECT_EQ(probe_tls(Direction::ToServer, from_hex("80 2e 01 03 01")), Match::No);  // SSLv2 hello
}

}  // namespace
}  // namespace wiretop::dpi::tls
