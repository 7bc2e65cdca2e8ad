// MySQL / MariaDB client/server protocol (MySQL source documentation,
// "Protocol::HandshakeV10"): identification only. The server speaks first: a
// packet of 3-byte little-endian length and sequence id 0, protocol version
// 10, the server version as a NUL-terminated string ("8.0.36",
// "5.5.5-10.11.6-MariaDB"), a 4-byte connection id, 8 bytes of
// auth-plugin-data and a zero filler.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::uint8_t kProtocolVersion = 10;
// protocol, a short version string, connection id, auth data, filler (the
// length is under 256: the middle and high bytes are 0)
constexpr std::uint32_t kMinGreeting = 1 + 2 + 4 + 8 + 1;
constexpr std::size_t kMaxVersion = 64;

// The version string: starts with a digit, printable, NUL-terminated.
Match version_string(ByteReader& r) {
  for (std::size_t i = 0; i <= kMaxVersion; ++i) {
    const auto ch = r.u8();
    if (!ch) return Match::Maybe;
    if (*ch == 0) return i > 0 ? Match::Yes : Match::No;
    if ((i == 0 && (*ch < '0' || *ch > '9')) || *ch < 0x20 || *ch >= 0x7f) return Match::No;
  }
  return Match::No;
}

Match probe(const FlowInfo&, Direction dir, Bytes start) {
  if (dir != Direction::ToClient) return Match::No;
  ByteReader r(start);
  const auto length = r.peek_u8(0);  // little-endian: the low byte first
  const auto length_middle = r.peek_u8(1);
  const auto length_high = r.peek_u8(2);
  const auto sequence = r.peek_u8(3);
  const auto protocol = r.peek_u8(4);
  if (length_high && (*length_high != 0 || *length_middle != 0 || *length < kMinGreeting))
    return Match::No;
  if ((sequence && *sequence != 0) || (protocol && *protocol != kProtocolVersion)) return Match::No;
  if (!protocol) return Match::Maybe;
  r.skip(5);
  const Match version = version_string(r);
  if (version != Match::Yes) return version;
  // connection id, auth-plugin-data-part-1, filler (must be 0)
  if (!r.skip(4 + 8)) return Match::Maybe;
  const auto filler = r.u8();
  if (!filler) return Match::Maybe;
  return *filler == 0 ? Match::Yes : Match::No;
}

}  // namespace

extern const Dissector kMysql{"MYSQL", kTcp, {3306}, false, probe, nullptr};

}  // namespace wiretop::dpi
