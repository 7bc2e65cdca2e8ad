#pragma once
// Counters for the run, reported at exit (the "summary" JSON object).

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "proto/decoded_packet.h"

namespace wiretop::engine {

struct Summary {
  std::uint64_t packets = 0;      // frames read from the capture
  std::uint64_t bytes = 0;        // their original lengths
  std::uint64_t ip_packets = 0;   // frames with an IP packet we tracked
  std::uint64_t non_ip = 0;       // ARP and other link payloads
  std::array<std::uint64_t, static_cast<std::size_t>(proto::DecodeError::kCount)> parse_failures{};
  std::uint64_t partial_transport = 0;  // TCP/UDP header cut short or bogus: tracked by ports only
  std::uint64_t capture_drops = 0;     // kernel ring full (pcap_stats ps_drop)
  std::uint64_t interface_drops = 0;   // ps_ifdrop
  std::uint64_t ring_drops = 0;        // our capture→shard ring full
  std::uint64_t evictions = 0;
  std::uint64_t unmatched_fragments = 0;
  std::uint64_t connections = 0;       // records emitted
  std::uint64_t dpi_flows = 0;         // connections whose payload was inspected
  std::uint64_t dpi_identified = 0;    // ... that a dissector recognised
  std::uint64_t dpi_reassembly_gaps = 0;  // TCP directions given up on a gap that never filled
  // Process attribution (live capture): rows with a local TCP/UDP end, and
  // of those the rows a process was attached to; the helper's record counts.
  std::uint64_t attribution_local_rows = 0;
  std::uint64_t attribution_attributed_rows = 0;
  std::uint64_t attribution_records = 0;
  std::uint64_t attribution_rejected = 0;
  bool attribution_enabled = false;
  std::string attribution_status;      // "running (sock_diag)", "lost: <why>", "off: <why>"
  // --alerts (issue 10): alerts raised per rule, in first-raised order.
  bool alerts_enabled = false;
  std::vector<std::pair<std::string, std::uint64_t>> alerts;
  std::uint32_t threads = 1;
  std::string warning;                 // e.g. a capture file cut mid-record

  void merge_shard(const Summary& s);
};

}  // namespace wiretop::engine
