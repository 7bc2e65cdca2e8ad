#include "export/connection_json.h"

#include <cstdio>

#include "core/timestamp.h"
#include "export/app_json.h"
#include "export/json_writer.h"

namespace wiretop::exporting {
namespace {

// docs/json-schema.md "The `process` object".
void write_process(JsonWriter& w, std::string_view key, const host::ProcessInfo& p) {
  w.key(key);
  w.begin_object();
  w.field("pid", std::uint64_t{p.pid});
  w.field("name", p.name);
  w.field("exe", p.exe);
  w.field("cmdline", p.cmdline);
  w.field("user", p.user);
  w.begin_array("parents");
  for (const auto& parent : p.parents) {
    w.begin_object();
    w.field("pid", std::uint64_t{parent.pid});
    w.field("name", parent.name);
    w.end_object();
  }
  w.end_array();
  if (!p.container.empty()) w.field("container", p.container);
  else w.field_null("container");
  w.field("source", host::owner_source_name(p.source));
  w.end_object();
}

// client_class, client_country, ..., server_mac_vendor: present when known (issue 8 enrichment).
void write_endpoint(JsonWriter& w, std::string_view side, const model::EndpointInfo& e) {
  std::string key(side);
  const auto named = [&](std::string_view suffix) -> std::string_view {
    key.resize(side.size());
    key += suffix;
    return key;
  };
  if (!e.address_class.empty()) w.field(named("_class"), e.address_class);
  if (!e.country.empty()) w.field(named("_country"), e.country);
  if (!e.city.empty()) w.field(named("_city"), e.city);
  if (e.asn != 0) w.field(named("_asn"), std::uint64_t{e.asn});
  if (!e.as_org.empty()) w.field(named("_as_org"), e.as_org);
  if (e.has_mac) {
    char mac[18];
    std::snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", e.mac[0], e.mac[1], e.mac[2], e.mac[3],
                  e.mac[4], e.mac[5]);
    w.field(named("_mac"), std::string_view(mac, 17));
    if (!e.mac_vendor.empty()) w.field(named("_mac_vendor"), e.mac_vendor);
  }
}

}  // namespace

void append_connection_json(std::string& out, const model::ConnectionRow& r,
                            const ServiceNames& names) {
  JsonWriter w(out);
  char buf[64];
  w.begin_object();
  w.field("kind", "connection");
  w.field("schema_version", std::uint64_t{kSchemaVersion});
  w.field("id", r.id);
  w.field("proto", names.protocol(r.ip_proto));
  w.field("client_ip", std::string_view(buf, r.client_ip.format(buf)));
  if (r.has_ports) w.field("client_port", std::uint64_t{r.client_port});
  w.field("server_ip", std::string_view(buf, r.server_ip.format(buf)));
  if (r.has_ports) w.field("server_port", std::uint64_t{r.server_port});
  if (r.is_icmp) {
    w.field("icmp_type", std::uint64_t{r.icmp_type});
    if (r.is_icmp_echo) w.field("icmp_id", std::uint64_t{r.icmp_id});
    else w.field("icmp_code", std::uint64_t{r.icmp_code});
  }
  if (r.has_vlan) w.field("vlan", std::uint64_t{r.vlan});
  w.field("first_seen", std::string_view(buf, core::format_rfc3339(r.first_seen, buf)));
  w.field("last_seen", std::string_view(buf, core::format_rfc3339(r.last_seen, buf)));
  w.field("duration_ms", static_cast<double>((r.last_seen - r.first_seen).usec) / 1000.0);
  w.field("state", r.state);
  if (!r.end_reason.empty()) w.field("end_reason", r.end_reason);
  w.field("packets_c2s", r.packets[0]);
  w.field("packets_s2c", r.packets[1]);
  w.field("bytes_c2s", r.bytes[0]);
  w.field("bytes_s2c", r.bytes[1]);
  w.field("frame_bytes_c2s", r.frame_bytes[0]);
  w.field("frame_bytes_s2c", r.frame_bytes[1]);
  if (r.rtt_ms >= 0) w.field("rtt_ms", r.rtt_ms);
  else w.field_null("rtt_ms");
  w.field("retransmits_c2s", std::uint64_t{r.retransmits[0]});
  w.field("retransmits_s2c", std::uint64_t{r.retransmits[1]});
  w.field("out_of_order_c2s", std::uint64_t{r.out_of_order[0]});
  w.field("out_of_order_s2c", std::uint64_t{r.out_of_order[1]});
  w.field("dup_acks_c2s", std::uint64_t{r.dup_acks[0]});
  w.field("dup_acks_s2c", std::uint64_t{r.dup_acks[1]});
  w.field("fragments", std::uint64_t{r.fragments});
  w.field("icmp_errors", std::uint64_t{r.icmp_errors});
  const std::string_view service =
      r.has_ports ? names.service(r.ip_proto, r.server_port) : std::string_view{};
  if (!service.empty()) w.field("service", service);
  else w.field_null("service");
  if (r.locality_known) {
    w.field_bool("client_local", r.client_local);
    w.field_bool("server_local", r.server_local);
  }
  if (!r.server_name.empty()) {
    w.field("server_name", r.server_name);
    w.field("server_name_source", r.server_name_source);
  }
  write_endpoint(w, "client", r.ends[0]);
  write_endpoint(w, "server", r.ends[1]);
  if (r.app) write_app_object(w, *r.app);
  if (r.process) write_process(w, "process", *r.process);
  if (r.server_process) write_process(w, "server_process", *r.server_process);
  w.end_object();
}

}  // namespace wiretop::exporting
