// TLS (RFC 8446 for 1.3, RFC 5246 for 1.2 and older): what the cleartext
// handshake reveals. The ClientHello gives the SNI, the offered ALPN list and
// the JA3/JA4 client fingerprints (also for QUIC, whose CRYPTO frames carry
// the same message).
#include "dpi/tls.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "dpi/crypto.h"
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace tls {
namespace {

using core::ByteReader;
using core::Bytes;

// Handshake types (RFC 8446 4).
constexpr std::uint8_t kClientHello = 1;

// Extension types (IANA "TLS ExtensionType Values").
constexpr std::uint16_t kServerNameExt = 0;             // RFC 6066 3
constexpr std::uint16_t kSupportedGroupsExt = 10;       // RFC 8446 4.2.7
constexpr std::uint16_t kEcPointFormatsExt = 11;        // RFC 8422 5.1.2
constexpr std::uint16_t kSignatureAlgorithmsExt = 13;   // RFC 8446 4.2.3
constexpr std::uint16_t kAlpnExt = 16;                  // RFC 7301 3.1
constexpr std::uint16_t kSupportedVersionsExt = 43;     // RFC 8446 4.2.1
constexpr std::uint16_t kEncryptedClientHelloExt = 0xfe0d;  // draft-ietf-tls-esni (ECH)
constexpr std::uint16_t kEncryptedServerNameExt = 0xffce;   // draft-ietf-tls-esni-02 (ESNI)

// GREASE values (RFC 8701 2): 0x?A?A with both bytes equal. Clients insert
// them at random, so every fingerprint ignores them.
bool is_grease(std::uint16_t value) {
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

// Wire text as AppInfo keeps it: at most kMaxText bytes, non-printable bytes
// replaced by '?' (names are ASCII by RFC 6066 3 and RFC 7301 3.1 anyway).
std::string printable(Bytes raw) {
  std::string text;
  const std::size_t size = std::min(raw.size(), AppInfo::kMaxText);
  text.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    const std::uint8_t byte = raw[i];
    text.push_back(byte < 0x20 || byte >= 0x7f ? '?' : static_cast<char>(byte));
  }
  return text;
}

void add_distinct(std::vector<std::string>& list, std::string value) {
  if (list.size() >= AppInfo::kMaxListItems) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// A field behind a 1-, 2- or 3-byte length (the TLS vector notation, RFC 8446 3.4).
std::optional<ByteReader> length_prefixed(ByteReader& r, int prefix_bytes) {
  std::optional<std::uint32_t> size;
  if (prefix_bytes == 1) size = r.u8();
  else if (prefix_bytes == 2) size = r.be16();
  else size = r.be24();
  if (!size) return std::nullopt;
  return r.sub(*size);
}

// A length-prefixed vector of 16-bit values, GREASE removed; nullopt when the
// length is not a whole number of values or overruns the field.
std::optional<std::vector<std::uint16_t>> u16_list(ByteReader& r, int prefix_bytes) {
  auto items = length_prefixed(r, prefix_bytes);
  if (!items || items->remaining() % 2 != 0) return std::nullopt;
  std::vector<std::uint16_t> values;
  values.reserve(items->remaining() / 2);
  while (auto value = items->be16())
    if (!is_grease(*value)) values.push_back(*value);
  return values;
}

// Everything AppInfo and the fingerprints need from a ClientHello, GREASE
// already removed (it is never part of any output).
struct ClientHello {
  std::uint16_t legacy_version = 0;
  std::vector<std::uint16_t> ciphers;
  std::vector<std::uint16_t> extensions;  // types, in wire order
  std::vector<std::uint16_t> groups;
  std::vector<std::uint8_t> point_formats;
  std::vector<std::uint16_t> signature_algorithms;  // in wire order
  std::vector<std::uint16_t> versions;              // supported_versions
  bool has_sni_extension = false;
  std::optional<Bytes> host_name;
  std::vector<Bytes> alpn;
  bool ech = false;
};

// server_name (RFC 6066 3): the first entry of type host_name (0).
std::optional<Bytes> first_host_name(ByteReader data) {
  auto list = length_prefixed(data, 2);
  while (list && !list->empty()) {
    auto name_type = list->u8();
    auto name = length_prefixed(*list, 2);
    if (!name_type || !name) return std::nullopt;
    if (*name_type == 0) return name->whole();
  }
  return std::nullopt;
}

// application_layer_protocol_negotiation (RFC 7301 3.1): the protocol names, in
// order; empty when the list is malformed.
std::vector<Bytes> protocol_names(ByteReader data) {
  std::vector<Bytes> names;
  auto list = length_prefixed(data, 2);
  while (list && !list->empty()) {
    auto name = length_prefixed(*list, 1);
    if (!name) return {};
    names.push_back(name->whole());
  }
  return names;
}

std::vector<std::uint8_t> point_format_list(ByteReader data) {
  auto list = length_prefixed(data, 1);
  if (!list) return {};
  const Bytes formats = list->whole();
  return {formats.begin(), formats.end()};
}

// One extension's content. A malformed inner list leaves its field empty: the
// extension type still counts for JA3/JA4, which fingerprint the types.
void read_client_extension(std::uint16_t type, ByteReader data, ClientHello& hello) {
  switch (type) {
    case kServerNameExt:
      hello.has_sni_extension = true;
      hello.host_name = first_host_name(data);
      break;
    case kAlpnExt: hello.alpn = protocol_names(data); break;
    case kSupportedGroupsExt: hello.groups = u16_list(data, 2).value_or(std::vector<std::uint16_t>{}); break;
    case kEcPointFormatsExt: hello.point_formats = point_format_list(data); break;
    case kSignatureAlgorithmsExt:
      hello.signature_algorithms = u16_list(data, 2).value_or(std::vector<std::uint16_t>{});
      break;
    case kSupportedVersionsExt: hello.versions = u16_list(data, 1).value_or(std::vector<std::uint16_t>{}); break;
    case kEncryptedClientHelloExt:
    case kEncryptedServerNameExt: hello.ech = true; break;
    default: break;
  }
}

// The extensions block, absent in some pre-TLS 1.2 hellos (RFC 5246 7.4.1.2).
// Reading stops at the first extension that overruns the block: what came
// before is kept, as nDPI does (fuzzed and buggy hellos still name their
// server). Truncated input never gets here: the handshake length is checked.
void read_client_extensions(ByteReader& body, ClientHello& hello) {
  const std::uint16_t declared = body.be16().value_or(0);
  ByteReader extensions(body.rest().first(std::min<std::size_t>(declared, body.remaining())));
  while (!extensions.empty()) {
    auto type = extensions.be16();
    auto data = length_prefixed(extensions, 2);
    if (!type || !data) return;
    if (is_grease(*type)) continue;
    hello.extensions.push_back(*type);
    read_client_extension(*type, *data, hello);
  }
}

// ClientHello layout: RFC 8446 4.1.2 (RFC 5246 7.4.1.2 is the same up to the
// extensions). `message` starts at the 4-byte handshake header.
std::optional<ClientHello> read_client_hello(Bytes message) {
  ByteReader r(message);
  auto type = r.u8();
  if (!type || *type != kClientHello) return std::nullopt;
  auto body = length_prefixed(r, 3);
  if (!body) return std::nullopt;
  ClientHello hello;
  auto version = body->be16();
  if (!version || !body->skip(32)) return std::nullopt;  // legacy_version, random
  hello.legacy_version = *version;
  auto session_id = length_prefixed(*body, 1);
  auto ciphers = u16_list(*body, 2);  // reads its own length prefix
  if (!session_id || session_id->size() > 32 || !ciphers) return std::nullopt;
  hello.ciphers = std::move(*ciphers);
  // compression_methods<1..2^8-1>: every hello offers at least null compression.
  auto compression = length_prefixed(*body, 1);
  if (!compression || compression->empty()) return std::nullopt;
  read_client_extensions(*body, hello);
  return hello;
}

template <typename T>
std::string joined_decimal(const std::vector<T>& values) {
  std::string text;
  for (const T value : values) {
    if (!text.empty()) text += '-';
    text += std::to_string(value);
  }
  return text;
}

// JA3 (github.com/salesforce/ja3): MD5 of
// "SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats",
// decimal values joined by '-', GREASE left out.
std::string ja3(const ClientHello& hello) {
  return crypto::md5_hex(std::to_string(hello.legacy_version) + ',' + joined_decimal(hello.ciphers) +
                         ',' + joined_decimal(hello.extensions) + ',' +
                         joined_decimal(hello.groups) + ',' + joined_decimal(hello.point_formats));
}

std::string hex4(std::uint16_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "%04x", value);
  return text;
}

std::string joined_hex(const std::vector<std::uint16_t>& values) {
  std::string text;
  for (const std::uint16_t value : values) {
    if (!text.empty()) text += ',';
    text += hex4(value);
  }
  return text;
}

// JA4 section a, version: the highest supported_versions entry, else the
// legacy version (FoxIO JA4 spec, "TLS and DTLS Version").
std::string ja4_version(const ClientHello& hello) {
  std::uint16_t version = hello.legacy_version;
  if (!hello.versions.empty())
    version = *std::max_element(hello.versions.begin(), hello.versions.end());
  switch (version) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    case 0xfeff: return "d1";
    case 0xfefd: return "d2";
    case 0xfefc: return "d3";
    default: return "00";
  }
}

std::string two_digits(std::size_t count) {
  const std::size_t capped = std::min<std::size_t>(count, 99);
  return {static_cast<char>('0' + capped / 10), static_cast<char>('0' + capped % 10)};
}

bool is_alphanumeric(std::uint8_t byte) {
  return (byte >= '0' && byte <= '9') || (byte >= 'A' && byte <= 'Z') ||
         (byte >= 'a' && byte <= 'z');
}

// JA4 section a, ALPN: first and last character of the first offered value;
// "00" when none; the first and last hex digit of the value when either end
// byte is not alphanumeric (FoxIO JA4 spec, "ALPN Extension Value").
std::string ja4_alpn(const ClientHello& hello) {
  if (hello.alpn.empty() || hello.alpn.front().empty()) return "00";
  const Bytes value = hello.alpn.front();
  const std::uint8_t first = value.front(), last = value.back();
  if (is_alphanumeric(first) && is_alphanumeric(last))
    return {static_cast<char>(first), static_cast<char>(last)};
  static constexpr char kDigits[] = "0123456789abcdef";
  return {kDigits[first >> 4], kDigits[last & 0x0f]};
}

// The 12-character truncated SHA-256 JA4 uses for sections b and c, or twelve
// zeros when the list it hashes is empty.
std::string ja4_hash(bool list_empty, const std::string& text) {
  if (list_empty) return "000000000000";
  return crypto::sha256_hex(text).substr(0, 12);
}

// JA4 (github.com/FoxIO-LLC/ja4, technical_details/JA4.md).
std::string ja4(const ClientHello& hello, Carrier carrier) {
  std::string a = carrier == Carrier::Quic ? "q" : "t";
  a += ja4_version(hello);
  a += hello.has_sni_extension ? 'd' : 'i';
  a += two_digits(hello.ciphers.size()) + two_digits(hello.extensions.size()) + ja4_alpn(hello);

  std::vector<std::uint16_t> ciphers = hello.ciphers;
  std::sort(ciphers.begin(), ciphers.end());
  const std::string b = ja4_hash(ciphers.empty(), joined_hex(ciphers));

  // SNI and ALPN are already in section a; leaving them out keeps section c
  // the same for one client whatever the destination.
  std::vector<std::uint16_t> extensions;
  for (const std::uint16_t type : hello.extensions)
    if (type != kServerNameExt && type != kAlpnExt) extensions.push_back(type);
  std::sort(extensions.begin(), extensions.end());
  std::string c_text = joined_hex(extensions);
  if (!hello.signature_algorithms.empty()) c_text += '_' + joined_hex(hello.signature_algorithms);
  const std::string c = ja4_hash(extensions.empty(), c_text);
  return a + '_' + b + '_' + c;
}

}  // namespace

bool parse_client_hello(core::Bytes message, Carrier carrier, AppInfo& out) {
  const std::optional<ClientHello> hello = read_client_hello(message);
  if (!hello) return false;
  if (hello->host_name) out.sni = printable(*hello->host_name);
  for (const Bytes name : hello->alpn) add_distinct(out.alpn, printable(name));
  if (carrier == Carrier::Tcp) out.ja3 = ja3(*hello);
  out.ja4 = ja4(*hello, carrier);
  out.tls_ech = out.tls_ech || hello->ech;
  return true;
}

}  // namespace tls

namespace {
Match probe_none(const FlowInfo&, Direction, core::Bytes) { return Match::No; }
}  // namespace

extern const Dissector kTls{"TLS", kTcp, {443, 8443, 993, 995}, false, probe_none, nullptr};

}  // namespace wiretop::dpi
