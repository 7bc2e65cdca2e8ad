// Sums ended connections per minute, process and host for --history.
#include "export/history_recorder.h"

#include <vector>

namespace wiretop::exporting {

LocalView local_view(const model::ConnectionRow& row) {
  // Forwarded traffic (neither end local) counts as the client's, like offline.
  const bool server_is_ours = row.locality_known && row.server_local && !row.client_local;
  LocalView v;
  v.process = row.process_name.empty() ? "(unknown)" : row.process_name;
  v.remote_host = (server_is_ours ? row.client_ip : row.server_ip).to_string();
  v.counts.bytes_out = row.bytes[server_is_ours ? 1 : 0];
  v.counts.bytes_in = row.bytes[server_is_ours ? 0 : 1];
  v.counts.connections = 1;
  v.packets_out = row.packets[server_is_ours ? 1 : 0];
  v.packets_in = row.packets[server_is_ours ? 0 : 1];
  return v;
}

void HistoryRecorder::on_connection_end(const model::ConnectionRow& row) {
  const LocalView v = local_view(row);
  const std::int64_t seconds = row.last_seen.usec / 1'000'000;
  const std::int64_t minute = seconds - ((seconds % 60) + 60) % 60;
  pending_[Key{minute, UsageKind::kProcess, v.process}].add(v.counts);
  pending_[Key{minute, UsageKind::kHost, v.remote_host}].add(v.counts);
  maybe_flush(row.last_seen);
}

void HistoryRecorder::on_tick(core::Timestamp now) { maybe_flush(now); }

void HistoryRecorder::maybe_flush(core::Timestamp now) {
  if (now.usec > newest_.usec) newest_ = now;
  if (last_flush_.usec == 0) last_flush_ = last_roll_up_ = newest_;
  if (newest_.usec - last_flush_.usec < kFlushEveryUsec && pending_.size() < kMaxPending) return;
  last_flush_ = newest_;
  flush();
  if (newest_.usec - last_roll_up_.usec >= kRollUpEveryUsec) {
    last_roll_up_ = newest_;
    if (!store_->roll_up(newest_.usec / 1'000'000)) ++failures_;
  }
}

void HistoryRecorder::flush() {
  if (pending_.empty()) return;
  std::vector<UsageEntry> entries;
  entries.reserve(pending_.size());
  for (auto& [key, counts] : pending_)
    entries.push_back(UsageEntry{std::get<0>(key), std::get<1>(key), std::get<2>(key), counts});
  pending_.clear();
  if (!store_->add(entries)) ++failures_;
}

void HistoryRecorder::finish() {
  flush();
  if (newest_.usec != 0 && !store_->roll_up(newest_.usec / 1'000'000)) ++failures_;
}

}  // namespace wiretop::exporting
