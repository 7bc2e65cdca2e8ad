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

TEST(TableState, CycleSort_GoesRateBytesProcessRemoteAgeRtt) {
  TableState s;
  auto rows = sample();
  rows[0].process_name = "curl";
  rows[1].process_name = "zoom";
  rows[2].process_name = "apt";
  s.set_rows(rows);
  s.cycle_sort();
  EXPECT_EQ(s.sort_key(), SortKey::kBytes);
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{3, 1, 2}));
  s.cycle_sort();
  EXPECT_EQ(s.sort_key(), SortKey::kProcess);
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{3, 1, 2}));  // apt, curl, zoom
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

std::vector<model::ConnectionRow> owned() {
  auto rows = sample();  // rates 10, 30, 20
  rows[0].process_name = "curl";
  rows[0].pid = 7;
  rows[1].process_name = "firefox";
  rows[1].pid = 42;
  rows[2].process_name = "firefox";
  rows[2].pid = 42;
  rows.push_back(row(4, 1, 10, "10.0.0.4", 2));  // owner unknown
  return rows;
}

TEST(TableState, Grouping_OneSummaryRowPerProcessWithTotals) {
  TableState s;
  s.set_rows(owned());
  s.toggle_grouping();
  ASSERT_EQ(s.visible().size(), 3u);  // firefox (50/s), curl (10/s), unknown (1/s)
  EXPECT_EQ(s.kind(0), RowKind::kGroup);
  EXPECT_EQ(s.visible()[0].process_name, "firefox");
  EXPECT_EQ(s.group_size(0), 2u);
  EXPECT_DOUBLE_EQ(s.visible()[0].rate_bps[0], 50.0);
  EXPECT_EQ(s.visible()[0].bytes[0], 1000u);
  EXPECT_EQ(s.visible()[1].process_name, "curl");
  EXPECT_EQ(s.group_size(2), 1u);
  EXPECT_FALSE(s.group_expanded(0));
  EXPECT_NE(s.visible()[0].id & kGroupIdBit, 0u);
}

TEST(TableState, Grouping_ExpandListsMembersAndSurvivesRefresh) {
  TableState s;
  s.set_rows(owned());
  s.toggle_grouping();
  s.toggle_selected_group();  // firefox, selected first
  ASSERT_EQ(s.visible().size(), 5u);
  EXPECT_TRUE(s.group_expanded(0));
  EXPECT_EQ(s.kind(1), RowKind::kMember);
  EXPECT_EQ(s.visible()[1].id, 2u);  // members in the current sort: rate 30 then 20
  EXPECT_EQ(s.visible()[2].id, 3u);
  s.set_rows(owned());  // a refresh keeps the group open and the selection on it
  EXPECT_EQ(s.visible().size(), 5u);
  EXPECT_EQ(s.selected_index(), 0u);
  s.move_selection(2);  // a member: toggling collapses its group and selects the group row
  s.toggle_selected_group();
  EXPECT_EQ(s.visible().size(), 3u);
  EXPECT_EQ(s.selected_index(), 0u);
  s.toggle_grouping();
  EXPECT_EQ(ids(s), (std::vector<std::uint64_t>{2, 3, 1, 4}));
}

TEST(TableState, Grouping_AppliesTheFilterFirst) {
  TableState s;
  s.set_rows(owned());
  s.set_filter("10.0.0.9");
  s.toggle_grouping();
  ASSERT_EQ(s.visible().size(), 1u);
  EXPECT_EQ(s.group_size(0), 1u);
}

}  // namespace
}  // namespace wiretop::tui
