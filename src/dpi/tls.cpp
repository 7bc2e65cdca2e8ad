// TLS (RFC 8446 for 1.3, RFC 5246 for 1.2 and older): what the cleartext
// handshake reveals, on any port. The ClientHello gives the SNI, the offered
// ALPN list and the JA3/JA4 client fingerprints (also for QUIC, whose CRYPTO
// frames carry the same message); the ServerHello the negotiated version,
// cipher and ALPN and JA3S; up to TLS 1.2 the server's Certificate follows in
// clear and gives its names. Read top to bottom: ClientHello, fingerprints,
// ServerHello, Certificate, then the record/handshake reassembly and the
// session that drives them.
#include "dpi/tls.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <vector>

#include "dpi/crypto.h"
#include "dpi/dissector.h"
#include "dpi/text.h"
#include "dpi/tls_names.h"

namespace wiretop::dpi {
namespace tls {
namespace {

using core::ByteReader;
using core::Bytes;

// Handshake types (RFC 8446 4, RFC 5246 7.4).
constexpr std::uint8_t kClientHello = 1, kServerHello = 2, kCertificate = 11;

// Extension types (IANA "TLS ExtensionType Values").
constexpr std::uint16_t kServerNameExt = 0;                 // RFC 6066 3
constexpr std::uint16_t kSupportedGroupsExt = 10;           // RFC 8446 4.2.7
constexpr std::uint16_t kEcPointFormatsExt = 11;            // RFC 8422 5.1.2
constexpr std::uint16_t kSignatureAlgorithmsExt = 13;       // RFC 8446 4.2.3
constexpr std::uint16_t kAlpnExt = 16;                      // RFC 7301 3.1
constexpr std::uint16_t kSupportedVersionsExt = 43;         // RFC 8446 4.2.1
constexpr std::uint16_t kEncryptedClientHelloExt = 0xfe0d;  // draft-ietf-tls-esni (ECH)
constexpr std::uint16_t kEncryptedServerNameExt = 0xffce;   // draft-ietf-tls-esni-02 (ESNI)

// GREASE values (RFC 8701 2): 0x?A?A with both bytes equal. Clients insert
// them at random, so every fingerprint ignores them.
bool is_grease(std::uint16_t value) {
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

// A field behind a 1-, 2- or 3-byte length (the TLS vector notation, RFC 8446 3.4).
std::optional<ByteReader> length_prefixed(ByteReader& r, int prefix_bytes) {
  std::optional<std::uint32_t> size;
  if (prefix_bytes == 1)
    size = r.u8();
  else if (prefix_bytes == 2)
    size = r.be16();
  else
    size = r.be24();
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
    case kAlpnExt:
      hello.alpn = protocol_names(data);
      break;
    case kSupportedGroupsExt:
      hello.groups = u16_list(data, 2).value_or(std::vector<std::uint16_t>{});
      break;
    case kEcPointFormatsExt:
      hello.point_formats = point_format_list(data);
      break;
    case kSignatureAlgorithmsExt:
      hello.signature_algorithms = u16_list(data, 2).value_or(std::vector<std::uint16_t>{});
      break;
    case kSupportedVersionsExt:
      hello.versions = u16_list(data, 1).value_or(std::vector<std::uint16_t>{});
      break;
    case kEncryptedClientHelloExt:
    case kEncryptedServerNameExt:
      hello.ech = true;
      break;
    default:
      break;
  }
}

// Calls `on_extension(type, data)` for each extension of a hello's extensions
// block (RFC 8446 4.2), GREASE skipped. The block may be absent (RFC 5246
// 7.4.1.2). Reading stops at the first extension that overruns the block:
// what came before is kept, as nDPI does, so fuzzed and buggy hellos still
// name their server. Truncated input never gets here: the handshake length
// was checked first.
template <typename OnExtension>
void for_each_extension(ByteReader& body, OnExtension on_extension) {
  const std::uint16_t declared = body.be16().value_or(0);
  ByteReader extensions(body.rest().first(std::min<std::size_t>(declared, body.remaining())));
  while (!extensions.empty()) {
    auto type = extensions.be16();
    auto data = length_prefixed(extensions, 2);
    if (!type || !data) return;
    if (!is_grease(*type)) on_extension(*type, *data);
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
  for_each_extension(*body, [&hello](std::uint16_t ext_type, ByteReader data) {
    hello.extensions.push_back(ext_type);
    read_client_extension(ext_type, data, hello);
  });
  return hello;
}

template <typename T>
std::string joined_decimal(const std::vector<T>& values) {
  std::string text;
  text.reserve(6 * values.size());
  char digits[8];
  for (const T value : values) {
    if (!text.empty()) text += '-';
    text.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  }
  return text;
}

// JA3 (github.com/salesforce/ja3): MD5 of
// "SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats",
// decimal values joined by '-', GREASE left out.
std::string ja3(const ClientHello& hello) {
  return crypto::md5_hex(std::to_string(hello.legacy_version) + ',' +
                         joined_decimal(hello.ciphers) + ',' + joined_decimal(hello.extensions) +
                         ',' + joined_decimal(hello.groups) + ',' +
                         joined_decimal(hello.point_formats));
}

// Four lower-case hex digits each, comma-joined (no snprintf: every
// ClientHello hashes two such lists).
std::string joined_hex(const std::vector<std::uint16_t>& values) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(5 * values.size());
  for (const std::uint16_t value : values) {
    if (!text.empty()) text += ',';
    for (int shift = 12; shift >= 0; shift -= 4) text += kDigits[(value >> shift) & 0x0f];
  }
  return text;
}

// JA4 section a, version: the highest supported_versions entry, else the
// legacy version (FoxIO JA4 spec, "TLS and DTLS Version").
std::string ja4_version(const ClientHello& hello) {
  struct Code {
    std::uint16_t version;
    const char* code;
  };
  static constexpr Code kCodes[] = {{0x0304, "13"}, {0x0303, "12"}, {0x0302, "11"},
                                    {0x0301, "10"}, {0x0300, "s3"}, {0x0002, "s2"},
                                    {0xfeff, "d1"}, {0xfefd, "d2"}, {0xfefc, "d3"}};
  std::uint16_t version = hello.legacy_version;
  if (!hello.versions.empty())
    version = *std::max_element(hello.versions.begin(), hello.versions.end());
  for (const Code& code : kCodes)
    if (code.version == version) return code.code;
  return "00";
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
  const ByteReader value(hello.alpn.front());
  const std::uint8_t first = *value.peek_u8(0), last = *value.peek_u8(value.size() - 1);
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

// HelloRetryRequest is a ServerHello whose random is this constant (RFC 8446 4.1.3).
constexpr std::uint8_t kHelloRetryRandom[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

struct ServerHello {
  std::uint16_t legacy_version = 0;
  std::uint16_t selected_version = 0;  // supported_versions, 0 when absent
  std::uint16_t cipher = 0;
  std::vector<std::uint16_t> extensions;  // types, in wire order, GREASE removed
  std::optional<Bytes> alpn;
  bool retry_request = false;
};

void read_server_extension(std::uint16_t type, ByteReader data, ServerHello& hello) {
  if (type == kSupportedVersionsExt) {
    hello.selected_version = data.be16().value_or(0);  // one version (RFC 8446 4.2.1)
  } else if (type == kAlpnExt) {
    const std::vector<Bytes> names = protocol_names(data);  // exactly one (RFC 7301 3.1)
    if (names.size() == 1) hello.alpn = names.front();
  }
}

// ServerHello layout: RFC 8446 4.1.3 (RFC 5246 7.4.1.3 up to the extensions,
// which TLS 1.2 servers may omit).
std::optional<ServerHello> read_server_hello(Bytes message) {
  ByteReader r(message);
  auto type = r.u8();
  if (!type || *type != kServerHello) return std::nullopt;
  auto body = length_prefixed(r, 3);
  if (!body) return std::nullopt;
  ServerHello hello;
  auto version = body->be16();
  auto random = body->bytes(32);
  auto session_id = length_prefixed(*body, 1);
  auto cipher = body->be16();
  auto compression = body->u8();
  if (!version || !random || !session_id || session_id->size() > 32 || !cipher || !compression)
    return std::nullopt;
  hello.legacy_version = *version;
  hello.cipher = *cipher;
  hello.retry_request = std::equal(random->begin(), random->end(), std::begin(kHelloRetryRandom));
  for_each_extension(*body, [&hello](std::uint16_t ext_type, ByteReader data) {
    hello.extensions.push_back(ext_type);
    read_server_extension(ext_type, data, hello);
  });
  return hello;
}

// JA3S (github.com/salesforce/ja3): MD5 of "SSLVersion,Cipher,SSLExtension".
std::string ja3s(const ServerHello& hello) {
  return crypto::md5_hex(std::to_string(hello.legacy_version) + ',' + std::to_string(hello.cipher) +
                         ',' + joined_decimal(hello.extensions));
}

// The leaf (first) certificate of a TLS <= 1.2 Certificate message (RFC 5246
// 7.4.2: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>, sender's first).
// `message` may be a prefix of the message: the leaf is returned as soon as it
// is whole, so a long chain need not be buffered (nor fit the packet budget).
std::optional<Bytes> leaf_certificate(Bytes message) {
  ByteReader r(message);
  auto type = r.u8();
  if (!type || *type != kCertificate || !r.skip(3) || !r.skip(3)) return std::nullopt;
  auto leaf = length_prefixed(r, 3);
  if (!leaf || leaf->empty()) return std::nullopt;
  return leaf->whole();
}

void add_certificate_names(Bytes der, AppInfo& out) {
  const std::optional<crypto::CertNames> names = crypto::x509_names(der);
  if (!names) return;
  out.tls_cert_subject_cn = printable(names->subject_cn);
  for (const std::string& san : names->sans) add_distinct(out.tls_cert_sans, printable(san));
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

std::optional<ServerHelloResult> parse_server_hello(core::Bytes message, Carrier carrier,
                                                    AppInfo& out) {
  const std::optional<ServerHello> hello = read_server_hello(message);
  if (!hello) return std::nullopt;
  const std::uint16_t version =
      hello->selected_version != 0 ? hello->selected_version : hello->legacy_version;
  out.tls_version = version_name(version);
  out.cipher = cipher_suite_name(hello->cipher);
  if (hello->alpn) out.alpn_selected = printable(*hello->alpn);
  if (carrier == Carrier::Tcp) out.ja3s = ja3s(*hello);
  return ServerHelloResult{version, hello->retry_request};
}

}  // namespace tls

namespace {

using core::ByteReader;
using core::Bytes;

// Record layer (RFC 5246 6.2.1, RFC 8446 5.1).
constexpr std::uint8_t kChangeCipherSpec = 20, kHandshake = 22;
constexpr std::size_t kRecordHeader = 5;
constexpr std::size_t kMaxRecord = (1u << 14) + 2048;  // TLSCiphertext limit, RFC 5246 6.2.3
// A ClientHello is a few KiB (11 KiB seen with post-quantum key shares) and a
// certificate chain ~10 KiB; the leaf is read before the chain is whole.
constexpr std::size_t kMaxHandshakeBuffer = 64 * 1024;

bool is_record_version(std::uint16_t version) {
  return version >= 0x0300 && version <= 0x0304;
}

// One direction's byte stream cut into records and then into handshake
// messages: a message may span records and a record may hold several
// messages. Records other than handshake and ChangeCipherSpec (alerts,
// application data, or anything unparsable) end the readable part.
class HandshakeStream {
 public:
  enum class Event { NeedMore, Message, ChangeCipherSpec, End };

  // Consumes bytes from `in` until a whole handshake message is available
  // (then message() is valid until the next call), a ChangeCipherSpec record
  // starts, the readable part ends, or `in` runs dry.
  Event next(ByteReader& in) {
    if (ended_) return Event::End;
    drop_delivered();
    for (;;) {
      if (const std::size_t size = buffered_message_size(); size != 0) {
        delivered_ = size;
        return Event::Message;
      }
      if (body_left_ > 0) {
        if (in.empty()) return Event::NeedMore;
        if (!take_body(in)) return end();
        continue;
      }
      while (header_size_ < kRecordHeader) {
        const auto byte = in.u8();
        if (!byte) return Event::NeedMore;
        header_[header_size_++] = *byte;
      }
      header_size_ = 0;
      const Event event = start_record();
      if (event != Event::NeedMore) return event;
    }
  }

  Bytes message() const { return Bytes(buffer_).first(delivered_); }
  // The start of the message still being reassembled (possibly empty).
  Bytes partial_message() const { return Bytes(buffer_).subspan(delivered_); }

 private:
  // RFC 5246 6.2.1: type, version, 16-bit length. NeedMore: go on reading.
  Event start_record() {
    ByteReader header(header_);
    const std::uint8_t type = *header.u8();
    const std::uint16_t version = *header.be16();
    const std::uint16_t length = *header.be16();
    if (!is_record_version(version) || length > kMaxRecord) return end();
    body_left_ = length;
    if (type == kChangeCipherSpec) return Event::ChangeCipherSpec;  // its byte is skipped
    if (type != kHandshake) return end();  // alert or encrypted data: nothing more to read
    return Event::NeedMore;
  }

  bool take_body(ByteReader& in) {
    const std::size_t size = std::min(body_left_, in.remaining());
    const Bytes part = *in.bytes(size);
    body_left_ -= size;
    if (header_[0] != kHandshake) return true;
    if (buffer_.size() + size > kMaxHandshakeBuffer) return false;
    buffer_.insert(buffer_.end(), part.begin(), part.end());
    return true;
  }

  // Size of the whole message at the front of the buffer, or 0 (RFC 8446 4:
  // 1-byte type, 24-bit length).
  std::size_t buffered_message_size() const {
    ByteReader r(buffer_);
    if (!r.skip(1)) return 0;
    const auto length = r.be24();
    if (!length || r.remaining() < *length) return 0;
    return 4 + std::size_t{*length};
  }

  void drop_delivered() {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(delivered_));
    delivered_ = 0;
  }

  Event end() {
    ended_ = true;
    buffer_ = {};
    delivered_ = 0;
    return Event::End;
  }

  std::uint8_t header_[kRecordHeader] = {};
  std::size_t header_size_ = 0;
  std::size_t body_left_ = 0;
  std::vector<std::uint8_t> buffer_;  // handshake bytes not yet delivered
  std::size_t delivered_ = 0;         // bytes at the front handed out by message()
  bool ended_ = false;
};

class TlsSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    Side& side = sides_[ctx.dir == Direction::ToServer ? 0 : 1];
    ByteReader in(data);
    while (side.want != Want::Nothing) {
      switch (side.stream.next(in)) {
        case HandshakeStream::Event::NeedMore:
          look_for_leaf(side, ctx.out);
          return progress();
        case HandshakeStream::Event::Message:
          on_message(side, side.stream.message(), ctx.out);
          break;
        case HandshakeStream::Event::ChangeCipherSpec:
          on_change_cipher_spec(side);
          break;
        case HandshakeStream::Event::End:
          side.want = Want::Nothing;
          break;
      }
    }
    return progress();
  }

 private:
  // What each direction may still show in clear. Messages are dispatched by
  // type, not by direction, so a flow whose client the tracker guessed wrong
  // (capture started mid-handshake) is still read.
  enum class Want : std::uint8_t { Hello, Certificate, Nothing };
  struct Side {
    HandshakeStream stream;
    Want want = Want::Hello;
  };

  Progress progress() const {
    const bool done = sides_[0].want == Want::Nothing && sides_[1].want == Want::Nothing;
    return done ? Progress::Done : Progress::More;
  }

  void on_message(Side& side, Bytes message, AppInfo& out) {
    const std::uint8_t type = ByteReader(message).peek_u8().value_or(0);
    if (side.want == Want::Certificate) {
      if (type == tls::kCertificate) add_leaf_names(message, out);
      side.want = Want::Nothing;  // or the server skipped it (PSK, anonymous)
      return;
    }
    if (type == tls::kClientHello) {
      tls::parse_client_hello(message, tls::Carrier::Tcp, out);
      side.want = Want::Nothing;  // a second hello (after HelloRetryRequest) adds nothing
    } else if (type == tls::kServerHello) {
      side.want = after_server_hello(tls::parse_server_hello(message, tls::Carrier::Tcp, out));
    } else {
      side.want = Want::Nothing;
    }
  }

  // TLS 1.3 (RFC 8446 2) encrypts everything after the ServerHello, the
  // certificate included; up to 1.2 the Certificate follows in clear. After a
  // HelloRetryRequest the real ServerHello is still to come.
  static Want after_server_hello(const std::optional<tls::ServerHelloResult>& result) {
    if (!result) return Want::Nothing;
    if (result->retry_request) return Want::Hello;
    const bool clear_certificate = result->version >= 0x0300 && result->version <= 0x0303;
    return clear_certificate ? Want::Certificate : Want::Nothing;
  }

  // Up to TLS 1.2 a ChangeCipherSpec right after the ServerHello means an
  // abbreviated (resumed) handshake: no certificate, and what follows is
  // encrypted (RFC 5246 7.3). TLS 1.3 peers send a dummy one for middlebox
  // compatibility (RFC 8446 D.4), possibly between a HelloRetryRequest and
  // the ServerHello; it is skipped.
  static void on_change_cipher_spec(Side& side) {
    if (side.want == Want::Certificate) side.want = Want::Nothing;
  }

  static void look_for_leaf(Side& side, AppInfo& out) {
    if (side.want == Want::Certificate && add_leaf_names(side.stream.partial_message(), out))
      side.want = Want::Nothing;
  }

  // The names of the leaf certificate, from a whole Certificate message or
  // from its start once the leaf is complete; false when not there (yet).
  static bool add_leaf_names(Bytes message, AppInfo& out) {
    const std::optional<Bytes> leaf = tls::leaf_certificate(message);
    if (!leaf) return false;
    tls::add_certificate_names(*leaf, out);
    return true;
  }

  Side sides_[2];
};

// The start of a TLS stream: a handshake record (RFC 5246 6.2.1) whose first
// message is a ClientHello toward the server or a ServerHello toward the
// client. Every check runs on the bytes present; Maybe until 6 are.
Match probe(const FlowInfo&, Direction dir, Bytes start) {
  const ByteReader r(start);
  const std::uint8_t want_message =
      dir == Direction::ToServer ? tls::kClientHello : tls::kServerHello;
  const auto type = r.peek_u8(0);
  const auto major = r.peek_u8(1);
  const auto minor = r.peek_u8(2);
  const auto length = r.peek_be16(3);
  const auto message = r.peek_u8(5);
  if (type && *type != kHandshake) return Match::No;
  if (major && *major != 3) return Match::No;
  if (minor && *minor > 4) return Match::No;
  if (length && (*length == 0 || *length > (1u << 14))) return Match::No;  // TLSPlaintext limit
  if (!message) return Match::Maybe;
  if (*message != want_message) return Match::No;
  // The hello's own version (offset 9) starts with 3 too, when the record holds it.
  if (const auto hello_major = r.peek_u8(9); hello_major && *length >= 5 && *hello_major != 3)
    return Match::No;
  return Match::Yes;
}

std::unique_ptr<Session> make_session() {
  return std::make_unique<TlsSession>();
}

}  // namespace

extern const Dissector kTls{"TLS", kTcp, {443, 8443, 993, 995}, false, probe, make_session};

}  // namespace wiretop::dpi
