// What one refresh of the full-screen view costs at 10,000 open connections,
// in its two halves: the capture side serving a full snapshot (every row
// copied out of the tracker, with its DPI result: a shard's first snapshot;
// later ones hold only what changed, bench_snapshot.cpp), and the view side (filter, sort, the
// visible rows' text and an ncurses draw into a 200x50 screen on /dev/null).
// At the default 1 s refresh, the sum per refresh is the share of one core the
// view costs (bench/RESULTS.md).

#include <benchmark/benchmark.h>
#include <ncurses.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "dpi/name_table.h"
#include "engine/shard.h"
#include "support/packet_builder.h"
#include "tui/draw.h"
#include "tui/history.h"
#include "tui/table_state.h"

namespace {

using wiretop::model::ConnectionRow;

constexpr int kConnections = 10'000;

// A shard holding kConnections TCP connections (a TLS ClientHello-free SYN,
// SYN-ACK, ACK each: tracked, nothing to inspect) and a packet clock.
struct OpenShard {
  wiretop::dpi::NameTable names;
  std::unique_ptr<wiretop::engine::Shard> shard;
  OpenShard() {
    shard = std::make_unique<wiretop::engine::Shard>(wiretop::flow::TrackerConfig{},
                                                     wiretop::proto::LinkType::Ethernet,
                                                     wiretop::dpi::InspectConfig{}, names,
                                                     [](const ConnectionRow&) {});
    std::int64_t usec = 1'715'679'000'000'000;
    for (int i = 0; i < kConnections; ++i) {
      const std::string client = "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
      const auto port = static_cast<std::uint16_t>(20000 + i % 40000);
      const auto frame = wiretop::testing::PacketBuilder()
                             .ethernet()
                             .ipv4(client, "142.250.1.1")
                             .tcp(port, 443, 0x02, 1000, 0)
                             .build();
      shard->handle(wiretop::core::Timestamp{usec++}, static_cast<std::uint32_t>(frame.size()),
                    wiretop::core::Bytes(frame.data(), frame.size()), 0);
    }
  }
};

// The rows of a shard's first snapshot, which holds every open connection.
std::vector<ConnectionRow> full_snapshot(wiretop::engine::Shard& shard) {
  wiretop::engine::RowDelta delta;
  wiretop::engine::Summary counters;
  shard.request_snapshot();
  shard.serve_snapshot_if_requested();
  shard.take_delta(delta, counters);
  return std::move(delta.rows);
}

void BM_View_EngineSnapshot10k(benchmark::State& state) {
  std::size_t rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto open = std::make_unique<OpenShard>();  // a fresh shard: its first snapshot is a full one
    state.ResumeTiming();
    std::vector<ConnectionRow> served = full_snapshot(*open->shard);
    state.PauseTiming();
    rows = served.size();
    served.clear();
    open.reset();
    state.ResumeTiming();
  }
  if (rows != kConnections) state.SkipWithError("snapshot does not hold every connection");
}
BENCHMARK(BM_View_EngineSnapshot10k)->Unit(benchmark::kMillisecond);

std::vector<ConnectionRow> sample_rows() {
  OpenShard open;
  std::vector<ConnectionRow> rows = full_snapshot(*open.shard);
  auto app = std::make_shared<wiretop::dpi::AppInfo>();
  app->proto = "TLS";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].rate_bps = {static_cast<double>(i % 997), static_cast<double>(i % 313)};
    rows[i].app = app;
    rows[i].server_name = "host" + std::to_string(i % 500) + ".example.com";
  }
  return rows;
}

// A screen on /dev/null: ncurses does all its work, nothing is shown.
struct NullScreen {
  std::FILE* out = std::fopen("/dev/null", "w");
  std::FILE* in = std::fopen("/dev/null", "r");
  SCREEN* screen = nullptr;
  NullScreen() {
    screen = newterm("xterm-256color", out, in);
    if (screen) resizeterm(50, 200);
  }
  ~NullScreen() {
    if (screen) {
      endwin();
      delscreen(screen);
    }
    std::fclose(out);
    std::fclose(in);
  }
};

void view_refresh(benchmark::State& state, const char* filter) {
  const std::vector<ConnectionRow> rows = sample_rows();
  NullScreen null_screen;
  if (!null_screen.screen) {
    state.SkipWithError("no terminfo entry for xterm-256color");
    return;
  }
  wiretop::tui::TableState table;
  table.set_filter(filter);
  wiretop::tui::TableHeader header;
  header.connections = rows.size();
  for (auto _ : state) {
    table.set_rows(rows);  // the view copies what the fetch returned
    wiretop::tui::draw_overview(table, header, 0, wiretop::tui::ScreenFlags{});
  }
}

void BM_View_Refresh10k(benchmark::State& state) { view_refresh(state, ""); }
void BM_View_Refresh10kFiltered(benchmark::State& state) { view_refresh(state, "sni:host1 /example\\.com$/"); }
BENCHMARK(BM_View_Refresh10k)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_View_Refresh10kFiltered)->Unit(benchmark::kMillisecond);

// The Graph and Activity tabs' sample, taken once per refresh on every row
// whichever tab is shown: totals, shares, top hosts and processes, retained bytes.
void BM_View_HistorySample10k(benchmark::State& state) {
  const std::vector<ConnectionRow> rows = sample_rows();
  wiretop::tui::History history;
  for (auto _ : state) {
    history.sample(rows);
    benchmark::DoNotOptimize(history.totals().back());
  }
}
BENCHMARK(BM_View_HistorySample10k)->Unit(benchmark::kMillisecond);

}  // namespace
