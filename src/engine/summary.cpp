#include "engine/summary.h"

namespace wiretop::engine {

void Summary::merge_shard(const Summary& s) {
  ip_packets += s.ip_packets;
  non_ip += s.non_ip;
  for (std::size_t i = 0; i < parse_failures.size(); ++i) parse_failures[i] += s.parse_failures[i];
  partial_transport += s.partial_transport;
  evictions += s.evictions;
  unmatched_fragments += s.unmatched_fragments;
  connections += s.connections;
  dpi_flows += s.dpi_flows;
  dpi_identified += s.dpi_identified;
  dpi_reassembly_gaps += s.dpi_reassembly_gaps;
  attribution_local_rows += s.attribution_local_rows;
  attribution_attributed_rows += s.attribution_attributed_rows;
}

}  // namespace wiretop::engine
