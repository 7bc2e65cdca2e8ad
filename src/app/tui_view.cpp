#include "app/tui_view.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <ctime>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include "app/closed_retention.h"
#include "engine/interface_stats.h"
#include "tui/overview.h"

namespace wiretop::app {
namespace {

// Connections that ended, as the engine's sink reports them; bounded like every buffer.
class EndedRows {
 public:
  void add(const model::ConnectionRow& row) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (rows_.size() < kCap) rows_.push_back(row);
  }
  // Appends ended rows whose id is not already among `rows` (a snapshot may lag behind).
  void append_to(std::vector<model::ConnectionRow>& rows) {
    std::unordered_set<std::uint64_t> seen;
    for (const auto& r : rows) seen.insert(r.id);
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& r : rows_) {
      if (!seen.count(r.id)) rows.push_back(r);
    }
  }

 private:
  static constexpr std::size_t kCap = 100000;
  std::mutex mutex_;
  std::vector<model::ConnectionRow> rows_;
};

// Alerts as the engine raises them, for the Alerts tab: the newest kCap, and the count of all.
class AlertList {
 public:
  void add(const model::Alert& alert) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (alerts_.size() == kCap) alerts_.pop_front();
    alerts_.push_back(alert);
    ++total_;
  }
  void fill(tui::TableHeader& header) {
    std::lock_guard<std::mutex> lock(mutex_);
    header.alert_count = total_;
    header.alerts.assign(alerts_.rbegin(), alerts_.rend());  // newest first
  }

 private:
  static constexpr std::size_t kCap = 1000;  // a screenful many times over
  std::mutex mutex_;
  std::deque<model::Alert> alerts_;
  unsigned long long total_ = 0;
};

core::Timestamp wall_clock_now() {
  return core::Timestamp{std::chrono::duration_cast<std::chrono::microseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count()};
}

// Leaves out connections between loopback addresses unless asked for; counts them.
std::size_t drop_localhost(std::vector<model::ConnectionRow>& rows) {
  const auto loopback = [](const model::ConnectionRow& r) {
    return r.client_ip.is_loopback() && r.server_ip.is_loopback();
  };
  const auto first = std::remove_if(rows.begin(), rows.end(), loopback);
  const auto hidden = static_cast<std::size_t>(rows.end() - first);
  rows.erase(first, rows.end());
  return hidden;
}

double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<tui::InterfaceStats> interface_stats(const std::vector<engine::InterfaceSample>& samples) {
  std::vector<tui::InterfaceStats> out;
  out.reserve(samples.size());
  for (const auto& s : samples) {
    const auto& c = s.counters;
    out.push_back({c.name, s.rx_bytes_per_s, s.tx_bytes_per_s, s.has_rates, c.rx_packets, c.tx_packets,
                   c.rx_errors, c.tx_errors, c.rx_dropped, c.tx_dropped});
  }
  return out;
}

// Local midnight of `now` (seconds): where "today" starts.
std::int64_t local_midnight(std::int64_t now) {
  const std::time_t t = static_cast<std::time_t>(now);
  std::tm local{};
  localtime_r(&t, &local);
  return now - (local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec);
}

// --history's totals up to the packet clock `now`, read at most every 5 s (the
// recorder writes every ~10 s of packet clock).
class UsageReader {
 public:
  explicit UsageReader(exporting::HistoryStore* store) : store_(store) {}
  void fill(core::Timestamp now, model::UsageHistory& out) {
    if (!store_) return;
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (!read_once_ || t - last_read_ >= 5.0) {
      read_once_ = true;
      last_read_ = t;
      const std::int64_t s = now.usec / 1'000'000;
      const std::int64_t starts[3] = {local_midnight(s), s - 7 * 86400, s - 30 * 86400};
      cached_.enabled = true;
      cached_.rows.clear();
      for (const auto& p : store_->periods(starts, kPerKind))
        cached_.rows.push_back({p.kind == exporting::UsageKind::kHost, p.name, {p.bytes[0], p.bytes[1], p.bytes[2]}});
    }
    out = cached_;
  }

 private:
  static constexpr int kPerKind = 5;
  exporting::HistoryStore* store_;
  bool read_once_ = false;
  double last_read_ = 0;
  model::UsageHistory cached_;
};

