#pragma once
// What the Graph and Activity tabs show over time, sampled once per refresh from
// the rows the Overview already gets (no engine API of its own): total down/up
// rates over the last samples, byte shares per protocol and per app, the top
// processes and remote hosts with a short rate history each, and per-process
// totals that keep the bytes of connections that have ended. Every table here
// is bounded; "down" is what flows toward the local side, as in row_text.h.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/connection_row.h"

namespace wiretop::tui {

// A fixed-capacity ring: pushing into a full ring drops the oldest; [0] is the oldest.
template <typename T>
class Ring {
 public:
  explicit Ring(std::size_t capacity) : capacity_(capacity ? capacity : 1) {}
  void push(const T& value) {
    if (items_.size() < capacity_) {
      items_.push_back(value);
      return;
    }
    items_[head_] = value;
    head_ = (head_ + 1) % capacity_;
  }
  std::size_t size() const { return items_.size(); }
  std::size_t capacity() const { return capacity_; }
  bool empty() const { return items_.empty(); }
  const T& operator[](std::size_t i) const { return items_[(head_ + i) % items_.size()]; }
  const T& back() const { return (*this)[items_.size() - 1]; }

 private:
  std::size_t capacity_;
  std::size_t head_ = 0;
  std::vector<T> items_;
};

struct Traffic {
  double down = 0, up = 0;  // bytes per second
  double total() const { return down + up; }
};

struct ByteTotals {
  std::uint64_t down = 0, up = 0;
  std::uint64_t total() const { return down + up; }
};

// One bar of a distribution: its label, bytes and fraction of all bytes.
struct Share {
  std::string label;
  std::uint64_t bytes = 0;
  double fraction = 0;
};

// A top process or remote host: current rate, bytes of its listed connections,
// and its total rate at each of the last samples (oldest first).
struct Ranked {
  std::string label;
  Traffic rate;
  std::uint64_t bytes = 0;
  std::vector<double> recent;
};

// A process on the Activity tab. `rolling` averages the last kRollingSamples;
// `retained` counts every connection it ever had, ended ones included, once each.
struct ProcessTotals {
  std::string label;
  std::size_t connections = 0;
  Traffic rate, rolling;
  ByteTotals retained;
};

Traffic local_rates(const model::ConnectionRow& row);
ByteTotals local_bytes(const model::ConnectionRow& row);
// The L7 protocol when DPI named it ("TLS"), else the service ("tcp/https", "tcp/8080"),
// else the transport.
std::string protocol_label(const model::ConnectionRow& row);
// The server name's registered domain ("googlevideo.com"), else "(no name)".
std::string app_label(const model::ConnectionRow& row);
// The remote host: its server name when known, else its address.
std::string host_label(const model::ConnectionRow& row);
// "name (pid)", or "unknown" until attribution names the socket's owner.
std::string process_label(const model::ConnectionRow& row);

class History {
 public:
  static constexpr std::size_t kSamples = 300;       // 5 minutes at the default 1 s refresh
  static constexpr std::size_t kRecentSamples = 60;  // sparkline length
  static constexpr std::size_t kTopCount = 10;       // hosts and processes with sparklines
  static constexpr std::size_t kMaxShares = 8;       // bars; the rest add up in "other"
  static constexpr std::size_t kRollingSamples = 5;
  static constexpr std::size_t kMaxProcesses = 512;    // more add up in "other"
  static constexpr std::size_t kRecentlyEnded = 4096;  // ids remembered after they leave the rows

  explicit History(std::size_t samples = kSamples) : totals_(samples) {}

  // Takes one sample; call once per refresh with every row (not only the filtered ones).
  void sample(const std::vector<model::ConnectionRow>& rows);

  const Ring<Traffic>& totals() const { return totals_; }
  const std::vector<Share>& protocols() const { return protocols_; }
  const std::vector<Share>& apps() const { return apps_; }
  const std::vector<Ranked>& top_processes() const { return top_processes_; }
  const std::vector<Ranked>& top_hosts() const { return top_hosts_; }
  // Every process, busiest first in the given direction (rolling rate, then retained bytes).
  std::vector<ProcessTotals> processes_by_egress(bool egress) const;
  std::uint64_t samples_taken() const { return samples_taken_; }
  // How often a new process found the table full and was counted as "other".
  std::uint64_t processes_over_cap() const { return processes_over_cap_; }

 private:
  struct Process {
    Ring<Traffic> recent{kRollingSamples};
    Traffic rate;
    std::size_t connections = 0;
    ByteTotals live, ended;  // bytes of listed connections; of connections gone from the rows
  };
  struct Tracked {
    std::string process;
    ByteTotals bytes;
  };

  void update_processes(const std::vector<model::ConnectionRow>& rows);
  void retire_missing(const std::unordered_map<std::uint64_t, Tracked>& now_listed);
  // The label itself, or "other" when the table is full and the label is new.
  std::string process_key(const std::string& label);

  Ring<Traffic> totals_;
  std::vector<Share> protocols_, apps_;
  std::vector<Ranked> top_processes_, top_hosts_;
  std::map<std::string, Process> processes_;
  std::unordered_map<std::uint64_t, Tracked> listed_;  // connection id -> last bytes seen
  std::unordered_map<std::uint64_t, Tracked> ended_;   // retired ids, if one comes back
  std::deque<std::uint64_t> ended_order_;
  std::uint64_t samples_taken_ = 0;
  std::uint64_t processes_over_cap_ = 0;
};

}  // namespace wiretop::tui
