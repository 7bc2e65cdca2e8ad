#include "tui/alerts_tab.h"
#include "tui/tabs.h"

#include <gtest/gtest.h>

namespace wiretop::tui {
namespace {

TEST(Tabs, NextTab_WalksTabOrderAndWraps) {
  EXPECT_EQ(next_tab(Tab::kOverview, 1), Tab::kGraph);
  EXPECT_EQ(next_tab(Tab::kGraph, 1), Tab::kActivity);
  EXPECT_EQ(next_tab(Tab::kActivity, 1), Tab::kListen);
  EXPECT_EQ(next_tab(Tab::kListen, 1), Tab::kAlerts);
  EXPECT_EQ(next_tab(Tab::kAlerts, 1), Tab::kOverview);
}

TEST(Tabs, PreviousTab_WrapsFromFirstToLast) {
  EXPECT_EQ(next_tab(Tab::kOverview, -1), Tab::kAlerts);
  EXPECT_EQ(next_tab(Tab::kActivity, -1), Tab::kGraph);
}

TEST(Tabs, DigitSelectsTabInOrder_PastTheLastSelectsNone) {
  EXPECT_EQ(tab_by_number(1), Tab::kOverview);
  EXPECT_EQ(tab_by_number(2), Tab::kGraph);
  EXPECT_EQ(tab_by_number(3), Tab::kActivity);
  EXPECT_EQ(tab_by_number(4), Tab::kListen);
  EXPECT_EQ(tab_by_number(5), Tab::kAlerts);
  EXPECT_FALSE(tab_by_number(6));
  EXPECT_FALSE(tab_by_number(9));
  EXPECT_FALSE(tab_by_number(0));
}

TEST(Tabs, NamesAreTheTabBarLabels) {
  EXPECT_STREQ(tab_name(Tab::kOverview), "Overview");
  EXPECT_STREQ(tab_name(Tab::kGraph), "Graph");
  EXPECT_STREQ(tab_name(Tab::kActivity), "Activity");
  EXPECT_STREQ(tab_name(Tab::kListen), "Listen");
  EXPECT_STREQ(tab_name(Tab::kAlerts), "Alerts");
}

TEST(Tabs, AlertCounterOnlyWithAlertsOn) {
  TableHeader header;
  header.alert_count = 3;
  EXPECT_EQ(alert_counter(header), "");
  header.alerts_enabled = true;
  EXPECT_EQ(alert_counter(header), "  alerts: 3");
  EXPECT_EQ(tab_keys_status(), " q quit  Tab/Shift-Tab or 1-5 tabs  p pause  ? help");
}

TEST(AlertsTab, LineHasUtcTimeSeverityRuleProcessAndMessage) {
  model::Alert a;
  a.ts = core::Timestamp{1'700'000'000'250'000};  // 2023-11-14T22:13:20.25Z
  a.severity = "critical";
  a.rule = "plaintext_credentials";
  a.message = "FTP USER/PASS sent in clear text";
  EXPECT_EQ(alert_line(a), " 22:13:20  critical  plaintext_credentials   -                 FTP USER/PASS sent in clear text");
  a.process = "curl";
  EXPECT_NE(alert_line(a).find("  curl  "), std::string::npos);
}

}  // namespace
}  // namespace wiretop::tui
