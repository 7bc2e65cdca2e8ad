#include "tui/chart.h"

#include <gtest/gtest.h>

namespace wiretop::tui {
namespace {

TEST(Chart, Scale_IsTheNextRoundStepInBinaryUnits) {
  EXPECT_EQ(chart_scale(0), 1024);
  EXPECT_EQ(chart_scale(1024), 1024);
  EXPECT_EQ(chart_scale(1500), 2048);
  EXPECT_EQ(chart_scale(80 * 1024), 100 * 1024);
  EXPECT_EQ(chart_scale(600 * 1024), 1024 * 1024);
  EXPECT_EQ(chart_scale(3.0 * 1024 * 1024), 5.0 * 1024 * 1024);
}

TEST(Chart, Sparkline_ScalesToTheLargestAndRightAligns) {
  EXPECT_EQ(sparkline({0, 5, 10}, 5), "  _=@");
  EXPECT_EQ(sparkline({}, 3), "   ");
  EXPECT_EQ(sparkline({0, 0}, 2), "__");
}

TEST(Chart, Sparkline_KeepsOnlyTheNewestValuesThatFit) {
  EXPECT_EQ(sparkline({100, 1, 2}, 2), "=@");  // 100 scrolled out: 2 is the top now
}

TEST(Chart, TrafficChart_DownGrowsUpUpGrowsDownNewestRight) {
  Ring<Traffic> totals(10);
  totals.push({100, 0});
  totals.push({50, 100});
  totals.push({0, 25});
  const auto lines = traffic_chart(totals, 4, 2, 100);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], " #  ");  // down 100: both cells
  EXPECT_EQ(lines[1], " ## ");  // down 50: the lower cell
  EXPECT_EQ(lines[2], "----");
  EXPECT_EQ(lines[3], "  #'");  // up 100 full, up 25 a partial cell
  EXPECT_EQ(lines[4], "  # ");
}

TEST(Chart, TrafficChart_OlderSamplesScrollOffTheLeft) {
  Ring<Traffic> totals(10);
  for (int i = 0; i < 6; ++i) totals.push({i == 5 ? 10.0 : 0.0, 0});
  const auto lines = traffic_chart(totals, 3, 1, 10);
  EXPECT_EQ(lines[0], "  #");
  EXPECT_EQ(lines[2], "   ");
}

TEST(Chart, FractionBar_RoundsAndClamps) {
  EXPECT_EQ(fraction_bar(0.5, 4), "##..");
  EXPECT_EQ(fraction_bar(1.5, 3), "###");
  EXPECT_EQ(fraction_bar(-1, 2), "..");
}

}  // namespace
}  // namespace wiretop::tui
