#pragma once
// One network interface as the Activity tab shows it. The app fills these from
// the host's /sys/class/net counters (tui/ does not read the OS itself).

#include <cstdint>
#include <string>

namespace wiretop::tui {

struct InterfaceStats {
  std::string name;
  double rx_bytes_per_s = 0, tx_bytes_per_s = 0;
  bool has_rates = false;  // false until two readings exist
  std::uint64_t rx_packets = 0, tx_packets = 0, rx_errors = 0, tx_errors = 0;
  std::uint64_t rx_dropped = 0, tx_dropped = 0;
};

}  // namespace wiretop::tui
