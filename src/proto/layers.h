#pragma once
// How the per-protocol decoders hand a frame to each other. Internal to proto/:
// callers outside use decode_packet() only.
//
// Every decoder takes the whole frame plus the offset where its header starts,
// so the offsets it records in DecodedPacket are frame offsets.

#include <cstddef>
#include <cstdint>

#include "core/byte_reader.h"
#include "proto/decoded_packet.h"

namespace wiretop::proto::detail {

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr std::uint16_t kEtherTypeArp = 0x0806;
inline constexpr std::uint16_t kEtherTypeIpv6 = 0x86DD;
inline constexpr std::uint16_t kEtherTypePppoeSession = 0x8864;
inline constexpr std::uint16_t kEtherTypeMpls = 0x8847;
inline constexpr std::uint16_t kEtherTypeMplsMulticast = 0x8848;

inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoIcmpv6 = 58;

// The bytes one transport header and its payload may occupy.
struct TransportSpan {
  // The frame cut at min(captured, IP length): bytes past it are padding or
  // the snap length, never this packet's payload.
  core::Bytes frame;
  std::size_t offset = 0;          // first byte of the transport header
  std::uint32_t wire_length = 0;   // header + payload as the IP header claims
};

// Link layers.
DecodeError decode_ethernet(core::Bytes frame, DecodedPacket& out);
DecodeError decode_sll(core::Bytes frame, DecodedPacket& out);
DecodeError decode_sll2(core::Bytes frame, DecodedPacket& out);
DecodeError decode_null(core::Bytes frame, bool big_endian, DecodedPacket& out);

// Strips 802.1Q/802.1ad tags that start at `offset` (`type` is the EtherType in
// front of them), then hands the rest to decode_ethertype.
DecodeError decode_vlan_tagged(std::uint16_t type, core::Bytes frame, std::size_t offset,
                               DecodedPacket& out);

// Network layers.
DecodeError decode_ethertype(std::uint16_t type, core::Bytes frame, std::size_t offset,
                             DecodedPacket& out);
DecodeError decode_ip_by_version(core::Bytes frame, std::size_t offset, DecodedPacket& out);
DecodeError decode_ipv4(core::Bytes frame, std::size_t offset, DecodedPacket& out);
DecodeError decode_ipv6(core::Bytes frame, std::size_t offset, DecodedPacket& out);
DecodeError decode_arp(core::Bytes frame, std::size_t offset, DecodedPacket& out);
DecodeError decode_pppoe_session(core::Bytes frame, std::size_t offset, DecodedPacket& out);
DecodeError decode_mpls(core::Bytes frame, std::size_t offset, DecodedPacket& out);

// Transport layers: `out.ip_proto` says which one decode_transport picks.
DecodeError decode_transport(const TransportSpan& span, DecodedPacket& out);
DecodeError decode_tcp(const TransportSpan& span, DecodedPacket& out);
DecodeError decode_udp(const TransportSpan& span, DecodedPacket& out);
DecodeError decode_icmpv4(const TransportSpan& span, DecodedPacket& out);
DecodeError decode_icmpv6(const TransportSpan& span, DecodedPacket& out);

// NDP neighbor solicitation/advertisement body (ICMPv6 135/136), after the
// 4-byte ICMPv6 header: records the binding its link-layer address option gives.
void decode_ndp(core::ByteReader body, std::uint8_t type, DecodedPacket& out);

// What an IPv6 extension header chain leads to (RFC 8200 section 4).
struct Ipv6Chain {
  bool ok = false;                 // false: a header runs past the bytes given
  std::uint8_t final_header = 0;   // the upper-layer protocol (59 = no next header)
  std::size_t end = 0;             // offset of the upper-layer header
  bool is_fragment = false;        // a fragment header that really fragments (not atomic)
  bool first_fragment = false;
  std::uint32_t frag_id = 0;
  bool has_jumbo = false;          // hop-by-hop jumbo payload option (RFC 2675)
  std::uint32_t jumbo_length = 0;
};
// Walks the chain starting at r's position with `next_header` from the fixed header.
// Stops at a non-first fragment: what follows it is not a header.
Ipv6Chain walk_ipv6_extensions(core::ByteReader r, std::uint8_t next_header);

// Records the IP payload as the packet's payload when no transport header was
// decoded (fragments, tunnels, unknown protocols): its bytes still count.
inline void set_ip_payload(const TransportSpan& span, DecodedPacket& out) {
  out.payload_offset =
      static_cast<std::uint32_t>(span.offset < span.frame.size() ? span.offset : span.frame.size());
  out.payload_length =
      span.frame.size() > span.offset ? static_cast<std::uint32_t>(span.frame.size() - span.offset)
                                      : 0;
  out.payload_wire_length = span.wire_length;
}

// Records the payload after a transport header of `header_length` bytes.
inline void set_transport_payload(const TransportSpan& span, std::size_t header_length,
                                  DecodedPacket& out) {
  const std::size_t start = span.offset + header_length;
  // A header cut by the snap length leaves an empty payload at the frame's end.
  out.payload_offset = static_cast<std::uint32_t>(start < span.frame.size() ? start : span.frame.size());
  out.payload_length =
      span.frame.size() > start ? static_cast<std::uint32_t>(span.frame.size() - start) : 0;
  out.payload_wire_length =
      span.wire_length > header_length ? span.wire_length - static_cast<std::uint32_t>(header_length)
                                       : 0;
}

}  // namespace wiretop::proto::detail
