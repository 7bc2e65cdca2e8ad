#pragma once
// The default --max-flows: sized from the memory the machine has available, so
// a scan or a flood fills the table up to a known share of RAM and then evicts
// (counted) instead of growing until the OOM killer picks a process.

#include <cstdint>
#include <optional>
#include <string_view>

namespace wiretop::app {

// What one tracked flow costs, measured (bench/RESULTS.md, "Short flows and
// memory"): about 400 bytes without DPI results (the Connection record, its
// share of the index, allocator overhead), about 2 KB with a TLS/QUIC/HTTP
// result (the AppInfo and its strings). Sized for the latter.
inline constexpr std::uint64_t kBytesPerFlow = 2048;
// Never below this (a small container still tracks a busy host's flows) nor
// above this (a bigger table is a deliberate choice: --max-flows).
inline constexpr std::uint32_t kMinDefaultFlows = 16'384;
inline constexpr std::uint32_t kMaxDefaultFlows = 4'000'000;
// Used when /proc/meminfo cannot be read.
inline constexpr std::uint32_t kFallbackFlows = 1'000'000;

// "MemAvailable:" of /proc/meminfo's text, in bytes.
std::optional<std::uint64_t> parse_mem_available(std::string_view meminfo);
// A quarter of the available memory divided by kBytesPerFlow, clamped; with no
// figure, kFallbackFlows.
std::uint32_t default_max_flows(std::optional<std::uint64_t> mem_available_bytes);
// Reads /proc/meminfo (before the sandbox, which forbids it).
std::optional<std::uint64_t> read_mem_available();

}  // namespace wiretop::app
