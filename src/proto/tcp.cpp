// TCP (RFC 9293): ports, sequence numbers, flags, window and the options
// the tracker and views use. A malformed option list ends option parsing,
// never the packet: the header fields before it are still good.

#include "proto/layers.h"

namespace wiretop::proto::detail {
namespace {

constexpr std::size_t kMinHeader = 20;

enum : std::uint8_t {
  kOptEnd = 0, kOptNop = 1, kOptMss = 2, kOptWindowScale = 3, kOptSackPermitted = 4,
  kOptSack = 5, kOptTimestamps = 8
};

void decode_options(core::ByteReader r, TcpOptions& o) {
  while (!r.empty()) {
    const std::uint8_t kind = *r.u8();
    if (kind == kOptEnd) return;
    if (kind == kOptNop) continue;
    const auto len = r.u8();
    if (!len || *len < 2) return;
    auto body = r.sub(*len - 2u);
    if (!body) return;
    switch (kind) {
      case kOptMss:
        if (*len == 4) o.mss = *body->be16();
        break;
      case kOptWindowScale:
        if (*len == 3) {
          o.window_scale = *body->u8();
          o.has_window_scale = true;
        }
        break;
      case kOptSackPermitted:
        o.sack_permitted = *len == 2;
        break;
      case kOptSack:
        o.sack_blocks = static_cast<std::uint8_t>((*len - 2) / 8);
        break;
      case kOptTimestamps:
        if (*len == 10) {
          o.has_timestamps = true;
          o.ts_val = *body->be32();
          o.ts_ecr = *body->be32();
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace

DecodeError decode_tcp(const TransportSpan& span, DecodedPacket& out) {
  core::ByteReader r(span.frame);
  if (!r.seek(span.offset) || r.remaining() < 4) return DecodeError::TruncatedTransport;
  // The ports alone place the packet in its connection (as tshark does), even
  // when the rest of the header is cut short (a tiny first fragment) or bogus.
  out.src_port = *r.be16();
  out.dst_port = *r.be16();
  out.has_ports = true;
  if (r.remaining() < kMinHeader - 4) {
    out.transport_error = DecodeError::TruncatedTransport;
    return DecodeError::None;
  }
  out.seq = *r.be32();
  out.ack = *r.be32();
  const std::uint8_t data_offset = *r.u8();
  out.tcp_flags = *r.u8();
  out.window = *r.be16();
  r.skip(4);  // checksum, urgent pointer
  const std::size_t header_length = static_cast<std::size_t>(data_offset >> 4) * 4;
  if (header_length < kMinHeader) {
    out.transport_error = DecodeError::BadTransportHeader;
    return DecodeError::None;
  }
  out.has_transport = true;
  // Options may be cut by the snap length: parse what was captured of them.
  const std::size_t option_bytes = header_length - kMinHeader;
  const std::size_t available = r.remaining() < option_bytes ? r.remaining() : option_bytes;
  decode_options(*r.sub(available), out.tcp_options);
  set_transport_payload(span, header_length, out);
  return DecodeError::None;
}

}  // namespace wiretop::proto::detail
