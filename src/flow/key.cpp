#include "flow/key.h"


namespace wiretop::flow {
namespace {

KeyedPacket ordered(const core::IpAddress& src, std::uint16_t sport, const core::IpAddress& dst,
                    std::uint16_t dport, std::uint8_t proto, KeyKind kind) {
  KeyedPacket k;
  k.key.ip_proto = proto;
  k.key.kind = kind;
  const bool src_first = (src < dst) || (src == dst && sport <= dport);
  if (src_first) {
    k.key.a = src;
    k.key.b = dst;
    k.key.port_a = sport;
    k.key.port_b = dport;
  } else {
    k.key.a = dst;
    k.key.b = src;
    k.key.port_a = dport;
    k.key.port_b = sport;
  }
  k.sender_is_a = src_first;
  return k;
}

}  // namespace

KeyedPacket key_for_packet(const proto::DecodedPacket& p) {
  if (p.has_ports) return ordered(p.src, p.src_port, p.dst, p.dst_port, p.ip_proto, KeyKind::Ports);
  if (p.icmp_is_echo && p.has_transport) {
    auto k = ordered(p.src, 0, p.dst, 0, p.ip_proto, KeyKind::IcmpEcho);
    k.key.port_a = p.icmp_id;
    // Pinging oneself (127.0.0.1 → 127.0.0.1): addresses cannot tell the
    // directions apart, the message type can.
    if (p.src == p.dst) k.sender_is_a = p.icmp_type == 8 || p.icmp_type == 128;
    return k;
  }
  if ((p.ip_proto == 1 || p.ip_proto == 58) && p.has_transport) {
    KeyedPacket k;
    k.key.a = p.src;
    k.key.b = p.dst;
    k.key.port_a = p.icmp_type;
    k.key.ip_proto = p.ip_proto;
    k.key.kind = KeyKind::IcmpOther;
    return k;
  }
  return ordered(p.src, 0, p.dst, 0, p.ip_proto, KeyKind::AddressPair);
}

KeyedPacket key_for_quoted(const proto::QuotedHeader& q) {
  if (q.has_ports) return ordered(q.src, q.src_port, q.dst, q.dst_port, q.ip_proto, KeyKind::Ports);
  return ordered(q.src, 0, q.dst, 0, q.ip_proto, KeyKind::AddressPair);
}

}  // namespace wiretop::flow
