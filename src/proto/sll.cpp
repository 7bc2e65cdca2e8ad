// Linux "cooked" capture headers, what `tcpdump -i any` records: SLL v1
// (DLT_LINUX_SLL) and SLL2 (DLT_LINUX_SLL2). Both carry the EtherType of what
// follows; neither carries the destination MAC, so has_macs stays false.

#include "proto/layers.h"

namespace wiretop::proto::detail {
namespace {

// https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html: packet type,
// ARPHRD type, address length, 8 address bytes, protocol.
constexpr std::size_t kSllHeader = 16;
constexpr std::size_t kSllProtocolAt = 14;
// https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html: protocol first,
// then reserved, ifindex, ARPHRD type, packet type, address length, 8 address bytes.
constexpr std::size_t kSll2Header = 20;

}  // namespace

DecodeError decode_sll(core::Bytes frame, DecodedPacket& out) {
  core::ByteReader r(frame);
  if (r.remaining() < kSllHeader) return DecodeError::TruncatedLink;
  r.skip(kSllProtocolAt);
  const auto protocol = r.be16();
  return decode_vlan_tagged(*protocol, frame, kSllHeader, out);
}

DecodeError decode_sll2(core::Bytes frame, DecodedPacket& out) {
  core::ByteReader r(frame);
  if (r.remaining() < kSll2Header) return DecodeError::TruncatedLink;
  const auto protocol = r.be16();
  return decode_vlan_tagged(*protocol, frame, kSll2Header, out);
}

}  // namespace wiretop::proto::detail
