// The default --max-flows from /proc/meminfo's MemAvailable (flow_budget.h).
#include "app/flow_budget.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>

namespace wiretop::app {

std::optional<std::uint64_t> parse_mem_available(std::string_view meminfo) {
  constexpr std::string_view kKey = "MemAvailable:";
  std::size_t at = meminfo.find(kKey);
  while (at != std::string_view::npos && at != 0 && meminfo[at - 1] != '\n')
    at = meminfo.find(kKey, at + 1);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = meminfo.substr(at + kKey.size());
  const std::size_t digits = rest.find_first_not_of(' ');
  if (digits == std::string_view::npos) return std::nullopt;
  rest = rest.substr(digits);
  std::uint64_t kib = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), kib);
  if (ec != std::errc{} || end == rest.data()) return std::nullopt;
  if (std::string_view(end, static_cast<std::size_t>(rest.data() + rest.size() - end)).substr(0, 3) != " kB")
    return std::nullopt;
  if (kib > (UINT64_MAX >> 10)) return std::nullopt;
  return kib << 10;
}

std::uint32_t default_max_flows(std::optional<std::uint64_t> mem_available_bytes) {
  if (!mem_available_bytes) return kFallbackFlows;
  const std::uint64_t flows = *mem_available_bytes / 4 / kBytesPerFlow;
  return static_cast<std::uint32_t>(std::clamp<std::uint64_t>(flows, kMinDefaultFlows, kMaxDefaultFlows));
}

std::optional<std::uint64_t> read_mem_available() {
  std::ifstream in("/proc/meminfo");
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return parse_mem_available(text.str());
}

}  // namespace wiretop::app
