// UDP (RFC 768). The length field is not trusted over the IP length: the IP
// header bounds the datagram, as it does for every transport.

#include "proto/layers.h"

namespace wiretop::proto::detail {

DecodeError decode_udp(const TransportSpan& span, DecodedPacket& out) {
  constexpr std::size_t kHeader = 8;
  core::ByteReader r(span.frame);
  if (!r.seek(span.offset) || r.remaining() < 4) return DecodeError::TruncatedTransport;
  out.src_port = *r.be16();
  out.dst_port = *r.be16();
  out.has_ports = true;  // see decode_tcp: the ports place the packet
  if (r.remaining() < kHeader - 4) {
    out.transport_error = DecodeError::TruncatedTransport;
    return DecodeError::None;
  }
  out.has_transport = true;
  set_transport_payload(span, kHeader, out);
  return DecodeError::None;
}

}  // namespace wiretop::proto::detail
