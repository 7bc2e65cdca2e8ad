// Delta snapshots (issue 9): a shard serves only the rows that changed since
// its last snapshot plus the ids that ended, and a RowMap patched by those
// deltas holds exactly what a full snapshot would.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "dpi/name_table.h"
#include "engine/row_map.h"
#include "engine/shard.h"
#include "engine/spsc_ring.h"
#include "support/packet_builder.h"

namespace wiretop::engine {
namespace {

using testing::PacketBuilder;

constexpr std::int64_t kStart = 1'715'679'000'000'000;

// Connection `i`: UDP from its own client to port 5000, or to port 53 (a DNS
// record, which times out after 5 s instead of 30 s) when `dns`.
std::vector<std::uint8_t> udp_frame(int i, std::size_t payload, bool dns = false) {
  const std::string client = "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1);
  return PacketBuilder()
      .ethernet()
      .ipv4(client, "192.0.2.7")
      .udp(static_cast<std::uint16_t>(30000 + i), dns ? 53 : 5000)
      .payload(std::string(payload, 'x'))
      .build();
}

struct TestShard {
  dpi::NameTable names;
  Shard shard{flow::TrackerConfig{}, proto::LinkType::Ethernet, dpi::InspectConfig{}, names,
              [](const model::ConnectionRow&) {}};

  void packet(int i, std::int64_t usec, std::size_t payload = 10, bool dns = false) {
    const auto f = udp_frame(i, payload, dns);
    shard.handle(core::Timestamp{usec}, static_cast<std::uint32_t>(f.size()), core::Bytes(f.data(), f.size()), 0);
  }
  void tick(std::int64_t usec) { shard.handle(core::Timestamp{usec}, 0, {}, kRecordTick); }
  RowDelta serve() {
    shard.request_snapshot();
    shard.serve_snapshot_if_requested();
    RowDelta delta;
    Summary counters;
    shard.take_delta(delta, counters);
    return delta;
  }
};

std::vector<std::uint64_t> ids_of(const std::vector<model::ConnectionRow>& rows) {
  std::vector<std::uint64_t> ids;
  for (const auto& r : rows) ids.push_back(r.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(ShardSnapshot, FirstIsFull_ThenOnlyTheTouchedRows) {
  TestShard t;
  for (int i = 0; i < 100; ++i) t.packet(i, kStart + i);
  RowDelta first = t.serve();
  EXPECT_TRUE(first.full);
  ASSERT_EQ(first.rows.size(), 100u);
  const std::vector<std::uint64_t> all = ids_of(first.rows);

  for (int i : {7, 42, 99}) t.packet(i, kStart + 1'000'000 + i);
  const RowDelta delta = t.serve();
  EXPECT_FALSE(delta.full);
  EXPECT_TRUE(delta.ended.empty());
  EXPECT_EQ(ids_of(delta.rows), (std::vector<std::uint64_t>{all[7], all[42], all[99]}));
  for (const auto& r : delta.rows) EXPECT_EQ(r.packets[0], 2u);

  EXPECT_TRUE(t.serve().rows.empty());  // nothing happened since
}

TEST(ShardSnapshot, EndedConnectionIsReportedOnce) {
  TestShard t;
  t.packet(0, kStart, 10, /*dns=*/true);
  for (int i = 1; i < 10; ++i) t.packet(i, kStart + i);
  const RowDelta first = t.serve();
  ASSERT_EQ(first.rows.size(), 10u);
  const auto dns = std::find_if(first.rows.begin(), first.rows.end(), [](const auto& r) { return r.server_port == 53; });
  ASSERT_NE(dns, first.rows.end());
  const std::uint64_t dns_id = dns->id;

  t.tick(kStart + 6'000'000);  // past the DNS timeout, within UDP's
  const RowDelta ended = t.serve();
  EXPECT_TRUE(ended.rows.empty());
  EXPECT_EQ(ended.ended, (std::vector<std::uint64_t>{dns_id}));
  EXPECT_TRUE(t.serve().ended.empty());
}

// A view that stops asking (the TUI paused) does not make the ended ids pile
// up: past the cap the next snapshot is full, and has no ended ids.
TEST(ShardSnapshot, TooManyEndedIdsGiveAFullSnapshot) {
  TestShard t;
  t.shard.set_max_ended_ids(3);
  for (int i = 0; i < 5; ++i) t.packet(i, kStart + i, 10, /*dns=*/true);
  t.packet(10, kStart + 10);
  ASSERT_EQ(t.serve().rows.size(), 6u);
  t.tick(kStart + 6'000'000);  // the five DNS records time out: over the cap
  const RowDelta after = t.serve();
  EXPECT_TRUE(after.full);
  EXPECT_TRUE(after.ended.empty());
  ASSERT_EQ(after.rows.size(), 1u);
  EXPECT_EQ(after.rows[0].client_port, 30010);
  const RowDelta next = t.serve();  // back to deltas
  EXPECT_FALSE(next.full);
  EXPECT_TRUE(next.rows.empty());
}

// Rates of an idle row decay although the row is not re-served.
TEST(ShardSnapshot, IdleRowRatesDecayOnTheViewSide) {
  TestShard t;
  t.packet(0, kStart, 1000);
  RowMap map;
  map.apply(t.serve());
  t.tick(kStart + 1'500'000);
  RowDelta d = t.serve();
  EXPECT_TRUE(d.rows.empty());
  map.apply(std::move(d));
  std::vector<model::ConnectionRow> rows;
  map.append_to(rows);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_GT(rows[0].rate_bps[0], 0.0);

  t.tick(kStart + 5'000'000);
  map.apply(t.serve());
  rows.clear();
  map.append_to(rows);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].rate_bps[0], 0.0);
}

// A MAC binding learned after a row was served names that row's end: the
// row is served again, and only the rows of that address.
TEST(ShardSnapshot, NewNeighborReservesTheRowsOfItsAddress) {
  TestShard t;
  for (int i = 0; i < 5; ++i) t.packet(i, kStart + i);
  const RowDelta first = t.serve();
  ASSERT_EQ(first.rows.size(), 5u);
  for (const auto& r : first.rows) EXPECT_FALSE(r.ends[0].has_mac);

  const auto arp = PacketBuilder()
                       .ethernet()
                       .arp(2, testing::kMacA, "10.1.0.3", testing::kMacB, "10.1.0.9")
                       .build();
  t.shard.handle(core::Timestamp{kStart + 100}, static_cast<std::uint32_t>(arp.size()),
                 core::Bytes(arp.data(), arp.size()), 0);
  const RowDelta d = t.serve();
  EXPECT_FALSE(d.full);
  ASSERT_EQ(d.rows.size(), 1u);
  EXPECT_EQ(d.rows[0].client_ip.to_string(), "10.1.0.3");
  EXPECT_TRUE(d.rows[0].ends[0].has_mac);
}

void expect_same_rows(std::vector<model::ConnectionRow> a, std::vector<model::ConnectionRow> b) {
  const auto by_id = [](const auto& x, const auto& y) { return x.id < y.id; };
  std::sort(a.begin(), a.end(), by_id);
  std::sort(b.begin(), b.end(), by_id);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("row id " + std::to_string(a[i].id));
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].packets, b[i].packets);
    EXPECT_EQ(a[i].bytes, b[i].bytes);
    EXPECT_EQ(a[i].last_seen, b[i].last_seen);
    EXPECT_EQ(a[i].state, b[i].state);
    EXPECT_EQ(a[i].rate_bps, b[i].rate_bps);
    EXPECT_EQ(a[i].idle_timeout_s, b[i].idle_timeout_s);
    EXPECT_EQ(a[i].client_port, b[i].client_port);
  }
}