// The Listen tab's data: the helper's newest list, each listener's open
// connections counted from this snapshot's rows (before ended ones join them).
void fill_listeners(const engine::Engine& engine, const std::vector<model::ConnectionRow>& rows,
                    tui::TableHeader& header) {
  header.listeners_note.clear();
  if (!engine.live()) {
    header.listeners.clear();
    header.listeners_note = "(reading a capture file: listening sockets are this host's, shown on live capture only)";
    return;
  }
  if (!engine.listeners(header.listeners)) {
    header.listeners_note = "(no list of listening sockets: attribution " + engine.attribution_status() + ")";
    return;
  }
  model::ListenerCounter counter;
  for (const auto& r : rows) counter.add(r);
  counter.fill(header.listeners);
}

}  // namespace

int run_tui_view(engine::Engine& engine, const TuiViewOptions& options, std::atomic<bool>& stop) {
  // Live: ended connections stay listed while --keep-closed allows. Offline: all of them do.
  const bool live = engine.live();
  EndedRows ended;
  AlertList alerts;
  // Set before the engine runs: its alert sink calls this from the engine's thread.
  if (options.alerts) options.alerts->view = [&alerts](const model::Alert& a) { alerts.add(a); };
  ClosedRetention retained(options.keep_closed);
  engine::Summary summary;
  std::atomic<bool> finished{false};
  std::thread worker([&] {
    summary = engine.run(
        [&](const model::ConnectionRow& row) {
          if (live) retained.add(row);
          else ended.add(row);
        },
        stop);
    finished.store(true);
    if (!options.hold) stop.store(true);
  });
  engine.request_snapshot();
  engine::InterfaceStatsSampler interfaces;  // reads /sys/class/net every 2 s
  std::vector<tui::InterfaceStats> interface_rows;
  UsageReader usage(options.history);
  const tui::FetchRows fetch = [&](std::vector<model::ConnectionRow>& rows, tui::TableHeader& header) {
    engine::Summary counters;
    if (finished.load()) {
      counters = summary;
    } else {
      engine.take_snapshot(rows, counters);
      engine.request_snapshot();
    }
    if (finished.load()) rows.clear();  // the engine reported every connection as ended
    fill_listeners(engine, rows, header);
    ended.append_to(rows);
    if (live) retained.append_live(rows);
    header.hidden_localhost = options.show_localhost ? 0 : drop_localhost(rows);
    header.attribution = counters.attribution_status;
    if (options.services) {
      for (auto& r : rows)
        if (r.has_ports) r.service = options.services->service(r.ip_proto, r.server_port);
    }
    if (options.enricher)
      for (auto& r : rows) options.enricher->apply(r);
    // The packet clock: live it is the wall clock; a replay's is its newest packet.
    header.now = live ? wall_clock_now() : core::Timestamp{};
    if (!live)
      for (const auto& r : rows) header.now = std::max(header.now, r.last_seen);
    header.source = options.source;
    header.sandbox = options.sandbox;
    header.connections = rows.size();
    header.packets = finished.load() ? summary.packets : counters.ip_packets + counters.non_ip;
    header.drops = counters.capture_drops + counters.interface_drops + counters.ring_drops;
    if (interfaces.poll(monotonic_seconds())) interface_rows = interface_stats(interfaces.latest());
    header.interfaces = interface_rows;
    usage.fill(header.now, header.usage);
    header.alerts_enabled = options.alerts != nullptr;
    if (options.alerts) alerts.fill(header);
  };
  try {
    tui::OverviewOptions overview;
    overview.refresh_ms = options.refresh_ms;
    overview.color = options.color;
    overview.remote_names = options.resolve;
    overview.sandbox_layers = options.sandbox_layers;
    tui::run_overview(overview, fetch, stop);
  } catch (...) {
    // The terminal is already restored by the view's guard; stop the engine before rethrowing.
    stop.store(true);
    worker.join();
    throw;
  }
  stop.store(true);
  worker.join();
  if (!summary.warning.empty())
    std::fprintf(stderr, "wiretop: warning: capture file ends early (%s)\n", summary.warning.c_str());
  return 0;
}

}  // namespace wiretop::app
