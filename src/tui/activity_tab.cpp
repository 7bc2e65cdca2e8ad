#include "tui/activity_tab.h"

#include <ncurses.h>

#include "tui/tabs.h"

namespace wiretop::tui {

void draw_activity_tab(const History& history, const TableHeader& header, Direction rank_by,
                       const ScreenFlags& flags) {
  erase();
  bar(0, " wiretop  source: " + header.source, flags, 1);
  draw_tab_bar(1, Tab::kActivity, flags);
  mvaddstr(3, 1, rank_by == Direction::kEgress ? "Processes by egress" : "Processes by ingress");
  (void)history;
  bar(LINES - 1, " q quit  Tab/Shift-Tab or 1-3 tabs  e egress/ingress  p pause  ? help", flags, 1);
  refresh();
}

}  // namespace wiretop::tui