// Two shards fed the same packets: one serves a delta every round into a
// RowMap, the other serves once at the end (a full snapshot). Connections
// start, see traffic, go idle (rates decaying) and time out along the way.
TEST(ShardSnapshot, MapPatchedByDeltasEqualsAFullSnapshot) {
  TestShard patched, reference;
  RowMap map;
  std::uint32_t lcg = 12345;
  const auto next = [&lcg](std::uint32_t n) {
    lcg = lcg * 1103515245u + 12345u;
    return (lcg >> 8) % n;
  };
  std::int64_t usec = kStart;
  std::size_t served_rows = 0;
  for (int round = 0; round < 40; ++round) {
    for (int n = 0; n < 20; ++n) {
      const int i = static_cast<int>(next(200));
      const std::size_t payload = 1 + next(1200);
      const bool dns = i % 5 == 0;
      usec += 1 + next(20'000);
      patched.packet(i, usec, payload, dns);
      reference.packet(i, usec, payload, dns);
    }
    usec += next(3) * 1'000'000;
    patched.tick(usec);
    reference.tick(usec);
    RowDelta d = patched.serve();
    if (round > 0) {
      EXPECT_FALSE(d.full);
    }
    served_rows += d.rows.size();
    map.apply(std::move(d));
  }
  std::vector<model::ConnectionRow> from_deltas, full;
  map.append_to(from_deltas);
  RowDelta once = reference.serve();
  ASSERT_TRUE(once.full);
  RowMap fresh;
  fresh.apply(std::move(once));
  fresh.append_to(full);
  EXPECT_FALSE(full.empty());
  expect_same_rows(from_deltas, full);
  EXPECT_LT(served_rows, 40u * 20u);  // only what changed was served
}

}  // namespace
}  // namespace wiretop::engine
