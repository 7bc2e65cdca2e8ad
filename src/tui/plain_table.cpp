#include "tui/plain_table.h"

#include <algorithm>
#include <cstdio>

#include "tui/row_text.h"

namespace wiretop::tui {

std::string render_plain_table(std::vector<model::ConnectionRow> rows, const TableHeader& header,
                               std::size_t max_rows) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    const double ra = a.rate_bps[0] + a.rate_bps[1], rb = b.rate_bps[0] + b.rate_bps[1];
    if (ra != rb) return ra > rb;
    return a.bytes[0] + a.bytes[1] > b.bytes[0] + b.bytes[1];
  });
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "wiretop — %s — %zu connections, %llu packets, %llu dropped\n\n",
                header.source.c_str(), header.connections, header.packets, header.drops);
  out += line;
  std::snprintf(line, sizeof line, "%-6s %-46s %-46s %-12s %10s %10s %10s %8s\n", "PROTO", "CLIENT",
                "SERVER", "STATE", "DOWN/s", "UP/s", "TOTAL", "RTT");
  out += line;
  for (std::size_t i = 0; i < rows.size() && i < max_rows; ++i) {
    const auto& r = rows[i];
    char rtt[24] = "-";
    if (r.rtt_ms >= 0) std::snprintf(rtt, sizeof rtt, "%.1fms", r.rtt_ms);
    std::snprintf(line, sizeof line, "%-6s %-46s %-46s %-12.*s %10s %10s %10s %8s\n",
                  proto_label(r.ip_proto), endpoint_text(r.client_ip, r.has_ports, r.client_port).c_str(),
                  endpoint_text(r.server_ip, r.has_ports, r.server_port).c_str(),
                  static_cast<int>(r.state.size()), r.state.data(),
                  human_bytes(r.rate_bps[1]).c_str(), human_bytes(r.rate_bps[0]).c_str(),
                  human_bytes(static_cast<double>(r.bytes[0] + r.bytes[1])).c_str(), rtt);
    out += line;
  }
  if (rows.size() > max_rows) {
    std::snprintf(line, sizeof line, "… and %zu more\n", rows.size() - max_rows);
    out += line;
  }
  return out;
}

}  // namespace wiretop::tui
