#pragma once
// The scan-like capture of the second benchmark file (wiretop_gen_capture --short-flows):
// many short TCP flows, 1-3 packets each, between many distinct addresses and ports.

#include <cstdint>
#include <string>

namespace wiretop::bench {

struct ShortFlowsConfig {
  std::uint64_t flows = 1'000'000;
  // Every flow starts within this span, which is shorter than the shortest
  // idle timeout of what it leaves behind (10 s for a reset record): at the
  // end of the file every flow is still open, so the table holds them all.
  double duration_s = 8;
  std::uint64_t seed = 0x73686f7274ULL;  // "short"
};

struct ShortFlowsSummary {
  std::uint64_t flows = 0, packets = 0, bytes = 0;
  std::uint64_t syn_only = 0, refused = 0, half_open = 0, ipv6 = 0;
};

// Writes the capture; false when the file cannot be written.
bool write_short_flows(const std::string& out, const ShortFlowsConfig& config, ShortFlowsSummary& summary);

}  // namespace wiretop::bench
