#include "app/summary_json.h"

#include "export/connection_json.h"
#include "export/json_writer.h"

namespace wiretop::app {

std::string summary_json(const engine::Summary& s, const std::string& source_key,
                         const std::string& source, const sandbox::Report& sandbox) {
  std::string out;
  exporting::JsonWriter w(out);
  w.begin_object();
  w.field("kind", "summary");
  w.field("schema_version", std::uint64_t{exporting::kSchemaVersion});
  w.field(source_key, source);
  w.field("packets", s.packets);
  w.field("bytes", s.bytes);
  w.field("ip_packets", s.ip_packets);
  w.field("non_ip_packets", s.non_ip);
  w.key("parse_failures");
  w.begin_object();
  for (std::size_t i = 1; i < s.parse_failures.size(); ++i) {
    if (s.parse_failures[i] == 0) continue;
    w.field(proto::decode_error_name(static_cast<proto::DecodeError>(i)), s.parse_failures[i]);
  }
  w.end_object();
  w.field("partial_transport_headers", s.partial_transport);
  w.field("capture_drops", s.capture_drops);
  w.field("interface_drops", s.interface_drops);
  w.field("ring_drops", s.ring_drops);
  w.field("evictions", s.evictions);
  w.field("unmatched_fragments", s.unmatched_fragments);
  w.field("dpi_flows", s.dpi_flows);
  w.field("dpi_identified", s.dpi_identified);
  w.field("dpi_reassembly_gaps", s.dpi_reassembly_gaps);
  w.field("connections", s.connections);
  w.field("threads", std::uint64_t{s.threads});
  w.key("sandbox");
  w.begin_object();
  for (const sandbox::LayerReport& l : sandbox.layers) {
    if (l.name == "user" && l.state == sandbox::LayerState::kOff) continue;
    w.key(l.name);
    w.begin_object();
    w.field("state", sandbox::state_name(l.state));
    w.field("detail", l.detail);
    w.end_object();
  }
  w.end_object();
  if (s.attribution_enabled) {
    w.key("attribution");
    w.begin_object();
    w.field("status", s.attribution_status);
    w.field("records", s.attribution_records);
    w.field("rejected_records", s.attribution_rejected);
    w.field("local_connections", s.attribution_local_rows);
    w.field("attributed_connections", s.attribution_attributed_rows);
    w.end_object();
  }
  if (s.alerts_enabled) {
    w.key("alerts");
    w.begin_object();
    for (const auto& [rule, n] : s.alerts) w.field(rule, n);
    w.end_object();
  }
  if (!s.warning.empty()) w.field("warning", s.warning);
  w.end_object();
  return out;
}

}  // namespace wiretop::app
