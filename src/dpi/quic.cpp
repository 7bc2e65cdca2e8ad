// QUIC and Google QUIC. A flow is QUIC when its first packet has a long header
// with a version we know (1, 2, drafts 23-34, Google's Q0xx/T05x), or is a
// Version Negotiation packet, or a Google public header. The session then
// reads the client's first flight: it removes the Initial protection (keys
// derived from the connection ID, RFC 9001 section 5), puts the CRYPTO frames
// back together by offset, and hands the complete ClientHello to the TLS
// parser (sni, alpn, ja4). Google's Q043/Q046 send their handshake (CHLO) in
// cleartext, and Q050/T05x protect it like IETF Initials with their own salts.
#include "dpi/quic.h"

#include <algorithm>
#include <cstdio>

#include "dpi/crypto.h"
#include "dpi/dissector.h"
#include "dpi/text.h"
#include "dpi/tls.h"

namespace wiretop::dpi {
namespace quic {

enum class LongType : std::uint8_t { Initial, ZeroRtt, Handshake, Retry };

struct LongPacket {
  std::uint32_t version = 0;
  LongType type = LongType::Initial;
  core::Bytes dcid;
  core::Bytes packet;         // first byte to the end of this packet
  std::size_t pn_offset = 0;  // where the (protected) packet number starts
};

struct OpenedPacket {
  std::uint64_t packet_number = 0;
  std::vector<std::uint8_t> frames;
};

namespace {

// How a version lays out its first packet and handshake.
enum class Kind : std::uint8_t {
  Unknown,
  Ietf,          // RFC 9000 long header, TLS in CRYPTO frames (v1, v2, drafts)
  GooglePublic,  // gQUIC <= Q043: public header, cleartext CHLO on stream 1
  GoogleQ046,    // Q046: long header with 4-bit CID lengths, cleartext CHLO
  GoogleIetf,    // Q050/T05x: RFC 9000-style long header and Initial protection
  Grease,        // 0x?a?a?a?a: reserved to make servers answer with Version Negotiation
};

bool is_draft(std::uint32_t v, unsigned lo, unsigned hi) {
  return (v >> 8) == 0xff0000 && (v & 0xff) >= lo && (v & 0xff) <= hi;
}

// Google versions are four ASCII bytes: 'Q' (QUIC crypto) or 'T' (TLS), '0', two digits.
bool is_google(std::uint32_t v) {
  const auto digit = [](std::uint32_t b) { return (b & 0xff) >= '0' && (b & 0xff) <= '9'; };
  const char family = static_cast<char>(v >> 24);
  return (family == 'Q' || family == 'T') && ((v >> 16) & 0xff) == '0' && digit(v >> 8) && digit(v);
}
unsigned google_number(std::uint32_t v) {
  return (((v >> 8) & 0xff) - '0') * 10 + ((v & 0xff) - '0');
}

Kind kind_of(std::uint32_t v) {
  if (v == kVersion1 || v == kVersion2 || is_draft(v, 23, 34)) return Kind::Ietf;
  if ((v & 0x0f0f0f0f) == 0x0a0a0a0a) return Kind::Grease;  // RFC 9000 section 15
  if (!is_google(v)) return Kind::Unknown;
  const unsigned n = google_number(v);
  const bool tls = (v >> 24) == 'T';
  if (n >= 50) return Kind::GoogleIetf;
  if (!tls && n == 46) return Kind::GoogleQ046;
  if (!tls && n <= 43) return Kind::GooglePublic;
  return Kind::Unknown;  // Q044/45/47-49 and T04x never shipped widely; layout unverified
}

// A version whose packets we can read (not Unknown, not a grease value).
bool is_known(std::uint32_t v) {
  return kind_of(v) != Kind::Unknown && kind_of(v) != Kind::Grease;
}

// Q0xx versions carry Google's own handshake (CHLO); the rest carry TLS.
bool carries_tls(std::uint32_t v) {
  return kind_of(v) == Kind::Ietf || (v >> 24) == 'T';
}

using Salt = std::array<std::uint8_t, 20>;
// RFC 9001 section 5.2 (also draft-33 and -34, as Wireshark and nDPI use it).
constexpr Salt kSaltV1{0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                       0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
// RFC 9369 section 3.3.1.
constexpr Salt kSaltV2{0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
                       0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9};
// draft-ietf-quic-tls-23 section 5.2 (unchanged through draft-28).
constexpr Salt kSaltDraft23{0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
                            0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02};
// draft-ietf-quic-tls-29 section 5.2 (unchanged through draft-32).
constexpr Salt kSaltDraft29{0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
                            0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99};
// Chromium's gQUIC versions with IETF Initial protection (as Wireshark decrypts them).
constexpr Salt kSaltQ050{0x50, 0x45, 0x74, 0xef, 0xd0, 0x66, 0xfe, 0x2f, 0x9d, 0x94,
                         0x5c, 0xfc, 0xdb, 0xd3, 0xa7, 0xf0, 0xd3, 0xb5, 0x6b, 0x45};
constexpr Salt kSaltT050{0x7f, 0xf5, 0x79, 0xe5, 0xac, 0xd0, 0x72, 0x91, 0x55, 0x80,
                         0x30, 0x4c, 0x43, 0xa2, 0x36, 0x7c, 0x60, 0x48, 0x83, 0x10};
constexpr Salt kSaltT051{0x7a, 0x4e, 0xde, 0xf4, 0xe7, 0xcc, 0xee, 0x5f, 0xa4, 0x50,
                         0x6c, 0x19, 0x12, 0x4f, 0xc8, 0xcc, 0xda, 0x6e, 0x03, 0x3d};

const Salt* initial_salt(std::uint32_t v) {
  if (v == kVersion1 || is_draft(v, 33, 34)) return &kSaltV1;
  if (v == kVersion2) return &kSaltV2;
  if (is_draft(v, 29, 32)) return &kSaltDraft29;
  if (is_draft(v, 23, 28)) return &kSaltDraft23;
  if (v == 0x51303530) return &kSaltQ050;  // "Q050"
  if (v == 0x54303530) return &kSaltT050;  // "T050"
  if (v == 0x54303531) return &kSaltT051;  // "T051"
  return nullptr;
}

constexpr std::size_t kMaxCidLength = 20;  // RFC 9000 17.2: v1 CIDs are at most 20 bytes
constexpr std::uint8_t kLongHeader = 0x80, kFixedBit = 0x40;

// The two type bits: v1 numbers them Initial 0, 0-RTT 1, Handshake 2, Retry 3
// (RFC 9000 17.2); v2 rotates them to 1, 2, 3, 0 (RFC 9369 section 3.2).
LongType long_type(std::uint8_t first, std::uint32_t version) {
  constexpr LongType kV2[4] = {LongType::Retry, LongType::Initial, LongType::ZeroRtt,
                               LongType::Handshake};
  const unsigned bits = (first >> 4) & 0x03;
  return version == kVersion2 ? kV2[bits] : static_cast<LongType>(bits);
}

// One long-header packet at the front of `datagram` (17.2; 17.2.2 adds the
// Initial's token). Retry has no Length field and runs to the datagram's end.
std::optional<LongPacket> parse_long_packet(core::Bytes datagram) {
  core::ByteReader r(datagram);
  const auto first = r.u8();
  const auto version = r.be32();
  if (!first || !version || !(*first & kLongHeader) || *version == 0) return std::nullopt;
  LongPacket p;
  p.version = *version;
  p.type = long_type(*first, *version);
  const auto dcid_len = r.u8();
  if (!dcid_len || *dcid_len > kMaxCidLength) return std::nullopt;
  const auto dcid = r.bytes(*dcid_len);
  const auto scid_len = r.u8();
  if (!dcid || !scid_len || *scid_len > kMaxCidLength || !r.skip(*scid_len)) return std::nullopt;
  p.dcid = *dcid;
  if (p.type == LongType::Retry) {
    p.packet = datagram;
    return p;
  }
  if (p.type == LongType::Initial) {
    const auto token_len = read_varint(r);
    if (!token_len || *token_len > r.remaining() || !r.skip(*token_len)) return std::nullopt;
  }
  const auto length = read_varint(r);  // packet number + protected payload
  if (!length || *length > r.remaining()) return std::nullopt;
  p.pn_offset = r.position();
  p.packet = datagram.first(r.position() + *length);
  return p;
}

// RFC 9000 appendix A.3: the full packet number closest to the next expected one.
std::uint64_t decode_packet_number(std::optional<std::uint64_t> largest, std::uint64_t truncated,
                                   unsigned bits) {
  if (!largest) return truncated;
  const std::uint64_t expected = *largest + 1;
  const std::uint64_t window = std::uint64_t{1} << bits, half = window / 2;
  const std::uint64_t candidate = (expected & ~(window - 1)) | truncated;
  if (candidate + half <= expected && candidate < (std::uint64_t{1} << 62) - window)
    return candidate + window;
  if (candidate > expected + half && candidate >= window) return candidate - window;
  return candidate;
}

// Removes header protection (5.4.1: AES-ECB of a 16-byte sample taken 4 bytes
// after the packet number's start masks the low 4 bits of the first byte and
// the packet number), then opens the payload (5.3: AES-128-GCM, nonce = IV xor
// packet number, the unprotected header as associated data).
std::optional<OpenedPacket> open_packet(const LongPacket& p, const PacketKeys& keys,
                                        std::optional<std::uint64_t> largest_pn) {
  core::ByteReader r(p.packet);
  std::array<std::uint8_t, 16> mask{};
  const auto sample = r.seek(p.pn_offset + 4) ? r.bytes(16) : std::nullopt;
  if (!sample || !crypto::aes128_ecb_block(keys.hp, *sample, mask)) return std::nullopt;
  const auto first = core::ByteReader(p.packet).peek_u8();
  if (!first) return std::nullopt;
  const std::size_t pn_len = ((*first ^ mask[0]) & 0x03) + 1;
  const auto header = core::ByteReader(p.packet).bytes(p.pn_offset + pn_len);
  if (!header) return std::nullopt;
  std::vector<std::uint8_t> aad(header->begin(), header->end());
  aad[0] ^= mask[0] & 0x0f;
  std::uint64_t truncated = 0;
  for (std::size_t i = 0; i < pn_len; ++i) {
    aad[p.pn_offset + i] ^= mask[1 + i];
    truncated = (truncated << 8) | aad[p.pn_offset + i];
  }
  OpenedPacket out;
  out.packet_number =
      decode_packet_number(largest_pn, truncated, static_cast<unsigned>(8 * pn_len));
  std::array<std::uint8_t, 12> nonce = keys.iv;
  for (std::size_t i = 0; i < 8; ++i)
    nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(out.packet_number >> (8 * i));
  auto plain = crypto::aes128_gcm_open(keys.key, nonce, aad, p.packet.subspan(aad.size()));
  if (!plain) return std::nullopt;
  out.frames = std::move(*plain);
  return out;
}

// The frame codes that differ between IETF framing (RFC 9000 section 19) and
// Chromium's framing of Q050/T05x Initials (CRYPTO 0x08, PING 0x07).
struct Framing {
  std::uint64_t crypto, ping;
  bool ietf_ack;
};
constexpr Framing kIetfFraming{0x06, 0x01, true};
constexpr Framing kGoogleFraming{0x08, 0x07, false};

bool skip_varints(core::ByteReader& r, std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i)
    if (!read_varint(r)) return false;
  return true;
}

// 19.3: largest, delay, range count, first range, then (gap, length) pairs,
// then three ECN counts for type 0x03.
bool skip_ack(core::ByteReader& r, bool ecn) {
  if (!skip_varints(r, 2)) return false;
  const auto ranges = read_varint(r);
  if (!ranges || *ranges > r.remaining() / 2 || !skip_varints(r, 1 + 2 * *ranges)) return false;
  return !ecn || skip_varints(r, 3);
}

// Stores the CRYPTO data of one opened Initial. Initials carry only PADDING,
// PING, ACK, CRYPTO and CONNECTION_CLOSE (RFC 9000 12.4, table 3); any other
// type means a malformed or unfamiliar packet whose frame lengths we cannot
// know, so the walk stops there. False when the stream's cap was hit.
bool collect_crypto_frames(core::Bytes frames, const Framing& framing, CryptoStream& stream) {
  core::ByteReader r(frames);
  while (!r.empty()) {
    const auto type = read_varint(r);  // 19: frame types are varints
    if (!type) return true;
    if (*type == 0x00) {  // PADDING is one byte each; an Initial carries hundreds in a row
      while (r.peek_u8() == std::uint8_t{0}) r.skip(1);
      continue;
    }
    if (*type == framing.ping) continue;
    if (framing.ietf_ack && (*type == 0x02 || *type == 0x03)) {
      if (!skip_ack(r, *type == 0x03)) return true;
      continue;
    }
    if (*type != framing.crypto) return true;  // incl. CONNECTION_CLOSE: nothing after matters
    const auto offset = read_varint(r);        // 19.6: offset, length, data
    const auto length = read_varint(r);
    const auto data = length && *length <= r.remaining() ? r.bytes(*length) : std::nullopt;
    if (!offset || !data) return true;
    if (!stream.add(*offset, *data)) return false;
  }
  return true;
}

// An unsigned integer of `n` (0-8) bytes in either byte order.
std::optional<std::uint64_t> read_uint(core::ByteReader& r, std::size_t n, bool big_endian) {
  const auto b = r.bytes(n);
  if (!b) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i)
    v |= std::uint64_t{(*b)[big_endian ? i : n - 1 - i]} << (8 * (n - 1 - i));
  return v;
}

// gQUIC <= Q046 STREAM frames, type 0b1FDOOOSS: F fin, D a 2-byte data length
// follows (else the data runs to the packet's end), OOO offset length (0 or
// OOO+1 bytes), SS stream ID length (SS+1 bytes). Stream 1 carries the
// handshake. Fields are big-endian from Q039, little-endian before.
bool collect_stream1_frames(core::Bytes frames, bool big_endian, CryptoStream& stream) {
  core::ByteReader r(frames);
  while (!r.empty()) {
    const std::uint8_t type = *r.u8();
    if (type == 0x07) continue;           // PING
    if ((type & 0x80) == 0) return true;  // PADDING (to the end), ACK, ...: done
    const std::size_t offset_bits = (type >> 2) & 0x07;
    const auto id = read_uint(r, (type & 0x03) + 1, big_endian);
    const auto offset = read_uint(r, offset_bits ? offset_bits + 1 : 0, big_endian);
    const auto length =
        (type & 0x20) ? read_uint(r, 2, big_endian) : std::optional<std::uint64_t>(r.remaining());
    const auto data = length ? r.bytes(*length) : std::nullopt;
    if (!id || !offset || !data) return true;
    if (*id == 1 && !stream.add(*offset, *data)) return false;
  }
  return true;
}

struct Message {
  enum class Status : std::uint8_t { Partial, Complete, Invalid } status;
  core::Bytes bytes;
};

// RFC 8446 section 4: handshake type (1 = ClientHello) and a 24-bit length.
Message tls_client_hello(core::Bytes stream) {
  core::ByteReader r(stream);
  const auto type = r.u8();
  const auto length = r.be24();
  if (!type || !length) return {Message::Status::Partial, {}};
  if (*type != 1 || *length + 4 > CryptoStream::kMaxBytes) return {Message::Status::Invalid, {}};
  const auto whole = core::ByteReader(stream).bytes(*length + 4);
  return whole ? Message{Message::Status::Complete, *whole} : Message{Message::Status::Partial, {}};
}

// Chromium's crypto handshake message: tag "CHLO", uint16 entry count, two
// bytes of padding, one (tag, uint32 end offset) pair per entry, then the
// values back to back; integers little-endian, end offsets non-decreasing.
constexpr std::size_t kMaxChloEntries = 128;  // Chromium's own limit (kMaxEntries)
Message google_chlo(core::Bytes stream) {
  core::ByteReader r(stream);
  const auto tag = r.be32();
  const auto entries = r.le16();
  if (!tag || !entries || !r.skip(2)) return {Message::Status::Partial, {}};
  if (*tag != 0x43484c4f /* "CHLO" */ || *entries == 0 || *entries > kMaxChloEntries)
    return {Message::Status::Invalid, {}};
  const std::size_t index_end = 8 + 8 * std::size_t{*entries};
  const auto last_end = r.seek(index_end - 4) ? r.le32() : std::nullopt;
  if (!last_end) return {Message::Status::Partial, {}};
  if (index_end + *last_end > CryptoStream::kMaxBytes) return {Message::Status::Invalid, {}};
  const auto whole = core::ByteReader(stream).bytes(index_end + *last_end);
  return whole ? Message{Message::Status::Complete, *whole} : Message{Message::Status::Partial, {}};
}

// The SNI and UAID (user agent) tags of a complete CHLO.
void read_chlo(core::Bytes chlo, AppInfo& out) {
  core::ByteReader r(chlo);
  r.skip(4);
  const std::uint16_t entries = r.le16().value_or(0);
  r.skip(2);
  auto index = r.sub(8 * std::size_t{entries});
  if (!index) return;
  const core::Bytes values = r.rest();
  std::uint32_t start = 0;
  for (std::uint16_t i = 0; i < entries; ++i) {
    const auto tag = index->be32();
    const auto end = index->le32();
    if (!tag || !end || *end < start || *end > values.size()) return;
    const core::Bytes value = values.subspan(start, *end - start);
    if (*tag == 0x534e4900 /* "SNI\0" */) out.sni = printable(value);
    if (*tag == 0x55414944 /* "UAID" */) out.quic_user_agent = printable(value);
    start = *end;
  }
}

constexpr std::size_t kGoogleHashLength = 12;  // message authentication hash of cleartext packets

// gQUIC <= Q043 public header: flags, an 8-byte connection ID (flag 0x08), the
// version (flag 0x01, client only), a 1/2/4/6-byte packet number (flags 0x30),
// before Q034 a private flags byte; cleartext packets then carry the hash.
std::optional<core::Bytes> public_header_frames(core::Bytes datagram, std::uint32_t& version) {
  constexpr std::size_t kPnLength[4] = {1, 2, 4, 6};
  core::ByteReader r(datagram);
  const auto flags = r.u8();
  if (!flags || (*flags & 0xc0) || (*flags & 0x09) != 0x09 || !r.skip(8)) return std::nullopt;
  const auto v = r.be32();
  if (!v || kind_of(*v) != Kind::GooglePublic) return std::nullopt;
  version = *v;
  const std::size_t private_flags = google_number(*v) < 34 ? 1 : 0;
  if (!r.skip(kPnLength[(*flags >> 4) & 0x03] + private_flags + kGoogleHashLength))
    return std::nullopt;
  return r.rest();
}

// Q046: a long header whose one CID-length byte holds two 4-bit lengths (each
// length - 3, or 0 for none), then a 1-4 byte packet number and the hash.
std::optional<core::Bytes> q046_frames(core::Bytes datagram) {
  core::ByteReader r(datagram);
  const auto first = r.u8();
  const auto version = r.be32();
  const auto lengths = r.u8();
  if (!first || !version || !lengths || (*first & 0x30) != 0) return std::nullopt;  // Initial only
  const auto cid_length = [](unsigned nibble) -> std::size_t { return nibble ? nibble + 3 : 0; };
  if (!r.skip(cid_length(*lengths >> 4) + cid_length(*lengths & 0x0f) + (*first & 0x03) + 1 +
              kGoogleHashLength))
    return std::nullopt;
  return r.rest();
}

bool sane_long_header(core::ByteReader r) {  // positioned after the version
  const auto dcid_len = r.u8();
  if (!dcid_len || *dcid_len > kMaxCidLength || !r.skip(*dcid_len)) return false;
  const auto scid_len = r.u8();
  return scid_len && *scid_len <= kMaxCidLength && r.skip(*scid_len);
}

// RFC 9000 17.2.1: CIDs (up to 255 bytes in the invariants), then a list of
// 4-byte versions; we want at least one we know.
bool looks_like_version_negotiation(core::ByteReader r) {
  for (int i = 0; i < 2; ++i) {
    const auto len = r.u8();
    if (!len || !r.skip(*len)) return false;
  }
  if (r.empty() || r.remaining() % 4 != 0) return false;
  bool known = false;
  while (const auto v = r.be32()) known = known || is_known(*v);
  return known;
}

Match probe_quic(const FlowInfo&, Direction, core::Bytes start) {
  core::ByteReader r(start);
  const auto first = r.u8();
  if (!first) return Match::No;
  if (!(*first & kLongHeader)) {  // short header (no version), or a gQUIC public header
    std::uint32_t version = 0;
    return public_header_frames(start, version) ? Match::Yes : Match::No;
  }
  const auto version = r.be32();
  if (!version) return Match::No;
  if (*version == 0) return looks_like_version_negotiation(r) ? Match::Yes : Match::No;
  switch (kind_of(*version)) {
    case Kind::Ietf:
    case Kind::GoogleIetf:
      return (*first & kFixedBit) && sane_long_header(r) ? Match::Yes : Match::No;
    case Kind::GoogleQ046:
      return (*first & kFixedBit) && q046_frames(start) ? Match::Yes : Match::No;
    case Kind::Grease:  // a client's first Initial, padded to 1200 bytes (RFC 9000 14.1)
      return (*first & kFixedBit) && sane_long_header(r) && start.size() >= 1200 ? Match::Yes
                                                                                 : Match::No;
    case Kind::GooglePublic:
    case Kind::Unknown:
      break;
  }
  return Match::No;
}

// The client's first flight is a handful of datagrams (Chrome: up to three
// with post-quantum key shares, plus early 0-RTT); past this the ClientHello
// was missed (capture started late, or lost).
constexpr int kMaxClientDatagrams = 8;

// A server-only capture still tells the version.
void name_version_if_unnamed(core::Bytes datagram, AppInfo& out) {
  core::ByteReader r(datagram);
  const auto first = r.u8();
  const auto version = r.be32();
  if (out.quic_version.empty() && first && (*first & kLongHeader) && version && is_known(*version))
    out.quic_version = version_name(*version);
}

class QuicSession final : public Session {
 public:
  Progress feed(const Context& ctx, core::Bytes datagram) override {
    if (ctx.dir == Direction::ToClient) {
      name_version_if_unnamed(datagram, ctx.out);
      return Progress::More;
    }
    switch (flight_.add_datagram(datagram, ctx.out)) {
      case ClientFlight::Status::Complete:
        if (flight_.message_is_tls())
          tls::parse_client_hello(flight_.message(), tls::Carrier::Quic, ctx.out);
        else
          read_chlo(flight_.message(), ctx.out);
        return Progress::Done;
      case ClientFlight::Status::Failed:
        return Progress::Done;
      case ClientFlight::Status::Reading:
        break;
    }
    return ++client_datagrams_ >= kMaxClientDatagrams ? Progress::Done : Progress::More;
  }

