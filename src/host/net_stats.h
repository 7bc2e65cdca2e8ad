#pragma once
// Interface counters from /sys/class/net/<if>/statistics (the kernel's
// rtnl_link_stats64 as text: one decimal number per file), and a sampler that
// turns two readings into byte rates. The root is a parameter so tests read a
// temporary tree instead of the host's.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wiretop::host {

inline constexpr const char* kSysClassNet = "/sys/class/net";
// A host with more interfaces (containers' veths) shows the first ones by name.
inline constexpr std::size_t kMaxInterfaces = 64;

struct NetCounters {
  std::string name;
  std::uint64_t rx_bytes = 0, tx_bytes = 0, rx_packets = 0, tx_packets = 0;
  std::uint64_t rx_errors = 0, tx_errors = 0, rx_dropped = 0, tx_dropped = 0;
};

struct NetSample {
  NetCounters counters;
  double rx_bytes_per_s = 0, tx_bytes_per_s = 0;
  bool has_rates = false;  // false on the first reading of an interface, or after a counter reset
};

// A statistics file's text: decimal digits, optionally a newline; anything else is none.
std::optional<std::uint64_t> parse_counter(std::string_view text);

// Every interface under `root` that has a statistics directory, sorted by name,
// at most kMaxInterfaces. An unreadable root gives none; an unreadable counter reads 0.
std::vector<NetCounters> read_net_counters(const std::string& root = kSysClassNet);

class NetStatsSampler {
 public:
  explicit NetStatsSampler(std::string root = kSysClassNet, double interval_s = 2.0)
      : root_(std::move(root)), interval_s_(interval_s) {}

  // Reads the counters when none were read yet or `interval_s` has passed since the
  // last reading; `now_s` is a monotonic clock in seconds. True when it read.
  bool poll(double now_s);
  const std::vector<NetSample>& latest() const { return latest_; }

 private:
  std::string root_;
  double interval_s_;
  double last_read_s_ = 0;
  bool read_once_ = false;
  std::vector<NetSample> latest_;
};

}  // namespace wiretop::host
