#pragma once
// Feeds --history from the output side: ended connections are summed in
// memory per minute, process and remote host, and written to the store every
// ~10 s of packet clock and at the end (never per packet). A connection counts
// in the minute it ends. Old rows are rolled up hourly (packet clock) and at the end.

#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "core/timestamp.h"
#include "export/history_store.h"
#include "model/connection_row.h"

namespace wiretop::exporting {

class HistoryRecorder {
 public:
  explicit HistoryRecorder(std::shared_ptr<HistoryStore> store) : store_(std::move(store)) {}
  // The caller serialises these calls (exporting::Outputs holds its lock).
  void on_connection_end(const model::ConnectionRow& row);
  void on_tick(core::Timestamp now);
  void finish();
  // Flushes that could not be written (the reason is the store's last_error()).
  std::uint64_t failures() const { return failures_; }

  static constexpr std::int64_t kFlushEveryUsec = 10'000'000;
  static constexpr std::int64_t kRollUpEveryUsec = 3600'000'000;
  static constexpr std::size_t kMaxPending = 50'000;  // entries held before an early flush

 private:
  using Key = std::tuple<std::int64_t, UsageKind, std::string>;  // minute, kind, name
  void flush();
  void maybe_flush(core::Timestamp now);

  std::shared_ptr<HistoryStore> store_;
  std::map<Key, UsageCounts> pending_;
  core::Timestamp newest_, last_flush_, last_roll_up_;
  std::uint64_t failures_ = 0;
};

// The local end's view of a row: which end is ours, the remote host's name,
// and the bytes each way. Offline (locality unknown) the client is ours.
struct LocalView {
  std::string process, remote_host;
  UsageCounts counts;
  std::uint64_t packets_in = 0, packets_out = 0;
};
LocalView local_view(const model::ConnectionRow& row);

}  // namespace wiretop::exporting
