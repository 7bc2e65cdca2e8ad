#include "export/ipfix_exporter.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wiretop::exporting {
namespace {

core::Timestamp after(core::Timestamp t, double seconds) {
  return core::Timestamp{t.usec + static_cast<std::int64_t>(seconds * 1e6)};
}

FlowEndReason reason_of(std::string_view end_reason) {
  if (end_reason == "closed" || end_reason == "reset") return FlowEndReason::EndOfFlow;
  if (end_reason == "timeout") return FlowEndReason::IdleTimeout;
  if (end_reason == "evicted") return FlowEndReason::LackOfResources;
  return FlowEndReason::ForcedEnd;  // end of input, shutdown
}

IpfixFlow flow_between(std::uint8_t ip_proto, const core::IpAddress& client, std::uint16_t client_port,
                       const core::IpAddress& server, std::uint16_t server_port, core::Timestamp start) {
  IpfixFlow f;
  f.ip_proto = ip_proto;
  f.client_ip = client;
  f.server_ip = server;
  f.client_port = client_port;
  f.server_port = server_port;
  f.start = start;
  return f;
}

void assign_if_set(std::string& to, std::string_view from) {
  if (!from.empty() && to != from) to.assign(from);
}

}  // namespace

bool split_host_port(const std::string& s, std::string& host, std::string& port) {
  std::size_t colon;
  if (!s.empty() && s.front() == '[') {
    const std::size_t close = s.find(']');
    if (close == std::string::npos || close + 1 >= s.size() || s[close + 1] != ':') return false;
    host = s.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = s.rfind(':');
    if (colon == std::string::npos || s.find(':') != colon) return false;
    host = s.substr(0, colon);
  }
  port = s.substr(colon + 1);
  return !host.empty() && !port.empty() && port.find_first_not_of("0123456789") == std::string::npos;
}

IpfixExporter::IpfixExporter(const IpfixConfig& config, IpfixMessageBuilder::Send send)
    : config_(config), builder_(config.observation_domain, std::move(send)) {}

IpfixExporter::~IpfixExporter() {
  builder_.flush();
  if (fd_ >= 0) ::close(fd_);
}

core::Result<std::unique_ptr<IpfixExporter>, std::string> IpfixExporter::connect(const std::string& host_port,
                                                                                const IpfixConfig& config) {
  std::string host, port;
  if (!split_host_port(host_port, host, port))
    return core::Err{"--ipfix wants HOST:PORT (or [IPV6]:PORT), got '" + host_port + "'"};
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return core::Err{"--ipfix " + host_port + ": " + ::gai_strerror(rc)};
  int fd = -1;
  std::string why = "no address";
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      why = std::strerror(errno);
      ::close(fd);
      fd = -1;
    } else if (fd < 0) {
      why = std::strerror(errno);
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) return core::Err{"--ipfix " + host_port + ": " + why};
  auto exporter = std::make_unique<IpfixExporter>(config, IpfixMessageBuilder::Send{});
  IpfixExporter* self = exporter.get();
  exporter->fd_ = fd;
  exporter->builder_ = IpfixMessageBuilder(config.observation_domain,
                                           [self](std::string_view m) { self->send_datagram(m); });
  return exporter;
}

void IpfixExporter::send_datagram(std::string_view message) {
  // A collector that is down (ECONNREFUSED from an earlier datagram) loses
  // these records; UDP export has no retransmission (RFC 7011 §10.3.3).
  if (::send(fd_, message.data(), message.size(), MSG_DONTWAIT) < 0) ++send_errors_;
}

void IpfixExporter::on_packet(const PacketNote& n) {
  auto it = flows_.find(n.connection_id);
  if (it == flows_.end()) {
    if (flows_.size() >= config_.max_flows) {
      ++cache_full_;
      return;
    }
    Entry e;
    e.flow = flow_between(n.ip_proto, n.client_ip, n.client_port, n.server_ip, n.server_port, n.first_seen);
    e.last_export = n.first_seen;
    it = flows_.emplace(n.connection_id, std::move(e)).first;
  }
  Entry& e = it->second;
  if (!e.pending) e.flow.start = n.ts;  // the first packet since the last record
  e.pending = true;
  e.flow.end = n.ts;
  e.flow.tcp_flags[n.direction & 1] |= n.tcp_flags;
  e.total_packets = n.packets;
  e.total_bytes = n.bytes;
  if (n.pid != 0) e.flow.pid = n.pid;
  assign_if_set(e.flow.process_name, n.process_name);
  assign_if_set(e.flow.app, n.app);
  assign_if_set(e.flow.server_name, n.sni.empty() ? n.http_host : n.sni);
  if (n.ts >= after(e.last_export, config_.active_timeout_s)) export_delta(e, FlowEndReason::ActiveTimeout, n.ts);
}

void IpfixExporter::export_delta(Entry& e, FlowEndReason reason, core::Timestamp now) {
  for (int d = 0; d < 2; ++d) {
    e.flow.packets[d] = e.total_packets[d] - e.exported_packets[d];
    e.flow.bytes[d] = e.total_bytes[d] - e.exported_bytes[d];
  }
  e.flow.end_reason = reason;
  builder_.add(e.flow, now);
  e.exported_packets = e.total_packets;
  e.exported_bytes = e.total_bytes;
  e.flow.tcp_flags = {};
  e.last_export = now;
  e.pending = false;
}

void IpfixExporter::on_end(const model::ConnectionRow& row) {
  auto it = flows_.find(row.id);
  Entry e;
  if (it != flows_.end()) {
    e = std::move(it->second);
    flows_.erase(it);
  } else {  // never cached (cache full): one record with the whole connection
    e.flow = flow_between(row.ip_proto, row.client_ip, row.client_port, row.server_ip, row.server_port,
                          row.first_seen);
  }
  e.total_packets = row.packets;
  e.total_bytes = row.bytes;
  const bool nothing_new = e.total_packets == e.exported_packets && e.exported_packets[0] + e.exported_packets[1] > 0;
  if (nothing_new) return;  // an idle record already carried the last packets
  if (!e.pending && e.exported_packets[0] + e.exported_packets[1] > 0) e.flow.start = row.last_seen;
  e.flow.end = row.last_seen;
  if (row.pid != 0) e.flow.pid = row.pid;
  assign_if_set(e.flow.process_name, row.process_name);
  assign_if_set(e.flow.server_name, row.server_name);
  if (row.app) assign_if_set(e.flow.app, row.app->proto);
  export_delta(e, reason_of(row.end_reason), row.last_seen);
}

void IpfixExporter::on_tick(core::Timestamp now) {
  if (now < after(last_scan_, 1.0)) return;  // every shard ticks; one scan a second is enough
  last_scan_ = now;
  if (now >= after(last_templates_, config_.template_refresh_s)) {
    if (last_templates_.usec != 0) builder_.refresh_templates();
    last_templates_ = now;
  }
  for (auto& [id, e] : flows_) {
    if (!e.pending) continue;
    if (now >= after(e.flow.end, config_.idle_timeout_s)) export_delta(e, FlowEndReason::IdleTimeout, now);
    else if (now >= after(e.last_export, config_.active_timeout_s))
      export_delta(e, FlowEndReason::ActiveTimeout, now);
  }
  builder_.flush();
}

IpfixStats IpfixExporter::stats() const {
  return {builder_.records(), builder_.messages(), send_errors_, cache_full_};
}

}  // namespace wiretop::exporting
