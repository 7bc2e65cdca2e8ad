#pragma once
// The tabs of the full-screen view, in tab order, and the tab bar line under
// the header. Tab / Shift-Tab walk this order; the digit keys jump to a tab.

#include <optional>
#include <string>

#include "tui/draw.h"
#include "tui/history.h"
#include "tui/plain_table.h"

namespace wiretop::tui {

enum class Tab { kOverview, kGraph, kActivity, kListen, kAlerts };
inline constexpr int kTabCount = 5;

const char* tab_name(Tab tab);
// The tab `step` places after `current` (negative: before), wrapping around.
Tab next_tab(Tab current, int step);
// The tab the digit key `n` (1-based) selects; none for digits past the last tab.
std::optional<Tab> tab_by_number(int n);

// The tab bar: every tab as "N Name", the current one highlighted.
void draw_tab_bar(int y, Tab current, const ScreenFlags& flags);

// Clears the screen and draws what every tab but the Overview starts with: the
// header (source, connections, current rates, packets, drops) and the tab bar.
void draw_tab_frame(Tab current, const TableHeader& header, const History& history,
                    const ScreenFlags& flags);
// Draws the status bar last (over whatever a small terminal let run into it) and shows the screen.
void finish_tab(const std::string& status, const ScreenFlags& flags);
// The status bar's common keys: " q quit  Tab/Shift-Tab or 1-5 tabs  p pause  ? help".
std::string tab_keys_status();
// "  alerts: N" for the headers when --alerts is on, else empty.
std::string alert_counter(const TableHeader& header);

}  // namespace wiretop::tui
