#include "tui/tabs.h"

#include <gtest/gtest.h>

namespace wiretop::tui {
namespace {

TEST(Tabs, NextTab_WalksTabOrderAndWraps) {
  EXPECT_EQ(next_tab(Tab::kOverview, 1), Tab::kGraph);
  EXPECT_EQ(next_tab(Tab::kGraph, 1), Tab::kActivity);
  EXPECT_EQ(next_tab(Tab::kActivity, 1), Tab::kListen);
  EXPECT_EQ(next_tab(Tab::kListen, 1), Tab::kOverview);
}

TEST(Tabs, PreviousTab_WrapsFromFirstToLast) {
  EXPECT_EQ(next_tab(Tab::kOverview, -1), Tab::kListen);
  EXPECT_EQ(next_tab(Tab::kActivity, -1), Tab::kGraph);
}

TEST(Tabs, DigitSelectsTabInOrder_PastTheLastSelectsNone) {
  EXPECT_EQ(tab_by_number(1), Tab::kOverview);
  EXPECT_EQ(tab_by_number(2), Tab::kGraph);
  EXPECT_EQ(tab_by_number(3), Tab::kActivity);
  EXPECT_EQ(tab_by_number(4), Tab::kListen);
  EXPECT_FALSE(tab_by_number(5));
  EXPECT_FALSE(tab_by_number(9));
  EXPECT_FALSE(tab_by_number(0));
}

TEST(Tabs, NamesAreTheTabBarLabels) {
  EXPECT_STREQ(tab_name(Tab::kOverview), "Overview");
  EXPECT_STREQ(tab_name(Tab::kGraph), "Graph");
  EXPECT_STREQ(tab_name(Tab::kActivity), "Activity");
  EXPECT_STREQ(tab_name(Tab::kListen), "Listen");
}

}  // namespace
}  // namespace wiretop::tui
