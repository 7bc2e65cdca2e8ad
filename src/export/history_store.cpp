// The SQLite side of --history: schema, upserts into minute buckets, roll-up
// into hourly/daily buckets and the queries behind `wiretop history` and the
// TUI's history section.
#include "export/history_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace wiretop::exporting {
namespace {

constexpr std::int64_t kMinute = 60, kHour = 3600, kDay = 86400;

// A prepared statement, finalized on every path.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  Statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int step() { return sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS usage("
    " span INTEGER NOT NULL,"         // bucket size in seconds: 60, 3600 or 86400
    " bucket INTEGER NOT NULL,"       // bucket start, Unix seconds
    " kind TEXT NOT NULL,"            // 'process' or 'host'
    " name TEXT NOT NULL,"
    " bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL, connections INTEGER NOT NULL,"
    " UNIQUE(kind, name, span, bucket));"
    "CREATE INDEX IF NOT EXISTS usage_by_time ON usage(bucket);";

constexpr const char* kUpsertTail =
    " ON CONFLICT(kind, name, span, bucket) DO UPDATE SET bytes_in = bytes_in + excluded.bytes_in,"
    " bytes_out = bytes_out + excluded.bytes_out, connections = connections + excluded.connections";

// Creates the missing directories of `dir`, each 0700 (usage names hosts and processes).
std::string make_directories(const std::string& dir) {
  std::string partial;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    partial = dir.substr(0, pos);
    if (partial.empty()) continue;
    struct stat st {};
    if (::stat(partial.c_str(), &st) == 0) continue;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
      return "cannot create " + partial + ": " + std::strerror(errno);
  }
  return {};
}

// The file exists and is 0600 before SQLite opens it: SQLite gives the -wal and
// -shm files the database's own mode.
std::string make_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return "cannot create " + path + ": " + std::strerror(errno);
  const bool ok = ::fchmod(fd, 0600) == 0;
  const std::string why = std::strerror(errno);
  ::close(fd);
  if (!ok) return "cannot make " + path + " private (0600): " + why;
  for (const char* suffix : {"-wal", "-shm"}) ::chmod((path + suffix).c_str(), 0600);  // earlier runs' files
  return {};
}

}  // namespace

const char* usage_kind_name(UsageKind kind) { return kind == UsageKind::kHost ? "host" : "process"; }

std::string HistoryStore::default_path() {
  const char* xdg = std::getenv("XDG_STATE_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/wiretop/history.sqlite";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/state/wiretop/history.sqlite";
}

std::string HistoryStore::directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

core::Result<std::unique_ptr<HistoryStore>, std::string> HistoryStore::open(const std::string& path,
                                                                             HistoryBounds bounds) {
  const std::string prefix = "--history: ";
  if (std::string e = make_directories(directory_of(path)); !e.empty()) return core::Err{prefix + e};
  if (std::string e = make_private_file(path); !e.empty()) return core::Err{prefix + e};
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr) != SQLITE_OK) {
    const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return core::Err{prefix + path + ": " + why};
  }
  std::unique_ptr<HistoryStore> store(new HistoryStore(db, bounds));
  sqlite3_busy_timeout(db, 2000);  // another wiretop writing the same file
  // WAL keeps readers (wiretop history) off the writer's back; a write here
  // creates the -wal and -shm files now, before the sandbox.
  if (!store->exec("PRAGMA journal_mode=WAL") || !store->exec("PRAGMA temp_store=MEMORY") ||
      !store->exec("PRAGMA synchronous=NORMAL") || !store->exec(kSchema) ||
      !store->exec("BEGIN IMMEDIATE; DELETE FROM usage WHERE 0; COMMIT"))
    return core::Err{prefix + path + ": " + store->error_};
  Statement mode(db, "PRAGMA journal_mode");
  if (!mode.ok() || mode.step() != SQLITE_ROW || mode.text(0) != "wal")
    return core::Err{prefix + path + ": the write-ahead log cannot be enabled here"};
  return store;
}

HistoryStore::~HistoryStore() { sqlite3_close(db_); }

bool HistoryStore::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
  error_ = message ? message : sqlite3_errmsg(db_);
  sqlite3_free(message);
  return false;
}

std::string HistoryStore::last_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

bool HistoryStore::add(const std::vector<UsageEntry>& entries) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!exec("BEGIN IMMEDIATE")) return false;
  const std::string sql =
      std::string("INSERT INTO usage(span, bucket, kind, name, bytes_in, bytes_out, connections) "
                  "VALUES(60, ?1, ?2, ?3, ?4, ?5, ?6)") + kUpsertTail;
  Statement insert(db_, sql.c_str());
  bool ok = insert.ok();
  for (const UsageEntry& e : entries) {
    if (!ok) break;
    insert.bind(1, e.minute - e.minute % kMinute).bind(2, std::string(usage_kind_name(e.kind))).bind(3, e.name);
    insert.bind(4, static_cast<std::int64_t>(e.counts.bytes_in))
        .bind(5, static_cast<std::int64_t>(e.counts.bytes_out))
        .bind(6, static_cast<std::int64_t>(e.counts.connections));
    ok = insert.step() == SQLITE_DONE;
    insert.reset();
  }
  if (!ok) {
    error_ = sqlite3_errmsg(db_);
    exec("ROLLBACK");
    return false;
  }
  return exec("COMMIT");
}

