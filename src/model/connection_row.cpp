#include "model/connection_row.h"

#include "flow/connection.h"
#include "flow/rate.h"

namespace wiretop::model {

ConnectionRow to_row(const flow::Connection& c, flow::EndReason reason, core::Timestamp now,
                     const flow::RateWindow* rate) {
  ConnectionRow r;
  r.id = c.id;
  r.ip_proto = c.key.ip_proto;
  r.client_ip = c.client_ip();
  r.server_ip = c.server_ip();
  r.has_ports = c.key.kind == flow::KeyKind::Ports;
  if (r.has_ports) {
    r.client_port = c.client_port();
    r.server_port = c.server_port();
  }
  r.is_icmp = c.key.kind == flow::KeyKind::IcmpEcho || c.key.kind == flow::KeyKind::IcmpOther;
  r.is_icmp_echo = c.key.kind == flow::KeyKind::IcmpEcho;
  if (c.key.kind == flow::KeyKind::IcmpEcho) {
    r.icmp_id = c.key.port_a;
    r.icmp_type = c.key.ip_proto == 58 ? 128 : 8;  // named by its request
  } else if (c.key.kind == flow::KeyKind::IcmpOther) {
    r.icmp_type = static_cast<std::uint8_t>(c.key.port_a);
    r.icmp_code = c.icmp_code;
  }
  r.has_vlan = c.has_vlan;
  r.vlan = c.vlan;
  r.first_seen = c.first_seen;
  r.last_seen = c.last_seen;
  r.state = flow::state_name(c.state);
  if (reason != flow::EndReason::None) r.end_reason = flow::end_reason_name(reason);
  r.packets = c.packets;
  r.bytes = c.bytes;
  r.frame_bytes = c.frame_bytes;
  r.retransmits = c.retransmits;
  r.out_of_order = c.out_of_order;
  r.dup_acks = c.dup_acks;
  r.fragments = c.fragments;
  r.icmp_errors = c.icmp_errors;
  r.rtt_ms = c.rtt_usec >= 0 ? static_cast<double>(c.rtt_usec) / 1000.0 : -1.0;
  if (rate != nullptr) {
    r.rate_bps = {rate->bytes_per_second(now.usec, flow::kC2S), rate->bytes_per_second(now.usec, flow::kS2C)};
    r.rate_window = *rate;
  }
  r.locality_known = c.locality_known;
  r.client_local = c.client_local;
  r.server_local = c.server_local;
  return r;
}

}  // namespace wiretop::model
