// Ethernet II (DIX) with 802.1Q and 802.1ad (QinQ) tags.

#include "proto/layers.h"

namespace wiretop::proto::detail {
namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kVlanTag = 4;
// Below this a type field is an IEEE 802.3 length (IEEE 802.3 clause 3.2.6):
// LLC/SNAP frames (STP, CDP, ...) that carry no IP we track.
constexpr std::uint16_t kMinEtherType = 0x0600;

bool is_vlan_tpid(std::uint16_t type) {
  // 0x8100 802.1Q, 0x88A8 802.1ad S-tag, 0x9100 the pre-standard QinQ S-tag
  // some switches still send.
  return type == 0x8100 || type == 0x88A8 || type == 0x9100;
}

void copy_mac(core::Bytes six, std::array<std::uint8_t, 6>& mac) {
  for (std::size_t i = 0; i < mac.size(); ++i) mac[i] = six[i];
}

}  // namespace

DecodeError decode_ethernet(core::Bytes frame, DecodedPacket& out) {
  core::ByteReader r(frame);
  auto dst = r.bytes(6);
  auto src = r.bytes(6);
  auto type = r.be16();
  if (!dst || !src || !type) return DecodeError::TruncatedLink;
  copy_mac(*dst, out.dst_mac);
  copy_mac(*src, out.src_mac);
  out.has_macs = true;
  return decode_vlan_tagged(*type, frame, kEthernetHeader, out);
}

DecodeError decode_vlan_tagged(std::uint16_t type, core::Bytes frame, std::size_t offset,
                               DecodedPacket& out) {
  core::ByteReader r(frame);
  if (!r.seek(offset)) return DecodeError::TruncatedLink;
  while (is_vlan_tpid(type)) {
    auto tci = r.be16();
    auto inner = r.be16();
    if (!inner) return DecodeError::TruncatedLink;
    if (!out.has_vlan) {
      out.has_vlan = true;
      out.vlan = static_cast<std::uint16_t>(*tci & 0x0FFF);
    }
    if (out.vlan_depth < 0xFF) ++out.vlan_depth;
    type = *inner;
    offset += kVlanTag;
  }
  if (type < kMinEtherType) return DecodeError::UnsupportedLink;
  return decode_ethertype(type, frame, offset, out);
}

}  // namespace wiretop::proto::detail
