// STUN (RFC 8489, was RFC 5389; classic RFC 3489) with the TURN methods of
// RFC 8656 and RFC 6062: the message types a flow carried (method and class,
// "BINDING_REQUEST") and the SOFTWARE attribute. Over UDP one message per
// datagram, interleaved with TURN ChannelData, DTLS and RTP (ICE, WebRTC),
// which are skipped. Over TCP the messages follow each other directly, or
// each behind a 2-byte length (RFC 4571 framing, as Microsoft Teams does).
#include <optional>
#include <string>
#include <vector>

#include "dpi/dissector.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::size_t kHeaderSize = 20;
constexpr std::uint32_t kMagicCookie = 0x2112a442;  // RFC 8489 5
constexpr std::uint16_t kSoftware = 0x8022;         // RFC 8489 14.14
constexpr std::uint16_t kStunPort = 3478;
// Largest STUN message buffered over TCP; bigger ones are skipped unread.
constexpr std::size_t kMaxMessage = 8192;

// Methods (IANA "STUN Methods"): RFC 8489, RFC 8656 (TURN), RFC 6062 (TURN TCP).
constexpr const char* kMethods[] = {
    "BINDING", "SHARED_SECRET", "ALLOCATE", "REFRESH", nullptr, "SEND", "DATA",
    "CREATE_PERMISSION", "CHANNEL_BIND", "CONNECT", "CONNECTION_BIND", "CONNECTION_ATTEMPT"};
constexpr const char* kClasses[] = {"REQUEST", "INDICATION", "SUCCESS_RESPONSE", "ERROR_RESPONSE"};

