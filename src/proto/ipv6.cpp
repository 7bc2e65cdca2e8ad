// IPv6 (RFC 8200) and its extension header chain, so that ip_proto is the
// upper-layer protocol even behind hop-by-hop, routing, fragment, destination
// options and AH headers.

#include "proto/layers.h"

namespace wiretop::proto::detail {
namespace {

constexpr std::size_t kFixedHeader = 40;

constexpr std::uint8_t kHopByHop = 0, kRouting = 43, kFragment = 44, kAuthHeader = 51,
                       kDestOptions = 60;
constexpr std::uint8_t kPad1 = 0, kJumboOption = 0xC2;
constexpr std::uint8_t kNoNextHeader = 59;

// RFC 2675: a jumbogram has payload length 0 and this option in the
// hop-by-hop header; its value counts everything after the fixed header.
void find_jumbo(core::ByteReader options, Ipv6Chain& chain) {
  while (!options.empty()) {
    const std::uint8_t type = *options.u8();
    if (type == kPad1) continue;
    const auto length = options.u8();
    if (!length) return;
    auto value = options.sub(*length);
    if (!value) return;  // malformed options only lose the jumbo length
    if (type == kJumboOption && *length == 4) {
      chain.has_jumbo = true;
      chain.jumbo_length = *value->be32();
    }
  }
}

// Extension headers whose length byte counts 8-octet units after the first 8.
bool is_generic_extension(std::uint8_t type) {
  return type == kHopByHop || type == kRouting || type == kDestOptions;
}

}  // namespace

Ipv6Chain walk_ipv6_extensions(core::ByteReader r, std::uint8_t next_header) {
  Ipv6Chain chain;
  bool first = true;
  // Each header consumes at least 8 bytes, so the loop ends with the buffer.
  for (;; first = false) {
    if (is_generic_extension(next_header) || next_header == kAuthHeader) {
      const auto next = r.peek_u8(0);
      const auto units = r.peek_u8(1);
      if (!units) return chain;
      // RFC 4302 2.2: AH counts 4-octet units minus 2; the others 8-octet units minus 1.
      const std::size_t length = next_header == kAuthHeader ? (std::size_t{*units} + 2) * 4
                                                            : (std::size_t{*units} + 1) * 8;
      auto header = r.sub(length);
      if (!header) return chain;
      if (next_header == kHopByHop && first) {
        header->skip(2);
        find_jumbo(*header, chain);
      }
      next_header = *next;
      continue;
    }
    if (next_header == kFragment) {
      const auto next = r.u8();
      r.skip(1);
      const auto offset_flags = r.be16();
      const auto id = r.be32();
      if (!id) return chain;
      const std::uint16_t offset = *offset_flags >> 3;
      const bool more = (*offset_flags & 1) != 0;
      // RFC 6946: an "atomic" fragment (offset 0, no more) is a whole packet.
      if (offset != 0 || more) {
        chain.is_fragment = true;
        chain.first_fragment = offset == 0;
        chain.frag_id = *id;
      }
      next_header = *next;
      if (offset != 0) break;
      continue;
    }
    break;
  }
  chain.ok = true;
  chain.final_header = next_header;
  chain.end = r.position();
  return chain;
}

DecodeError decode_ipv6(core::Bytes frame, std::size_t offset, DecodedPacket& out) {
  core::ByteReader r(frame);
  if (!r.seek(offset)) return DecodeError::TruncatedIp;
  const std::size_t captured = r.remaining();
  const auto first = r.peek_u8();
  if (!first) return DecodeError::TruncatedIp;
  if ((*first >> 4) != 6) return DecodeError::BadIpHeader;
  if (captured < kFixedHeader) return DecodeError::TruncatedIp;

  r.skip(4);  // version, traffic class, flow label
  const std::uint16_t payload_length = *r.be16();
  const std::uint8_t next_header = *r.u8();
  out.ttl = *r.u8();
  out.src = core::IpAddress::v6_bytes(*r.bytes(16));
  out.dst = core::IpAddress::v6_bytes(*r.bytes(16));
  out.l3 = L3::Ipv6;
  out.l3_offset = static_cast<std::uint32_t>(offset);
  out.ip_proto = next_header;

  // Payload length 0 means a jumbogram (RFC 2675) or, without the jumbo
  // option, a segmentation-offload capture: both are as long as captured
  // until the hop-by-hop header says otherwise.
  std::size_t claimed = payload_length != 0 ? kFixedHeader + payload_length : captured;
  std::size_t bound = captured < claimed ? captured : claimed;
  core::ByteReader chain_reader(frame.first(offset + bound));
  chain_reader.seek(offset + kFixedHeader);
  const Ipv6Chain chain = walk_ipv6_extensions(chain_reader, next_header);
  if (!chain.ok) return DecodeError::BadIpv6Extension;
  if (payload_length == 0 && chain.has_jumbo) {
    // ip_length is 32 bits: a jumbo length near 4 GiB plus the header must not wrap.
    constexpr std::size_t kMaxLength = 0xFFFFFFFFu;
    claimed = kFixedHeader + chain.jumbo_length;
    if (claimed > kMaxLength) claimed = kMaxLength;
    bound = captured < claimed ? captured : claimed;
  }
  out.ip_length = static_cast<std::uint32_t>(claimed);
  out.ip_proto = chain.final_header;
  out.is_fragment = chain.is_fragment;
  out.first_fragment = chain.first_fragment;
  out.frag_id = chain.frag_id;

  const std::size_t headers = chain.end - offset;
  const std::size_t end = offset + bound;
  const TransportSpan span{frame.first(end < chain.end ? chain.end : end), chain.end,
                           static_cast<std::uint32_t>(claimed > headers ? claimed - headers : 0)};
  if ((chain.is_fragment && !chain.first_fragment) || chain.final_header == kNoNextHeader) {
    set_ip_payload(span, out);  // no transport header follows
    return DecodeError::None;
  }
  return decode_transport(span, out);
}

}  // namespace wiretop::proto::detail
