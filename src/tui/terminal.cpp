#include "tui/terminal.h"

#include <ncurses.h>

namespace wiretop::tui {

Terminal::Terminal(bool color) {
  initscr();
  cbreak();  // not raw(): Ctrl-C still raises SIGINT, which sets the app's stop flag
  noecho();
  keypad(stdscr, TRUE);
  curs_set(0);
  set_escdelay(25);
  timeout(100);
  if (color && has_colors()) {
    start_color();
    use_default_colors();
    init_pair(1, COLOR_BLACK, COLOR_CYAN);   // header and status bars
    init_pair(2, COLOR_BLACK, COLOR_YELLOW); // prompts
    init_pair(3, COLOR_GREEN, -1);           // rows with traffic in the last seconds
    init_pair(4, COLOR_YELLOW, -1);          // rows about to reach their idle timeout
    init_pair(5, COLOR_WHITE, -1);           // ended rows (dimmed)
    color_ = true;
  }
}

Terminal::~Terminal() {
  curs_set(1);
  endwin();
}

}  // namespace wiretop::tui
