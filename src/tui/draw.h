#pragma once
// Drawing the Overview's screens with ncurses; no state changes here.

#include <cstddef>
#include <string>
#include <vector>

#include "tui/plain_table.h"
#include "tui/table_state.h"

namespace wiretop::tui {

struct ScreenFlags {
  bool color = false;
  bool paused = false;
  bool filter_editing = false;
  bool quit_pending = false;
  bool remote_names = false;  // REMOTE shows server names (n, --resolve)
  std::string notice;         // one-line feedback in the status bar until the next key
};

// A full-width header or status line: colour pair `pair`, or reverse video without colour.
void bar(int y, const std::string& text, const ScreenFlags& flags, int pair);
// Draws the header, the tab bar, the table from `first_row`, and the status bar.
void draw_overview(const TableState& state, const TableHeader& header, std::size_t first_row,
                   const ScreenFlags& flags);
void draw_details(const model::ConnectionRow& row, const ScreenFlags& flags);
// `sandbox_layers`: one line per sandbox layer ("seccomp: applied, ..."), listed below the keys.
void draw_help(const ScreenFlags& flags, const std::vector<std::string>& sandbox_layers);
// Rows of the table area for the current terminal size.
std::size_t table_height();

}  // namespace wiretop::tui
