#include "tui/row_text.h"

#include <cstdio>
#include <string_view>

namespace wiretop::tui {

const char* proto_label(std::uint8_t ip_proto) {
  switch (ip_proto) {
    case 6: return "tcp";
    case 17: return "udp";
    case 1: return "icmp";
    case 58: return "icmpv6";
    default: return "ip";
  }
}

std::string endpoint_text(const core::IpAddress& ip, bool has_port, unsigned port) {
  char addr[64];
  const std::size_t n = ip.format(addr);
  char buf[80];
  if (has_port) {
    std::snprintf(buf, sizeof buf, ip.is_v6() ? "[%.*s]:%u" : "%.*s:%u", static_cast<int>(n), addr, port);
  } else {
    std::snprintf(buf, sizeof buf, "%.*s", static_cast<int>(n), addr);
  }
  return buf;
}

std::string human_bytes(double v) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f%s" : "%.1f%s", v, units[u]);
  return buf;
}

namespace {

// The name a protocol's own fields give when the connection has no server name.
std::string_view protocol_name(const dpi::AppInfo& a) {
  if (!a.dns_queries.empty()) return a.dns_queries.front().name;
  for (const std::string* s : {&a.ssh_server_banner, &a.ssh_client_banner, &a.dhcp_hostname, &a.ssdp_st,
                               &a.mqtt_client_id, &a.ftp_user, &a.stun_software, &a.snmp_community})
    if (!s->empty()) return *s;
  return {};
}

}  // namespace

std::string app_summary(const model::ConnectionRow& r) {
  if (!r.app) return {};
  std::string text = r.app->proto.empty() ? std::string("?") : r.app->proto;
  const std::string_view name = !r.server_name.empty() ? std::string_view(r.server_name) : protocol_name(*r.app);
  if (!name.empty()) text.append(" ").append(name);
  return text;
}

std::string process_text(const model::ConnectionRow& r) {
  if (r.process_name.empty() && r.pid == 0) return {};
  return (r.process_name.empty() ? std::string("?") : r.process_name) + "(" + std::to_string(r.pid) + ")";
}

Freshness freshness(const model::ConnectionRow& r, core::Timestamp now) {
  if (!r.end_reason.empty()) return Freshness::kClosed;
  const double idle = static_cast<double>(now.usec - r.last_seen.usec) / 1e6;
  if (idle < 2.0) return Freshness::kFresh;
  if (r.idle_timeout_s > 0 && idle >= 0.8 * r.idle_timeout_s) return Freshness::kExpiring;
  return Freshness::kIdle;
}

std::string remote_name_text(const model::ConnectionRow& r) {
  const bool inbound = server_is_local(r);
  if (inbound || r.server_name.empty()) {
    return inbound ? endpoint_text(r.client_ip, r.has_ports, r.client_port)
                   : endpoint_text(r.server_ip, r.has_ports, r.server_port);
  }
  return r.has_ports ? r.server_name + ":" + std::to_string(r.server_port) : r.server_name;
}

bool server_is_local(const model::ConnectionRow& row) {
  return row.locality_known && row.server_local && !row.client_local;
}

RowText row_text(const model::ConnectionRow& r) {
  RowText t;
  t.proto = proto_label(r.ip_proto);
  std::string client = endpoint_text(r.client_ip, r.has_ports, r.client_port);
  std::string server = endpoint_text(r.server_ip, r.has_ports, r.server_port);
  // Rates are client→server [0] and back [1]; "down" is what flows toward the local side.
  const bool inbound = server_is_local(r);
  t.local = inbound ? server : client;
  t.remote = inbound ? client : server;
  t.down = human_bytes(r.rate_bps[inbound ? 0 : 1]) + "/s";
  t.up = human_bytes(r.rate_bps[inbound ? 1 : 0]) + "/s";
  t.state = std::string(r.state);
  t.service = !r.service.empty() ? std::string(r.service) : r.has_ports ? std::to_string(r.server_port) : "-";
  t.bytes = human_bytes(static_cast<double>(r.bytes[0] + r.bytes[1]));
  t.app = app_summary(r);
  t.process = process_text(r);
  if (r.rtt_ms >= 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fms", r.rtt_ms);
    t.rtt = buf;
  } else {
    t.rtt = "-";
  }
  return t;
}

}  // namespace wiretop::tui
