// ICMP (RFC 792) and ICMPv6 (RFC 4443): type and code, echo identifier and
// sequence, and for error messages the header of the packet they quote.

#include "proto/layers.h"

namespace wiretop::proto::detail {
namespace {

constexpr std::size_t kHeader = 8;  // type, code, checksum, 4 bytes of rest-of-header

// The quoted packet: an IP header and at least the first 8 bytes of its payload
// (RFC 792; RFC 4443 section 2.4(c) quotes as much as fits). Ports when TCP/UDP.
void decode_quoted(core::ByteReader r, bool v6, QuotedHeader& q) {
  DecodedPacket inner;
  // Marks `inner` as a quote, so an error quoting an error stops here: one
  // level is all the tracker uses, and each level costs the sender only 28
  // bytes, so recursing per level would let one frame nest thousands deep.
  inner.quoted.present = true;
  const core::Bytes bytes = r.rest();
  // Quoted packets are cut short by design: the error code is ignored and
  // whatever decoded (addresses, and ports when they fit) is kept.
  if (v6) {
    decode_ipv6(bytes, 0, inner);
  } else {
    decode_ipv4(bytes, 0, inner);
  }
  if (inner.src.empty()) return;
  q.present = true;
  q.src = inner.src;
  q.dst = inner.dst;
  q.ip_proto = inner.ip_proto;
  q.has_ports = inner.has_ports;
  q.src_port = inner.src_port;
  q.dst_port = inner.dst_port;
}

bool is_v4_error(std::uint8_t type) {
  return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}
bool is_v6_error(std::uint8_t type) { return type >= 1 && type <= 4; }

DecodeError decode_icmp_common(const TransportSpan& span, bool v6, DecodedPacket& out) {
  core::ByteReader r(span.frame);
  if (!r.seek(span.offset) || r.remaining() < 4) return DecodeError::TruncatedTransport;
  out.icmp_type = *r.u8();
  out.icmp_code = *r.u8();
  r.skip(2);  // checksum
  out.has_transport = true;
  const std::uint8_t echo_request = v6 ? 128 : 8, echo_reply = v6 ? 129 : 0;
  if (out.icmp_type == echo_request || out.icmp_type == echo_reply) {
    const auto id = r.be16();
    const auto seq = r.be16();
    if (!id || !seq) return DecodeError::TruncatedTransport;
    out.icmp_is_echo = true;
    out.icmp_id = *id;
    out.icmp_seq = *seq;
  } else if (v6 ? is_v6_error(out.icmp_type) : is_v4_error(out.icmp_type)) {
    out.icmp_is_error = true;
    if (!out.quoted.present && r.skip(4)) decode_quoted(r, v6, out.quoted);
  } else if (v6 && (out.icmp_type == 135 || out.icmp_type == 136)) {
    decode_ndp(core::ByteReader(r.rest()), out.icmp_type, out);
  }
  set_transport_payload(span, kHeader, out);
  return DecodeError::None;
}

}  // namespace

DecodeError decode_icmpv4(const TransportSpan& span, DecodedPacket& out) {
  return decode_icmp_common(span, false, out);
}

DecodeError decode_icmpv6(const TransportSpan& span, DecodedPacket& out) {
  return decode_icmp_common(span, true, out);
}

}  // namespace wiretop::proto::detail
