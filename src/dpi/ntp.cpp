// NTP (RFC 5905; versions 1-3 share the header: RFC 1059, 1119, 1305): the
// version and mode of the first packet and a stratum. Modes 1-5 carry the
// 48-byte time header (RFC 5905 7.3); modes 6 (control, RFC 1305 appendix B /
// RFC 9327) and 7 (ntpd's private mode) have their own short headers.
#include <optional>

#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::size_t kHeaderSize = 48;
constexpr std::size_t kControlHeaderSize = 12;  // mode 6
constexpr std::size_t kMaxDatagram = 1500;      // extension fields and MAC stay well below
constexpr std::uint8_t kModeServer = 4, kModeBroadcast = 5, kModeControl = 6, kModePrivate = 7;
constexpr std::uint8_t kMaxStratum = 16;  // 16 = unsynchronized; 17-255 reserved (RFC 5905 7.3)
constexpr std::int8_t kMinPoll = -8, kMaxPoll = 17;  // log2 seconds; RFC 5905 7.2 uses 4..17
// log2 seconds: clocks are at best nanosecond-precise (-30) and SNTP clients send 0.
constexpr std::int8_t kMinPrecision = -32, kMaxPrecision = 0;
constexpr std::uint16_t kNtpPort = 123;

struct Header {
  int version = 0, mode = 0, stratum = -1;  // stratum -1: modes 6/7 have none
};

// Mode 6: R/E/M bits and an opcode, sequence, status, association id, offset
// and a count of data bytes that must fit the datagram.
bool is_control(ByteReader r) {
  const auto count = r.peek_be16(10);
  return r.size() >= kControlHeaderSize && count && kControlHeaderSize + *count <= r.size();
}

// Mode 7: response/more bits and sequence, then an implementation number
// (0 universal, 2 xntpd-old, 3 xntpd) and a request code.
bool is_private(ByteReader r) {
  const auto implementation = r.peek_u8(2);
  return r.size() >= 8 && implementation && (*implementation == 0 || *implementation == 2 ||
                                             *implementation == 3);
}

// Time packets (modes 1-5): 48 bytes, then optional extension fields and a
// MAC, all whole 32-bit words (RFC 5905 7.5); stratum and poll in range.
bool is_time_packet(ByteReader r) {
  if (r.size() < kHeaderSize || (r.size() - kHeaderSize) % 4 != 0) return false;
  const auto stratum = *r.peek_u8(1);
  const auto poll = static_cast<std::int8_t>(*r.peek_u8(2));
  const auto precision = static_cast<std::int8_t>(*r.peek_u8(3));
  return stratum <= kMaxStratum && poll >= kMinPoll && poll <= kMaxPoll &&
         precision >= kMinPrecision && precision <= kMaxPrecision;
}

// Modes 6 and 7 have too few fixed bits to tell them from random bytes, so
// they count only on port 123 (the one exception to probing by content).
std::optional<Header> read_header(const FlowInfo& flow, Bytes datagram) {
  const ByteReader r(datagram);
  const auto first = r.peek_u8(0);
  if (!first || datagram.size() > kMaxDatagram) return std::nullopt;
  Header h;
  h.version = (*first >> 3) & 7;
  h.mode = *first & 7;
  if (h.version < 1 || h.version > 4 || h.mode == 0) return std::nullopt;
  const bool ntp_port = flow.server_port == kNtpPort || flow.client_port == kNtpPort;
  if (h.mode >= kModeControl && !ntp_port) return std::nullopt;
  if (h.mode == kModeControl) return is_control(r) ? std::optional(h) : std::nullopt;
  if (h.mode == kModePrivate) return is_private(r) ? std::optional(h) : std::nullopt;
  if (!is_time_packet(r)) return std::nullopt;
  h.stratum = *r.peek_u8(1);
  return h;
}

// Version and mode come from the first packet (normally the client's). The
// stratum is the first one seen, replaced once by the first server or
// broadcast packet's: a client's own stratum says little (SNTP clients send
// 0), the server's is how far the flow is from a reference clock.
class NtpSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    const auto h = read_header(ctx.flow, data);
    if (!h) return Progress::More;
    AppInfo& out = ctx.out;
    if (out.ntp_version < 0) {
      out.ntp_version = h->version;
      out.ntp_mode = h->mode;
    }
    const bool from_server = h->mode == kModeServer || h->mode == kModeBroadcast;
    if (h->stratum >= 0 && (out.ntp_stratum < 0 || (from_server && !server_stratum_))) {
      out.ntp_stratum = h->stratum;
      server_stratum_ = from_server;
    }
    return server_stratum_ ? Progress::Done : Progress::More;
  }

 private:
  bool server_stratum_ = false;
};

Match probe(const FlowInfo& flow, Direction, Bytes start) {
  return read_header(flow, start) ? Match::Yes : Match::No;
}

std::unique_ptr<Session> make_session() { return std::make_unique<NtpSession>(); }

}  // namespace

extern const Dissector kNtp{"NTP", kUdp, {123}, false, probe, make_session};

}  // namespace wiretop::dpi
