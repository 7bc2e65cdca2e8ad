#pragma once
// The main process's end of attribution (issue 6): forks the helper process
// (attribution_helper.h) and runs a thread that receives its records,
// validates them, and publishes an immutable OwnerTable that shards read by
// an atomic shared_ptr load, once per row batch, never per packet. If the
// helper dies, capture goes on: the status says attribution was lost and why.

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/attribution_helper.h"
#include "host/listener_record.h"
#include "host/owner_table.h"
#include "model/listener_row.h"

namespace wiretop::engine {

struct AttributionStats {
  std::uint64_t records = 0;   // records received and valid
  std::uint64_t rejected = 0;  // records that failed validation (or had the wrong size)
  std::string status;          // "running (ebpf, sock_diag)": the sources records came from; "lost: ..."
  bool lost = false;
};

class Attribution {
 public:
  // Forks the helper. Null with `error` set when the socketpair or fork fails.
  static std::unique_ptr<Attribution> start(const HelperConfig& config, std::string& error);
  ~Attribution();
  Attribution(const Attribution&) = delete;
  Attribution& operator=(const Attribution&) = delete;

  // Starts the receiving thread: after the sandbox, so the thread is contained too.
  void start_receiving();
  // The newest published table (never null).
  std::shared_ptr<const host::OwnerTable> current() const { return table_.load(std::memory_order_acquire); }
  AttributionStats stats() const;
  pid_t helper_pid() const { return child_; }
  // The listening sockets of the helper's newest complete list (connections
  // not counted); false until the first list arrived.
  bool listeners(std::vector<model::ListenerRow>& out) const;

 private:
  Attribution(int fd, pid_t child);
  void receive_loop();
  // Drains queued records into `master`; false at EOF (the helper is gone).
  bool drain(host::OwnerTable& master, bool& changed);
  void mark_lost();
  // One validated listener record: kept until its batch's last record, which publishes the batch.
  void take_listener(const host::ListenerRecord& rec);

  int fd_ = -1;
  pid_t child_ = -1;
  std::atomic<std::shared_ptr<const host::OwnerTable>> table_;
  std::atomic<bool> stop_{false};
  mutable std::mutex stats_mutex_;
  AttributionStats stats_;
  unsigned sources_seen_ = 0;  // bit per OwnerSource
  std::vector<model::ListenerRow> pending_listeners_;  // the batch being received (receiver thread only)
  std::vector<model::ListenerRow> listeners_;          // the last complete batch (stats_mutex_)
  bool listeners_known_ = false;                       // (stats_mutex_)
  std::thread receiver_;
};

}  // namespace wiretop::engine
