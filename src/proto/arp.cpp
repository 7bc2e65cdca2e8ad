// ARP (RFC 826) and IPv6 neighbour discovery (RFC 4861): the (IP, MAC)
// bindings on-link peers announce, so views can show their MAC and vendor.

#include "proto/layers.h"

namespace wiretop::proto::detail {

DecodeError decode_arp(core::Bytes frame, std::size_t offset, DecodedPacket& out) {
  core::ByteReader r(frame);
  if (!r.seek(offset)) return DecodeError::TruncatedIp;
  const auto htype = r.be16(), ptype = r.be16();
  const auto hlen = r.u8(), plen = r.u8();
  const auto op = r.be16();
  if (!htype || !ptype || !hlen || !plen || !op) return DecodeError::TruncatedIp;
  out.l3 = L3::Arp;
  out.l3_offset = static_cast<std::uint32_t>(offset);
  // Only Ethernet/IPv4 ARP carries a binding we can use.
  if (*htype != 1 || *ptype != kEtherTypeIpv4 || *hlen != 6 || *plen != 4) return DecodeError::None;
  const auto sha = r.bytes(6), spa = r.bytes(4);
  if (!sha || !spa) return DecodeError::TruncatedIp;
  const auto ip = core::IpAddress::v4_bytes(*spa);
  if (ip.is_unspecified()) return DecodeError::None;  // ARP probe (RFC 5227): no binding yet
  out.has_neighbor = true;
  out.neighbor_ip = ip;
  for (std::size_t i = 0; i < 6; ++i) out.neighbor_mac[i] = (*sha)[i];
  return DecodeError::None;
}

void decode_ndp(core::ByteReader body, std::uint8_t type, DecodedPacket& out) {
  // Solicitation: 4 reserved + target; advertisement: 4 flags + target.
  if (!body.skip(4)) return;
  const auto target = body.bytes(16);
  if (!target) return;
  // Options (RFC 4861 section 4.6): type, length in units of 8 bytes.
  constexpr std::uint8_t kSourceLinkLayer = 1, kTargetLinkLayer = 2;
  while (body.remaining() >= 2) {
    const std::uint8_t opt = *body.u8();
    const std::uint8_t units = *body.u8();
    if (units == 0) return;  // a zero length would loop forever: RFC 4861 says drop
    auto value = body.sub(std::size_t{units} * 8 - 2);
    if (!value) return;
    const bool solicit_source = type == 135 && opt == kSourceLinkLayer;
    const bool advert_target = type == 136 && opt == kTargetLinkLayer;
    if ((solicit_source || advert_target) && value->remaining() >= 6) {
      const auto mac = *value->bytes(6);
      // A solicitation binds the sender's address, an advertisement the target's.
      out.neighbor_ip = solicit_source ? out.src : core::IpAddress::v6_bytes(*target);
      if (solicit_source && out.src.is_unspecified()) return;  // DAD probe
      out.has_neighbor = true;
      for (std::size_t i = 0; i < 6; ++i) out.neighbor_mac[i] = mac[i];
      return;
    }
  }
}

}  // namespace wiretop::proto::detail
