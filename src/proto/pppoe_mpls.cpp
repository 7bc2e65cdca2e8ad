// Encapsulations between the link and IP that access and carrier networks
// use: PPPoE sessions (RFC 2516) carrying PPP (RFC 1661), and MPLS label
// stacks (RFC 3032). Both lead to the IP packet the connection is about.

#include "proto/layers.h"

namespace wiretop::proto::detail {

DecodeError decode_pppoe_session(core::Bytes frame, std::size_t offset, DecodedPacket& out) {
  constexpr std::uint16_t kPppIpv4 = 0x0021, kPppIpv6 = 0x0057;
  core::ByteReader r(frame);
  if (!r.seek(offset) || !r.skip(6)) return DecodeError::TruncatedLink;  // ver/type, code, session, length
  const auto ppp_proto = r.be16();
  if (!ppp_proto) return DecodeError::TruncatedLink;
  switch (*ppp_proto) {
    case kPppIpv4: return decode_ipv4(frame, r.position(), out);
    case kPppIpv6: return decode_ipv6(frame, r.position(), out);
    default: return DecodeError::UnsupportedLink;  // LCP, IPCP, ...: control traffic
  }
}

DecodeError decode_mpls(core::Bytes frame, std::size_t offset, DecodedPacket& out) {
  core::ByteReader r(frame);
  if (!r.seek(offset)) return DecodeError::TruncatedLink;
  // Each label is 4 bytes; the bottom-of-stack bit ends the stack. The loop is
  // bounded by the frame because every iteration consumes 4 bytes.
  for (;;) {
    const auto entry = r.be32();
    if (!entry) return DecodeError::TruncatedLink;
    if (*entry & 0x100) break;
  }
  // No protocol field follows the stack: IP announces itself by its version nibble.
  return decode_ip_by_version(frame, r.position(), out);
}

}  // namespace wiretop::proto::detail
