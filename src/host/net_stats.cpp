#include "host/net_stats.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>

namespace wiretop::host {
namespace {

namespace fs = std::filesystem;

// The counter files are a few bytes; a longer read means this is not one.
constexpr std::size_t kMaxCounterText = 32;

std::uint64_t read_counter(const fs::path& file) {
  std::ifstream in(file);
  char buf[kMaxCounterText + 1] = {};
  in.read(buf, kMaxCounterText);
  const auto n = static_cast<std::size_t>(in.gcount());
  if (n == 0 || n == kMaxCounterText) return 0;
  return parse_counter(std::string_view(buf, n)).value_or(0);
}

NetCounters read_interface(const fs::path& statistics, const std::string& name) {
  NetCounters c;
  c.name = name;
  c.rx_bytes = read_counter(statistics / "rx_bytes");
  c.tx_bytes = read_counter(statistics / "tx_bytes");
  c.rx_packets = read_counter(statistics / "rx_packets");
  c.tx_packets = read_counter(statistics / "tx_packets");
  c.rx_errors = read_counter(statistics / "rx_errors");
  c.tx_errors = read_counter(statistics / "tx_errors");
  c.rx_dropped = read_counter(statistics / "rx_dropped");
  c.tx_dropped = read_counter(statistics / "tx_dropped");
  return c;
}

// Bytes per second between two readings; none when the counter went backwards
// (the interface was re-created, or a driver reset its statistics).
std::optional<double> rate(std::uint64_t before, std::uint64_t now, double seconds) {
  if (now < before || seconds <= 0) return std::nullopt;
  return static_cast<double>(now - before) / seconds;
}

}  // namespace

std::optional<std::uint64_t> parse_counter(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<NetCounters> read_net_counters(const std::string& root) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    // /sys/class/net's entries are symlinks to the devices; follow them.
    if (fs::is_directory(it->path() / "statistics", ec))
      names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  if (names.size() > kMaxInterfaces) names.resize(kMaxInterfaces);
  std::vector<NetCounters> out;
  out.reserve(names.size());
  for (const auto& name : names)
    out.push_back(read_interface(fs::path(root) / name / "statistics", name));
  return out;
}

bool NetStatsSampler::poll(double now_s) {
  if (read_once_ && now_s - last_read_s_ < interval_s_) return false;
  const double elapsed = now_s - last_read_s_;
  std::vector<NetSample> next;
  for (auto& counters : read_net_counters(root_)) {
    NetSample s;
    const auto before = std::find_if(latest_.begin(), latest_.end(), [&](const NetSample& b) {
      return b.counters.name == counters.name;
    });
    if (read_once_ && before != latest_.end()) {
      const auto rx = rate(before->counters.rx_bytes, counters.rx_bytes, elapsed);
      const auto tx = rate(before->counters.tx_bytes, counters.tx_bytes, elapsed);
      s.has_rates = rx && tx;
      s.rx_bytes_per_s = rx.value_or(0);
      s.tx_bytes_per_s = tx.value_or(0);
    }
    s.counters = std::move(counters);
    next.push_back(std::move(s));
  }
  latest_ = std::move(next);
  last_read_s_ = now_s;
  read_once_ = true;
  return true;
}

}  // namespace wiretop::host
