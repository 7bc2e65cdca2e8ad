// PostgreSQL frontend/backend protocol (PostgreSQL documentation, "Message
// Formats"): identification only. The client's first message has no type
// byte: an Int32 length (itself included) and an Int32 code, the protocol
// version 3.0 (196608) of a StartupMessage followed by name/value pairs, or
// the special codes of SSLRequest, GSSENCRequest and CancelRequest. A server
// seen first answers with an Authentication message ('R').
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::uint32_t kProtocol3 = 196608;  // 3 << 16
constexpr std::uint32_t kSslRequest = 80877103, kGssEncRequest = 80877104;
constexpr std::uint32_t kCancelRequest = 80877102;
constexpr std::uint32_t kMaxStartup = 10000;  // the server's own limit (MAX_STARTUP_PACKET_LENGTH)
constexpr std::uint8_t kAuthentication = 'R';
constexpr std::uint32_t kSasl = 10, kMaxAuthType = 12;  // SASL, SASLContinue, SASLFinal
constexpr std::uint32_t kMaxAuthLength = 2048;

// The first parameter name of a StartupMessage ("user", "database", ...):
// lower-case letters or '_'.
bool starts_parameter(std::uint8_t byte) {
  return (byte >= 'a' && byte <= 'z') || byte == '_';
}

Match client_start(ByteReader r) {
  const auto length = r.be32();
  const auto code = r.be32();
  if (length && (*length < 8 || *length > kMaxStartup)) return Match::No;
  if (!code) return Match::Maybe;
  if (*code == kSslRequest || *code == kGssEncRequest) return *length == 8 ? Match::Yes : Match::No;
  if (*code == kCancelRequest) return *length == 16 ? Match::Yes : Match::No;
  if (*code != kProtocol3 || *length < 9 || *length > kMaxStartup) return Match::No;
  const auto first = r.u8();
  if (!first) return Match::Maybe;
  return starts_parameter(*first) ? Match::Yes : Match::No;
}

// The fixed length of each fixed-size authentication request; 0 for the
// unused numbers 1, 4, 6 (and anything unknown), SASL's are variable.
std::uint32_t auth_length(std::uint32_t type) {
  switch (type) {
    case 0: case 2: case 3: case 7: case 9: return 8;  // Ok, Kerberos, cleartext, GSS, SSPI
    case 5: return 12;                                  // MD5 and its 4-byte salt
    default: return 0;
  }
}

// Authentication (R): length 8 for Ok, cleartext, GSS and SSPI requests, 12
// for MD5 (salt), more for SASL; the type is a small number.
Match server_start(ByteReader r) {
  const auto type = r.u8();
  const auto length = r.be32();
  const auto auth = r.be32();
  if (type && *type != kAuthentication) return Match::No;
  if (length && (*length < 8 || *length > kMaxAuthLength)) return Match::No;
  if (!auth) return Match::Maybe;
  return *length == auth_length(*auth) || (*auth >= kSasl && *auth <= kMaxAuthType)
             ? Match::Yes : Match::No;
}

Match probe(const FlowInfo&, Direction dir, Bytes start) {
  return dir == Direction::ToServer ? client_start(ByteReader(start)) : server_start(ByteReader(start));
}

}  // namespace

extern const Dissector kPostgresql{"POSTGRESQL", kTcp, {5432}, false, probe, nullptr};

}  // namespace wiretop::dpi
