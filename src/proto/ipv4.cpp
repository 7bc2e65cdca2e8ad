// IPv4 (RFC 791). Options are skipped, not interpreted: nothing downstream
// needs them, and their length is all that matters for finding the payload.

#include "proto/layers.h"

namespace wiretop::proto::detail {
namespace {

constexpr std::size_t kMinHeader = 20;
constexpr std::uint16_t kMoreFragments = 0x2000;
constexpr std::uint16_t kOffsetMask = 0x1FFF;

}  // namespace

DecodeError decode_ipv4(core::Bytes frame, std::size_t offset, DecodedPacket& out) {
  core::ByteReader r(frame);
  if (!r.seek(offset)) return DecodeError::TruncatedIp;
  const std::size_t captured = r.remaining();
  const auto version_ihl = r.u8();
  if (!version_ihl) return DecodeError::TruncatedIp;
  if ((*version_ihl >> 4) != 4) return DecodeError::BadIpHeader;
  const std::size_t header_length = std::size_t{*version_ihl & 0x0Fu} * 4;
  if (header_length < kMinHeader) return DecodeError::BadIpHeader;
  if (captured < kMinHeader) return DecodeError::TruncatedIp;

  r.skip(1);  // DSCP/ECN
  std::uint32_t total_length = *r.be16();
  const std::uint16_t id = *r.be16();
  const std::uint16_t flags_offset = *r.be16();
  out.ttl = *r.u8();
  out.ip_proto = *r.u8();
  r.skip(2);  // header checksum: NICs offload it, so captures are full of "bad" ones
  out.src = core::IpAddress::v4_bytes(*r.bytes(4));
  out.dst = core::IpAddress::v4_bytes(*r.bytes(4));
  out.l3 = L3::Ipv4;
  out.l3_offset = static_cast<std::uint32_t>(offset);

  // A zero total length is what TCP segmentation offload leaves in locally
  // sent packets; like Wireshark, take the captured length instead.
  if (total_length == 0) total_length = static_cast<std::uint32_t>(captured);
  out.ip_length = total_length;
  if (total_length < header_length) return DecodeError::BadIpHeader;
  if (captured < header_length) return DecodeError::TruncatedIp;

  const std::uint16_t frag_offset = flags_offset & kOffsetMask;
  out.is_fragment = (flags_offset & kMoreFragments) != 0 || frag_offset != 0;
  out.first_fragment = out.is_fragment && frag_offset == 0;
  out.frag_id = id;

  // Bytes past the total length are Ethernet padding; bytes past the capture
  // were cut by the snap length. The payload ends at whichever comes first.
  const std::size_t end = offset + (captured < total_length ? captured : total_length);
  const TransportSpan span{frame.first(end), offset + header_length,
                           total_length - static_cast<std::uint32_t>(header_length)};
  if (frag_offset != 0) {
    // Only the first fragment carries the transport header.
    set_ip_payload(span, out);
    return DecodeError::None;
  }
  return decode_transport(span, out);
}

}  // namespace wiretop::proto::detail