// Rows of `from_span` that start before `before_s` are summed into `to_span`
// buckets and removed, in the caller's transaction.
bool HistoryStore::fold(std::int64_t from_span, std::int64_t to_span, std::int64_t before_s) {
  const std::string sql =
      std::string("INSERT INTO usage(span, bucket, kind, name, bytes_in, bytes_out, connections) "
                  "SELECT ?1, bucket - (bucket % ?1), kind, name, sum(bytes_in), sum(bytes_out), sum(connections) "
                  "FROM usage WHERE span = ?2 AND bucket < ?3 GROUP BY 2, kind, name") + kUpsertTail;
  Statement insert(db_, sql.c_str());
  if (!insert.ok()) return false;
  insert.bind(1, to_span).bind(2, from_span).bind(3, before_s);
  if (insert.step() != SQLITE_DONE) return false;
  Statement drop(db_, "DELETE FROM usage WHERE span = ?1 AND bucket < ?2");
  return drop.ok() && drop.bind(1, from_span).bind(2, before_s).step() == SQLITE_DONE;
}

// Past max_rows, the oldest buckets go first (they are the coarsest, too).
bool HistoryStore::cap_rows() {
  Statement count(db_, "SELECT count(*) FROM usage");
  if (!count.ok() || count.step() != SQLITE_ROW) return false;
  const std::int64_t excess = count.integer(0) - bounds_.max_rows;
  if (excess <= 0) return true;
  Statement drop(db_, "DELETE FROM usage WHERE rowid IN (SELECT rowid FROM usage ORDER BY bucket LIMIT ?1)");
  return drop.ok() && drop.bind(1, excess).step() == SQLITE_DONE;
}

bool HistoryStore::roll_up(std::int64_t now_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!exec("BEGIN IMMEDIATE")) return false;
  // Cut on whole target buckets, so an hour or a day is never split between two spans.
  const std::int64_t hour_cut = (now_s - bounds_.minutes_for_s) - (now_s - bounds_.minutes_for_s) % kHour;
  const std::int64_t day_cut = (now_s - bounds_.hours_for_s) - (now_s - bounds_.hours_for_s) % kDay;
  Statement expire(db_, "DELETE FROM usage WHERE bucket < ?1");
  const bool ok = fold(kMinute, kHour, hour_cut) && fold(kHour, kDay, day_cut) && expire.ok() &&
                  expire.bind(1, now_s - bounds_.days_for_s).step() == SQLITE_DONE && cap_rows();
  if (!ok) {
    error_ = sqlite3_errmsg(db_);
    exec("ROLLBACK");
    return false;
  }
  return exec("COMMIT");
}

std::vector<UsageTotal> HistoryStore::totals(std::int64_t since_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<UsageTotal> out;
  Statement q(db_,
              "SELECT kind, name, sum(bytes_in), sum(bytes_out), sum(connections) FROM usage WHERE bucket >= ?1 "
              "GROUP BY kind, name ORDER BY sum(bytes_in) + sum(bytes_out) DESC, kind, name");
  if (!q.ok()) return out;
  q.bind(1, since_s);
  while (q.step() == SQLITE_ROW) {
    UsageTotal t;
    t.kind = q.text(0) == "host" ? UsageKind::kHost : UsageKind::kProcess;
    t.name = q.text(1);
    t.counts = {static_cast<std::uint64_t>(q.integer(2)), static_cast<std::uint64_t>(q.integer(3)),
                static_cast<std::uint64_t>(q.integer(4))};
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<UsagePeriods> HistoryStore::periods(const std::int64_t (&starts)[3], int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<UsagePeriods> out;
  Statement q(db_,
              "SELECT kind, name, sum(CASE WHEN bucket >= ?1 THEN bytes_in + bytes_out ELSE 0 END),"
              " sum(CASE WHEN bucket >= ?2 THEN bytes_in + bytes_out ELSE 0 END), sum(bytes_in + bytes_out) "
              "FROM usage WHERE bucket >= ?3 GROUP BY kind, name ORDER BY 5 DESC, kind, name");
  if (!q.ok()) return out;
  q.bind(1, starts[0]).bind(2, starts[1]).bind(3, starts[2]);
  int shown[2] = {0, 0};
  while (q.step() == SQLITE_ROW) {
    UsagePeriods p;
    p.kind = q.text(0) == "host" ? UsageKind::kHost : UsageKind::kProcess;
    int& n = shown[p.kind == UsageKind::kHost ? 1 : 0];
    if (n >= limit) continue;
    ++n;
    p.name = q.text(1);
    for (int i = 0; i < 3; ++i) p.bytes[i] = static_cast<std::uint64_t>(q.integer(2 + i));
    out.push_back(std::move(p));
  }
  return out;
}

std::int64_t HistoryStore::rows(std::int64_t span_s) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement q(db_, "SELECT count(*) FROM usage WHERE span = ?1");
  if (!q.ok()) return -1;
  q.bind(1, span_s);
  return q.step() == SQLITE_ROW ? q.integer(0) : -1;
}

}  // namespace wiretop::exporting
