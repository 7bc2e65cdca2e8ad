#pragma once
// What the link/network/transport decoders learn about one captured frame.
// Offsets point into the caller's buffer; nothing is copied.

#include <array>
#include <cstdint>
#include <string_view>

#include "core/byte_reader.h"
#include "core/ip_address.h"

namespace wiretop::proto {

// Link layers we decode; engine/ maps pcap DLT numbers to these.
enum class LinkType : std::uint8_t {
  Ethernet,   // DLT_EN10MB
  LinuxSll,   // DLT_LINUX_SLL ("cooked" v1, `-i any` on older libpcap)
  LinuxSll2,  // DLT_LINUX_SLL2
  Raw,        // DLT_RAW / LINKTYPE_RAW: first nibble says IPv4 or IPv6
  Ipv4,       // LINKTYPE_IPV4
  Ipv6,       // LINKTYPE_IPV6
  Null,       // DLT_NULL: 4-byte host-order address family
  Loop,       // DLT_LOOP: 4-byte network-order address family
};

// Why a frame yielded no flow. Counted per reason in the summary.
enum class DecodeError : std::uint8_t {
  None = 0,
  TruncatedLink,     // shorter than its link header
  UnsupportedLink,   // unknown EtherType / family (not an error, just not IP/ARP)
  TruncatedIp,       // shorter than the IP header it announces
  BadIpHeader,       // version mismatch, IHL < 5, total length < header, ...
  BadIpv6Extension,  // an extension header runs past the packet
  TruncatedTransport,// TCP/UDP/ICMP header cut by the snap length or the IP length
  BadTransportHeader,// e.g. TCP data offset < 5
  kCount
};
std::string_view decode_error_name(DecodeError e);

enum class L3 : std::uint8_t { None, Ipv4, Ipv6, Arp };

namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                              kUrg = 0x20, kEce = 0x40, kCwr = 0x80;
}

struct TcpOptions {
  std::uint16_t mss = 0;          // 0 = absent
  std::uint8_t window_scale = 0;  // valid when has_window_scale
  bool has_window_scale = false;
  bool sack_permitted = false;
  bool has_timestamps = false;
  std::uint8_t sack_blocks = 0;   // number of SACK blocks present
  std::uint32_t ts_val = 0;
  std::uint32_t ts_ecr = 0;
};

// The header an ICMP/ICMPv6 error message quotes (RFC 792, RFC 4443 2.4(c)).
struct QuotedHeader {
  bool present = false;
  core::IpAddress src, dst;
  std::uint8_t ip_proto = 0;
  bool has_ports = false;
  std::uint16_t src_port = 0, dst_port = 0;
};

struct DecodedPacket {
  // Link.
  L3 l3 = L3::None;
  bool has_vlan = false;
  std::uint16_t vlan = 0;  // outermost 802.1Q/802.1ad VLAN id (12 bits)
  std::uint8_t vlan_depth = 0;
  bool has_macs = false;
  std::array<std::uint8_t, 6> src_mac{}, dst_mac{};

  // Network (IPv4/IPv6).
  core::IpAddress src, dst;
  std::uint8_t ip_proto = 0;      // final next-header after IPv6 extension headers
  std::uint8_t ttl = 0;           // TTL or hop limit
  std::uint32_t ip_length = 0;    // IP header(s) + payload as the IP header says (not caplen)
  std::uint32_t l3_offset = 0;    // offset of the IP header in the frame

  // Fragmentation (IPv4 flags/offset, IPv6 fragment header).
  bool is_fragment = false;       // part of a fragmented datagram
  bool first_fragment = false;    // offset 0 (carries the transport header)
  std::uint32_t frag_id = 0;      // IPv4 identification or IPv6 fragment id

  // Transport. has_ports is true for TCP and UDP (and UDP-Lite/SCTP/DCCP when decoded).
  bool has_transport = false;     // the transport header was decoded
  bool has_ports = false;         // at least the ports were (has_transport may still be false)
  // Why a transport header with ports was only partly decoded (cut short, bogus
  // length): the packet still counts for its connection, and this is counted too.
  DecodeError transport_error = DecodeError::None;
  std::uint16_t src_port = 0, dst_port = 0;

  // TCP.
  std::uint8_t tcp_flags = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint16_t window = 0;
  TcpOptions tcp_options;

  // ICMP / ICMPv6.
  std::uint8_t icmp_type = 0, icmp_code = 0;
  bool icmp_is_echo = false;      // echo request or reply (v4 8/0, v6 128/129)
  bool icmp_is_error = false;     // destination unreachable, time exceeded, ...
  std::uint16_t icmp_id = 0, icmp_seq = 0;
  QuotedHeader quoted;            // for errors

  // ARP / NDP: an (IP, MAC) binding the sender announced.
  bool has_neighbor = false;
  core::IpAddress neighbor_ip;
  std::array<std::uint8_t, 6> neighbor_mac{};

  // Transport payload, bounded by both the captured bytes and the IP length.
  // Without a decoded transport header (non-first fragments, tunnels, other
  // protocols) it is the IP payload. frame.subspan(payload_offset,
  // payload_length) is always inside the frame.
  std::uint32_t payload_offset = 0;
  std::uint32_t payload_length = 0;   // bytes actually present in the capture
  std::uint32_t payload_wire_length = 0;  // bytes the IP length says (may exceed payload_length)
};

// Decodes one frame. Returns DecodeError::None when an IP (or ARP) packet was
// found; `out` is reset first. Never reads outside `frame`.
DecodeError decode_packet(LinkType link, core::Bytes frame, DecodedPacket& out);

}  // namespace wiretop::proto