// The message type interleaves a 12-bit method and a 2-bit class (RFC 8489 5):
// M11..M7 C1 M6..M4 C0 M3..M0.
std::string type_name(std::uint16_t type) {
  const unsigned method = (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
  const unsigned klass = ((type >> 7) & 2) | ((type >> 4) & 1);
  const char* name = method >= 1 && method <= std::size(kMethods) ? kMethods[method - 1] : nullptr;
  const std::string method_text = name ? name : "METHOD_" + std::to_string(method);
  return method_text + "_" + kClasses[klass];
}

// Attributes (RFC 8489 14): type, length, value padded to 4 bytes. True when
// they fill `body` exactly. Calls on_attribute(type, value) for each.
template <typename OnAttribute>
bool for_each_attribute(ByteReader body, OnAttribute on_attribute) {
  while (!body.empty()) {
    const auto type = body.be16();
    const auto length = body.be16();
    if (!type || !length) return false;
    const auto value = body.bytes(*length);
    if (!value || !body.skip((4 - *length % 4) % 4)) return false;
    on_attribute(*type, *value);
  }
  return true;
}

bool attributes_well_formed(ByteReader body) {
  return for_each_attribute(body, [](std::uint16_t, Bytes) {});
}

// Classic STUN (RFC 3489 11.1) has no magic cookie: only its Binding and
// Shared Secret types (request, response, error response) on port 3478 count.
bool is_classic_type(std::uint16_t type) {
  switch (type) {
    case 0x0001: case 0x0101: case 0x0111: case 0x0002: case 0x0102: case 0x0112:
      return true;
    default:
      return false;
  }
}

// A whole STUN message: top two bits zero, length a multiple of 4 that ends
// exactly at the end of `message`, attributes well formed, and the magic
// cookie (or a classic type when `classic_ok`).
bool is_message(Bytes message, bool classic_ok) {
  ByteReader r(message);
  const auto type = r.be16();
  const auto length = r.be16();
  const auto cookie = r.be32();
  if (!type || !cookie || (*type & 0xc000) != 0 || *length % 4 != 0) return false;
  if (message.size() != kHeaderSize + *length) return false;
  if (*cookie != kMagicCookie && !(classic_ok && is_classic_type(*type))) return false;
  r.seek(kHeaderSize);
  return attributes_well_formed(r);
}

void read_message(Bytes message, AppInfo& out) {
  ByteReader r(message);
  add_distinct(out.stun_message_types, type_name(*r.be16()));
  r.seek(kHeaderSize);
  for_each_attribute(r, [&out](std::uint16_t type, Bytes value) {
    if (type == kSoftware && out.stun_software.empty() && !value.empty())
      out.stun_software = printable(value);
  });
}

bool on_stun_port(const FlowInfo& flow) {
  return flow.server_port == kStunPort || flow.client_port == kStunPort;
}

// How a TCP direction frames its messages, decided by the first one.
enum class Framing : std::uint8_t { Unknown, Direct, Rfc4571, Broken };

// The start of a TCP stream: a STUN header with the magic cookie right away
// or behind an RFC 4571 length that covers exactly that message. `partial`:
// too few bytes to tell.
Framing tcp_framing(Bytes start, bool& partial) {
  partial = false;
  ByteReader direct(start);
  const auto type = direct.be16();
  const auto length = direct.be16();
  const auto cookie = direct.be32();
  if (cookie && *cookie == kMagicCookie && (*type & 0xc000) == 0 && *length % 4 == 0)
    return Framing::Direct;
  ByteReader framed(start);
  const auto frame = framed.be16();
  const auto framed_type = framed.be16();
  const auto framed_length = framed.be16();
  const auto framed_cookie = framed.be32();
  if (!framed_cookie) {
    partial = true;
    return Framing::Unknown;
  }
  if (*framed_cookie == kMagicCookie && (*framed_type & 0xc000) == 0 &&
      *framed_length % 4 == 0 && *frame == kHeaderSize + *framed_length)
    return Framing::Rfc4571;
  return Framing::Broken;
}

// One TCP direction cut into frames: a STUN message or TURN ChannelData
// (RFC 8656 12.5: channel number 0x4000-0x7fff, length, data padded to 4
// over TCP), or with RFC 4571 a 2-byte length and whatever it frames. A
// frame is buffered whole up to kMaxMessage; bigger ones are skipped.
class TcpDirection {
 public:
  template <typename OnFrame>
  void feed(Bytes data, OnFrame on_frame) {
    ByteReader in(data);
    while (!in.empty() && framing_ != Framing::Broken) {
      if (skip_ > 0) {
        const std::size_t n = std::min(skip_, in.remaining());
        in.skip(n);
        skip_ -= n;
        continue;
      }
      if (framing_ == Framing::Unknown && !decide_framing(in)) return;
      const std::size_t want = frame_size().value_or(header_size());
      const std::size_t take = std::min(want - buffer_.size(), in.remaining());
      const Bytes part = *in.bytes(take);
      buffer_.insert(buffer_.end(), part.begin(), part.end());
      const auto size = frame_size();
      if (!size) continue;  // header still incomplete (or broken: the loop ends)
      if (*size > kMaxMessage) {
        skip_ = *size - buffer_.size();
        buffer_.clear();
      } else if (buffer_.size() == *size) {
        on_frame(payload());
        buffer_.clear();
      }
    }
  }

 private:
  // Buffers the direction's first bytes (at most 10, always the start of the
  // first frame, a STUN message of 20 bytes or more) until the framing is known.
  bool decide_framing(ByteReader& in) {
    const std::size_t take = std::min<std::size_t>(10 - buffer_.size(), in.remaining());
    const Bytes part = *in.bytes(take);
    buffer_.insert(buffer_.end(), part.begin(), part.end());
    bool partial = false;
    framing_ = tcp_framing(buffer_, partial);
    return framing_ == Framing::Direct || framing_ == Framing::Rfc4571;
  }

  std::size_t header_size() const { return framing_ == Framing::Rfc4571 ? 2 : 4; }

  // The whole frame's size once its header is buffered; Broken when the
  // bytes are neither STUN nor ChannelData.
  std::optional<std::size_t> frame_size() {
    const ByteReader r(buffer_);
    if (r.size() < header_size()) return std::nullopt;
    if (framing_ == Framing::Rfc4571) return 2 + std::size_t{*r.peek_be16(0)};
    const std::uint8_t top = *r.peek_u8(0) >> 6;
    const std::size_t length = *r.peek_be16(2);
    if (top == 0) return kHeaderSize + length;
    if (top == 1) return 4 + (length + 3) / 4 * 4;
    framing_ = Framing::Broken;
    return std::nullopt;
  }

  Bytes payload() const {
    const Bytes all(buffer_);
    return framing_ == Framing::Rfc4571 ? all.subspan(2) : all;
  }

  Framing framing_ = Framing::Unknown;
  std::vector<std::uint8_t> buffer_;
  std::size_t skip_ = 0;
};

class StunSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    AppInfo& out = ctx.out;
    if (ctx.flow.transport == Transport::Udp) {
      if (is_message(data, on_stun_port(ctx.flow))) read_message(data, out);
      return Progress::More;
    }
    tcp_[static_cast<int>(ctx.dir)].feed(data, [&out](Bytes frame) {
      if (is_message(frame, false)) read_message(frame, out);
    });
    return Progress::More;
  }

 private:
  TcpDirection tcp_[2];
};

// UDP: a whole message (classic ones only on port 3478). TCP: the first
// message's header, direct or RFC 4571-framed.
Match probe(const FlowInfo& flow, Direction, Bytes start) {
  if (flow.transport == Transport::Udp)
    return is_message(start, on_stun_port(flow)) ? Match::Yes : Match::No;
  bool partial = false;
  const Framing framing = tcp_framing(start, partial);
  if (partial) return Match::Maybe;
  return framing == Framing::Direct || framing == Framing::Rfc4571 ? Match::Yes : Match::No;
}

std::unique_ptr<Session> make_session() { return std::make_unique<StunSession>(); }

}  // namespace

extern const Dissector kStun{"STUN", kTcpUdp, {3478, 3479}, false, probe, make_session};

}  // namespace wiretop::dpi
