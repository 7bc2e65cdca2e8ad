#include "tui/tabs.h"

#include <ncurses.h>

#include <string>

namespace wiretop::tui {

const char* tab_name(Tab tab) {
  switch (tab) {
    case Tab::kOverview: return "Overview";
    case Tab::kGraph: return "Graph";
    case Tab::kActivity: return "Activity";
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

}  // namespace wiretop::tui
