#include "tui/table_state.h"

#include <gtest/gtest.h>

namespace wiretop::tui {
namespace {

model::ConnectionRow row(std::uint64_t id, double rate, std::uint64_t bytes, const char* server, double rtt) {
  model::ConnectionRow r;
  r.id = id;
  r.ip_proto = 6;
  r.client_ip = *core::IpAddress::parse("10.0.0.1");
  r.server_ip = *core::IpAddress::parse(server);
  r.has_ports = true;
  r.client_port = static_cast<std::uint16_t>(1000 + id);
  r.server_port = 443;
  r.rate_bps = {rate, 0};
  r.bytes = {bytes, 0};
  r.rtt_ms = rtt;
  r.first_seen = core::Timestamp::from_seconds(static_cast<double>(id));
  r.state = "ESTABLISHED";
  return r;
}

std::vector<model::ConnectionRow> sample() {
  return {row(1, 10, 500, "10.0.0.3", 5), row(2, 30, 100, "10.0.0.2", 1), row(3, 20, 900, "10.0.0.9", 9)};
}

std::vector<std::uint64_t> ids(const TableState& s) {
  std::vector<std::uint64_t> out;
  for (const auto& r : s.visible()) out.push_back(r.id);
  return out;
}

TEST(TableState, DefaultSort_IsRateDescending) {
  TableState s;
  s.set_rows(sample());
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{2, 3, 1}));
}

TEST(TableState, CycleSort_GoesRateBytesRemoteAgeRtt) {
  TableState s;
  s.set_rows(sample());
  s.cycle_sort();
  EXPECT_EQ(s.sort_key(), SortKey::kBytes);
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{3, 1, 2}));
  s.cycle_sort();
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{3, 1, 2}));  // remote, highest address first
  s.cycle_sort();
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{1, 2, 3}));  // oldest first
  s.cycle_sort();
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{3, 1, 2}));
  s.cycle_sort();
  EXPECT_EQ(s.sort_key(), SortKey::kRate);
}

TEST(TableState, ReverseSort_FlipsOrder) {
  TableState s;
  s.set_rows(sample());
  s.reverse_sort();
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{1, 3, 2}));
}

TEST(TableState, Selection_FollowsIdAcrossSortAndRefresh) {
  TableState s;
  s.set_rows(sample());
  s.move_selection(2);
  ASSERT_EQ(s.selected_row()->id, 1u);
  s.cycle_sort();
  EXPECT_EQ(s.selected_row()->id, 1u);
  auto rows = sample();
  rows[0].rate_bps = {100, 0};
  s.set_rows(rows);
  EXPECT_EQ(s.selected_row()->id, 1u);
}

TEST(TableState, Selection_ClampsAndSurvivesDisappearingRow) {
  TableState s;
  s.set_rows(sample());
  s.move_selection(99);
  EXPECT_EQ(s.selected_index(), 2u);
  s.move_selection(-99);
  EXPECT_EQ(s.selected_index(), 0u);
  s.set_rows({});
  EXPECT_EQ(s.selected_row(), nullptr);
  s.move_selection(1);
  EXPECT_EQ(s.selected_row(), nullptr);
}

TEST(TableState, Filter_HidesNonMatchingRows) {
  TableState s;
  s.set_rows(sample());
  s.set_filter("10.0.0.9");
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(s.total_rows(), 3u);
  s.set_filter("");
  EXPECT_EQ(ids(s).size(), 3u);
}

}  // namespace
}  // namespace wiretop::tui
