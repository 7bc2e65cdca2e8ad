#include "tui/graph_tab.h"

#include <ncurses.h>

#include "tui/tabs.h"

namespace wiretop::tui {

void draw_graph_tab(const History& history, const TableHeader& header, int refresh_ms, const ScreenFlags& flags) {
  erase();
  bar(0, " wiretop  source: " + header.source, flags, 1);
  draw_tab_bar(1, Tab::kGraph, flags);
  mvaddstr(3, 1, "Traffic");
  (void)history;
  (void)refresh_ms;
  bar(LINES - 1, " q quit  Tab/Shift-Tab or 1-3 tabs  p pause  ? help", flags, 1);
  refresh();
}

}  // namespace wiretop::tui
