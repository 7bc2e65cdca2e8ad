#pragma once
// Usage history (issue 10, --history): per-process and per-remote-host byte
// totals kept across runs in one SQLite database. Rows are minute buckets;
// roll_up() folds minutes older than two days into hours, hours older than 30
// days into days, drops days older than 400 days and caps the row count, so
// the file stays bounded. Everything is opened and created by open(), before
// the sandbox: the database (0600, its directory 0700 when we create it), and
// its -wal/-shm files (write-ahead log, temp_store=MEMORY: no temporary files).
// "Now" is always passed in: the packet clock when recording.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"

struct sqlite3;

namespace wiretop::exporting {

enum class UsageKind : std::uint8_t { kProcess, kHost };
const char* usage_kind_name(UsageKind kind);  // "process", "host"

struct UsageCounts {
  std::uint64_t bytes_in = 0, bytes_out = 0, connections = 0;
  void add(const UsageCounts& o) {
    bytes_in += o.bytes_in;
    bytes_out += o.bytes_out;
    connections += o.connections;
  }
};

// One minute's usage of one process or host, as the recorder hands it over.
struct UsageEntry {
  std::int64_t minute = 0;  // bucket start, Unix seconds, a multiple of 60
  UsageKind kind = UsageKind::kProcess;
  std::string name;
  UsageCounts counts;
};

struct UsageTotal {
  UsageKind kind = UsageKind::kProcess;
  std::string name;
  UsageCounts counts;
};

// Totals over three periods ending now (the TUI's today / 7 days / 30 days).
struct UsagePeriods {
  UsageKind kind = UsageKind::kProcess;
  std::string name;
  std::uint64_t bytes[3] = {0, 0, 0};  // in + out since each of the three starts
};

struct HistoryBounds {
  std::int64_t minutes_for_s = 2 * 86400;    // minute rows older than this become hourly
  std::int64_t hours_for_s = 30 * 86400;     // hourly rows older than this become daily
  std::int64_t days_for_s = 400 * 86400;     // daily rows older than this are deleted
  std::int64_t max_rows = 2'000'000;         // past this, the oldest rows go first
};

class HistoryStore {
 public:
  ~HistoryStore();
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // Creates or opens the database; the error is one line for the user.
  static core::Result<std::unique_ptr<HistoryStore>, std::string> open(const std::string& path,
                                                                        HistoryBounds bounds = {});
  // $XDG_STATE_HOME/wiretop/history.sqlite, else ~/.local/state/wiretop/history.sqlite.
  static std::string default_path();
  static std::string directory_of(const std::string& path);

  // Adds the entries to their minute buckets in one transaction. False (and
  // last_error()) when the write failed; the data path counts, never throws.
  bool add(const std::vector<UsageEntry>& entries);
  // Folds old rows into coarser buckets and enforces the bounds, relative to `now_s`.
  bool roll_up(std::int64_t now_s);
  // Totals per process and host over buckets that start at or after `since_s`,
  // largest first.
  std::vector<UsageTotal> totals(std::int64_t since_s);
  // In+out bytes since each of starts[0..2] (today, 7 days, 30 days: starts[2]
  // the earliest), at most `limit` names of each kind, ranked by the widest period.
  std::vector<UsagePeriods> periods(const std::int64_t (&starts)[3], int limit);
  // Rows per bucket size (60, 3600, 86400): tests and `wiretop history --json`.
  std::int64_t rows(std::int64_t span_s);
  std::string last_error() const;

 private:
  HistoryStore(sqlite3* db, HistoryBounds bounds) : db_(db), bounds_(bounds) {}
  bool exec(const char* sql);
  bool fold(std::int64_t from_span, std::int64_t to_span, std::int64_t before_s);
  bool cap_rows();

  sqlite3* db_;
  HistoryBounds bounds_;
  mutable std::mutex mutex_;  // the recorder writes from the output side, views read
  std::string error_;
};

}  // namespace wiretop::exporting