 private:
  ClientFlight flight_;
  int client_datagrams_ = 0;
};

std::unique_ptr<Session> make_quic_session() {
  return std::make_unique<QuicSession>();
}

}  // namespace

std::string version_name(std::uint32_t version) {
  if (version == kVersion1) return "1";
  if (version == kVersion2) return "2";
  if ((version >> 8) == 0xff0000) return "draft-" + std::to_string(version & 0xff);
  if (is_google(version))
    return {static_cast<char>(version >> 24), static_cast<char>(version >> 16),
            static_cast<char>(version >> 8), static_cast<char>(version)};
  char hex[11];
  std::snprintf(hex, sizeof hex, "0x%08x", version);
  return hex;
}

std::optional<std::uint64_t> read_varint(core::ByteReader& r) {
  const auto first = r.peek_u8();
  if (!first) return std::nullopt;
  const std::size_t length = std::size_t{1} << (*first >> 6);  // the two top bits: 1, 2, 4, 8
  const auto bytes = r.bytes(length);
  if (!bytes) return std::nullopt;
  std::uint64_t v = 0;
  for (const std::uint8_t b : *bytes) v = (v << 8) | b;
  return v & ((~std::uint64_t{0}) >> (64 - (8 * length - 2)));
}

std::optional<PacketKeys> client_initial_keys(std::uint32_t version, core::Bytes dcid) {
  const Salt* salt = initial_salt(version);
  if (!salt) return std::nullopt;
  const auto initial = crypto::hkdf_extract_sha256(*salt, dcid);
  const auto secret = crypto::hkdf_expand_label_sha256(initial, "client in", 32);
  // RFC 9369 3.3.2: v2 renames the labels so v1 middleboxes cannot read it.
  const bool v2 = version == kVersion2;
  const auto key = crypto::hkdf_expand_label_sha256(secret, v2 ? "quicv2 key" : "quic key", 16);
  const auto iv = crypto::hkdf_expand_label_sha256(secret, v2 ? "quicv2 iv" : "quic iv", 12);
  const auto hp = crypto::hkdf_expand_label_sha256(secret, v2 ? "quicv2 hp" : "quic hp", 16);
  PacketKeys keys;
  if (key.size() != keys.key.size() || iv.size() != keys.iv.size() || hp.size() != keys.hp.size())
    return std::nullopt;
  std::copy(key.begin(), key.end(), keys.key.begin());
  std::copy(iv.begin(), iv.end(), keys.iv.begin());
  std::copy(hp.begin(), hp.end(), keys.hp.begin());
  return keys;
}

bool CryptoStream::add(std::uint64_t offset, core::Bytes data) {
  if (offset >= kMaxBytes) return data.empty();
  const auto start = static_cast<std::size_t>(offset);
  const std::size_t n = std::min(data.size(), kMaxBytes - start);
  if (start + n > data_.size()) {
    data_.resize(start + n);
    have_.resize(start + n, false);
  }
  std::copy_n(data.begin(), n, data_.begin() + static_cast<std::ptrdiff_t>(start));
  std::fill_n(have_.begin() + static_cast<std::ptrdiff_t>(start), n, true);
  while (contiguous_ < have_.size() && have_[contiguous_]) ++contiguous_;
  return n == data.size();
}

ClientFlight::Status ClientFlight::add_datagram(core::Bytes datagram, AppInfo& out) {
  const auto first = core::ByteReader(datagram).peek_u8();
  if (!first) return status();
  if (*first & kLongHeader)
    read_long_packets(datagram, out);
  else
    read_public_header(datagram, out);
  return status();
}

bool ClientFlight::message_is_tls() const {
  return carries_tls(version_);
}

void ClientFlight::read_public_header(core::Bytes datagram, AppInfo& out) {
  std::uint32_t version = 0;
  const auto frames = public_header_frames(datagram, version);
  if (!frames) return;
  use_version(version, out);
  overflowed_ |= !collect_stream1_frames(*frames, google_number(version) >= 39, crypto_);
}

// RFC 9000 12.2: one datagram may coalesce several long-header packets; a
// short-header packet, which has no length, can only come last.
void ClientFlight::read_long_packets(core::Bytes datagram, AppInfo& out) {
  core::Bytes rest = datagram;
  while (const auto first = core::ByteReader(rest).peek_u8()) {
    const auto version = core::ByteReader(rest.subspan(1)).be32();
    if (!(*first & kLongHeader) || !version || kind_of(*version) == Kind::Unknown) return;
    use_version(*version, out);
    if (kind_of(*version) == Kind::Grease) return;  // only the server's answer matters
    if (kind_of(*version) == Kind::GoogleQ046) {    // never coalesced: no Length field
      if (const auto frames = q046_frames(rest))
        overflowed_ |= !collect_stream1_frames(*frames, true, crypto_);
      return;
    }
    const auto packet = parse_long_packet(rest);
    if (!packet) return;
    if (packet->type == LongType::Initial) read_initial(*packet);
    rest = rest.subspan(packet->packet.size());
  }
}

// The client's version names the flow. A new one (after Version Negotiation,
// RFC 9000 section 6) starts the handshake over, with new keys.
void ClientFlight::use_version(std::uint32_t version, AppInfo& out) {
  if (version == version_) return;
  if (version_ != 0) {
    crypto_ = CryptoStream();
    keys_.reset();
    largest_pn_.reset();
    overflowed_ = false;
  }
  version_ = version;
  out.quic_version = version_name(version);
}

void ClientFlight::read_initial(const LongPacket& packet) {
  auto opened = open_initial(packet);
  if (!opened) return;
  largest_pn_ = std::max(largest_pn_.value_or(0), opened->packet_number);
  const Framing& framing = kind_of(packet.version) == Kind::Ietf ? kIetfFraming : kGoogleFraming;
  overflowed_ |= !collect_crypto_frames(opened->frames, framing, crypto_);
}

// RFC 9001 5.2: the keys come from the DCID of the client's first Initial and
// stay when the client later switches to the server's connection ID; only a
// Retry (RFC 9000 17.2.5) makes the client derive them from a new DCID.
std::optional<OpenedPacket> ClientFlight::open_initial(const LongPacket& packet) {
  if (keys_)
    if (auto opened = open_packet(packet, *keys_, largest_pn_)) return opened;
  const auto fresh = client_initial_keys(packet.version, packet.dcid);
  if (!fresh) return std::nullopt;
  auto opened = open_packet(packet, *fresh, largest_pn_);
  if (opened) keys_ = fresh;
  return opened;
}

ClientFlight::Status ClientFlight::status() {
  message_ = {};
  if (version_ == 0) return Status::Reading;
  const core::Bytes stream = crypto_.contiguous();
  const Message m = message_is_tls() ? tls_client_hello(stream) : google_chlo(stream);
  switch (m.status) {
    case Message::Status::Partial:
      return overflowed_ ? Status::Failed : Status::Reading;
    case Message::Status::Invalid:
      return Status::Failed;
    case Message::Status::Complete:
      message_ = m.bytes;
      return Status::Complete;
  }
  return Status::Failed;
}

}  // namespace quic

extern const Dissector kQuic{"QUIC", kUdp, {443}, false, quic::probe_quic, quic::make_quic_session};

}  // namespace wiretop::dpi
