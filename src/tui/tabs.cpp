#include "tui/tabs.h"

#include <ncurses.h>

#include <cstdio>
#include <string>

#include "tui/row_text.h"

namespace wiretop::tui {

const char* tab_name(Tab tab) {
  switch (tab) {
    case Tab::kOverview:
      return "Overview";
    case Tab::kGraph:
      return "Graph";
    case Tab::kActivity:
      return "Activity";
    case Tab::kListen:
      return "Listen";
    case Tab::kAlerts:
      return "Alerts";
  }
  return "?";
}

Tab next_tab(Tab current, int step) {
  const int index = ((static_cast<int>(current) + step) % kTabCount + kTabCount) % kTabCount;
  return static_cast<Tab>(index);
}

std::optional<Tab> tab_by_number(int n) {
  if (n < 1 || n > kTabCount) return std::nullopt;
  return static_cast<Tab>(n - 1);
}

void draw_tab_bar(int y, Tab current, const ScreenFlags& flags) {
  move(y, 0);
  clrtoeol();
  int x = 1;
  for (int i = 0; i < kTabCount; ++i) {
    const Tab tab = static_cast<Tab>(i);
    const std::string label = " " + std::to_string(i + 1) + " " + tab_name(tab) + " ";
    // Without colour the current tab is reversed; with colour it takes the bar's pair.
    const attr_t highlight = flags.color ? (COLOR_PAIR(1) | A_BOLD) : (A_REVERSE | A_BOLD);
    if (tab == current) attron(highlight);
    mvaddnstr(y, x, label.c_str(), COLS - x);
    if (tab == current) attroff(highlight);
    x += static_cast<int>(label.size()) + 1;
    if (x >= COLS) break;
  }
}

void draw_tab_frame(Tab current, const TableHeader& header, const History& history,
                    const ScreenFlags& flags) {
  erase();
  const Traffic now = history.totals().empty() ? Traffic{} : history.totals().back();
  char line[512];
  std::snprintf(line, sizeof line,
                " wiretop  %s  connections: %zu  down %s/s  up %s/s  packets: %llu  drops: %llu%s%s",
                header.source.c_str(), header.connections, human_bytes(now.down).c_str(),
                human_bytes(now.up).c_str(), header.packets, header.drops, alert_counter(header).c_str(),
                flags.paused ? "  [PAUSED]" : "");
  bar(0, line, flags, 1);
  draw_tab_bar(1, current, flags);
}

std::string tab_keys_status() {
  return " q quit  Tab/Shift-Tab or 1-" + std::to_string(kTabCount) + " tabs  p pause  ? help";
}

std::string alert_counter(const TableHeader& header) {
  return header.alerts_enabled ? "  alerts: " + std::to_string(header.alert_count) : std::string{};
}

void finish_tab(const std::string& status, const ScreenFlags& flags) {
  bar(LINES - 1, flags.quit_pending ? " press q again to quit" : status, flags,
      flags.quit_pending ? 2 : 1);
  refresh();
}

}  // namespace wiretop::tui
