// What serving one snapshot costs the shard that owns 100,000 open connections
// when 1% of them saw a packet since the previous one (issue 9: snapshots grow
// with what changed, not with the table). Each iteration touches the next 1%
// (untimed), moves the packet clock on by a second, and times one request →
// serve → take round (before delta snapshots this served all 100,000 rows).

#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "dpi/name_table.h"
#include "engine/row_map.h"
#include "engine/shard.h"
#include "support/packet_builder.h"

namespace {

using wiretop::model::ConnectionRow;

constexpr int kConnections = 100'000;
constexpr int kTouched = kConnections / 100;
constexpr std::int64_t kStartUsec = 1'715'679'000'000'000;

std::vector<std::uint8_t> syn_of(int i) {
  const std::string client = "10." + std::to_string(i / 62500) + "." + std::to_string(i / 250 % 250) + "." +
                             std::to_string(i % 250 + 1);
  return wiretop::testing::PacketBuilder()
      .ethernet()
      .ipv4(client, "142.250.1.1")
      .tcp(static_cast<std::uint16_t>(20000 + i % 40000), 443, 0x02, 1000, 0)
      .build();
}

struct FullShard {
  wiretop::dpi::NameTable names;
  std::unique_ptr<wiretop::engine::Shard> shard;
  std::vector<std::vector<std::uint8_t>> frames;
  std::int64_t usec = kStartUsec;
  int next_touch = 0;

  FullShard() {
    wiretop::flow::TrackerConfig config;
    config.timeouts.tcp_handshake = wiretop::core::Duration::seconds(86400);  // none ends meanwhile
    shard = std::make_unique<wiretop::engine::Shard>(config, wiretop::proto::LinkType::Ethernet,
                                                     wiretop::dpi::InspectConfig{}, names,
                                                     [](const ConnectionRow&) {});
    for (int i = 0; i < kConnections; ++i) {
      frames.push_back(syn_of(i));
      feed(i);
    }
  }
  void feed(int i) {
    const auto& f = frames[static_cast<std::size_t>(i)];
    shard->handle(wiretop::core::Timestamp{usec++}, static_cast<std::uint32_t>(f.size()),
                  wiretop::core::Bytes(f.data(), f.size()), 0);
  }
  // The next 1% of the connections see a packet, a second after the last round.
  void touch_next() {
    usec += 1'000'000;
    for (int n = 0; n < kTouched; ++n) {
      feed(next_touch);
      next_touch = (next_touch + 1) % kConnections;
    }
  }
};

void BM_Snapshot_100kTouch1pct(benchmark::State& state) {
  FullShard full;
  wiretop::engine::RowDelta delta;
  wiretop::engine::Summary counters;
  full.shard->request_snapshot();
  full.shard->serve_snapshot_if_requested();
  full.shard->take_delta(delta, counters);
  std::size_t served = 0;
  for (auto _ : state) {
    state.PauseTiming();
    full.touch_next();
    state.ResumeTiming();
    full.shard->request_snapshot();
    full.shard->serve_snapshot_if_requested();
    full.shard->take_delta(delta, counters);
    served = delta.rows.size();
  }
  state.counters["rows_served"] = static_cast<double>(served);
}
BENCHMARK(BM_Snapshot_100kTouch1pct)->Unit(benchmark::kMillisecond);

// The view side of the same round: patching the engine's map of 100,000 rows
// with the delta, then copying every row out for the table (Engine::take_snapshot).
void BM_Snapshot_100kTouch1pctViewSide(benchmark::State& state) {
  FullShard full;
  wiretop::engine::RowDelta delta;
  wiretop::engine::Summary counters;
  wiretop::engine::RowMap map;
  full.shard->request_snapshot();
  full.shard->serve_snapshot_if_requested();
  full.shard->take_delta(delta, counters);
  map.apply(std::move(delta));
  std::vector<ConnectionRow> rows;
  for (auto _ : state) {
    state.PauseTiming();
    full.touch_next();
    full.shard->request_snapshot();
    full.shard->serve_snapshot_if_requested();
    full.shard->take_delta(delta, counters);
    rows.clear();
    state.ResumeTiming();
    map.apply(std::move(delta));
    map.append_to(rows);
  }
  if (rows.size() != kConnections) state.SkipWithError("the map does not hold every connection");
}
BENCHMARK(BM_Snapshot_100kTouch1pctViewSide)->Unit(benchmark::kMillisecond);

}  // namespace
