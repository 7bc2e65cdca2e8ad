#include "tui/draw.h"

#include <ncurses.h>

#include <cstdio>

#include "tui/columns.h"
#include "tui/details.h"
#include "tui/row_text.h"
#include "tui/tabs.h"

namespace wiretop::tui {

void bar(int y, const std::string& text, const ScreenFlags& flags, int pair) {
  if (flags.color) attron(COLOR_PAIR(pair));
  else attron(A_REVERSE);
  mvhline(y, 0, ' ', COLS);
  mvaddnstr(y, 0, text.c_str(), COLS);
  if (flags.color) attroff(COLOR_PAIR(pair));
  else attroff(A_REVERSE);
}

namespace {

// Colour pairs set up by Terminal: 1 bars, 2 prompts, 3 fresh rows, 4 rows about to expire, 5 ended rows.
constexpr short kFreshPair = 3, kExpiringPair = 4, kClosedPair = 5;

attr_t row_attributes(Freshness f, const ScreenFlags& flags) {
  if (!flags.color) return f == Freshness::kClosed ? A_DIM : (f == Freshness::kExpiring ? A_BOLD : A_NORMAL);
  switch (f) {
    case Freshness::kFresh: return COLOR_PAIR(kFreshPair);
    case Freshness::kExpiring: return COLOR_PAIR(kExpiringPair);
    case Freshness::kClosed: return COLOR_PAIR(kClosedPair) | A_DIM;
    case Freshness::kIdle: break;
  }
  return A_NORMAL;
}

std::string header_line(const TableState& state, const TableHeader& header, const ScreenFlags& flags) {
  char buf[640];
  char hidden[48] = "";
  const std::string procs = header.attribution.empty() ? "" : "  procs: " + header.attribution;
  if (header.hidden_localhost)
    std::snprintf(hidden, sizeof hidden, ", %zu localhost hidden", header.hidden_localhost);
  std::snprintf(buf, sizeof buf,
                " wiretop  %s  connections: %zu (shown %zu%s)  down %s/s  up %s/s  packets: %llu  drops: %llu"
                "%s  sandbox: %s%s  sort: %s %s%s",
                header.source.c_str(), header.connections, state.visible().size(), hidden,
                human_bytes(header.down_bps).c_str(), human_bytes(header.up_bps).c_str(), header.packets,
                header.drops, alert_counter(header).c_str(), header.sandbox.c_str(), procs.c_str(),
                sort_key_name(state.sort_key()),
                state.descending() ? "desc" : "asc", flags.paused ? "  [PAUSED]" : "");
  return buf;
}

std::string status_line(const TableState& state, const ScreenFlags& flags) {
  const std::string error = state.filter_error().empty() ? "" : "   [" + state.filter_error() + "]";
  if (flags.filter_editing) return " filter: " + state.filter() + "_   (Enter keeps, Esc clears)" + error;
  if (flags.quit_pending) return " press q again to quit";
  if (!flags.notice.empty()) return " " + flags.notice;
  std::string s = state.grouped()
                      ? " q quit  j/k move  Enter/Space expand  a ungroup  s sort  / filter  Tab tabs  p pause  ? help"
                      : " q quit  j/k move  Enter details  s sort  S reverse  / filter  a group  n names  c copy  Tab tabs  p pause  ? help";
  if (!state.filter().empty()) s += "   filter: " + state.filter() + error;
  return s;
}

std::string process_label_text(const model::ConnectionRow& group) {
  const std::string text = process_text(group);
  return text.empty() ? "(unknown process)" : text;
}

}  // namespace

std::size_t table_height() { return LINES > 5 ? static_cast<std::size_t>(LINES - 4) : 1; }

void draw_overview(const TableState& state, const TableHeader& header, std::size_t first_row,
                   const ScreenFlags& flags) {
  erase();
  const bool alert = flags.filter_editing || flags.quit_pending || !state.filter_error().empty();
  bar(0, header_line(state, header, flags), flags, 1);
  const Layout layout = layout_for(static_cast<std::size_t>(COLS));
  draw_tab_bar(1, Tab::kOverview, flags);
  attron(A_BOLD);
  mvaddnstr(2, 0, header_text(layout).c_str(), COLS);
  attroff(A_BOLD);
  const auto& rows = state.visible();
  const std::size_t height = table_height();
  for (std::size_t i = 0; i < height && first_row + i < rows.size(); ++i) {
    const std::size_t index = first_row + i;
    const model::ConnectionRow& row = rows[index];
    RowText t = row_text(row);
    std::string remote = flags.remote_names ? remote_name_text(row) : t.remote;
    if (state.kind(index) == RowKind::kGroup) {
      t.proto = state.group_expanded(index) ? "[-]" : "[+]";
      t.local = process_label_text(row);
      remote = std::to_string(state.group_size(index)) + " connection" + (state.group_size(index) == 1 ? "" : "s");
      t.state = t.service = t.app = t.rtt = "";
    } else if (state.kind(index) == RowKind::kMember) {
      t.proto = "  " + t.proto;
    }
    const std::string line = row_line(layout, t, remote);
    const attr_t attributes = index == state.selected_index() ? A_REVERSE : row_attributes(freshness(row, header.now), flags);
    attron(attributes);
    mvaddnstr(static_cast<int>(3 + i), 0, line.c_str(), COLS);
    attroff(attributes);
  }
  bar(LINES - 1, status_line(state, flags), flags, alert ? 2 : 1);
  refresh();
}

void draw_details(const model::ConnectionRow& r, const ScreenFlags& flags) {
  erase();
  bar(0, " connection details", flags, 1);
  const std::vector<std::string> lines = details_lines(r);
  for (std::size_t i = 0; i < lines.size() && static_cast<int>(i) + 2 < LINES - 1; ++i)
    mvaddnstr(static_cast<int>(i) + 2, 1, lines[i].c_str(), COLS - 1);
  bar(LINES - 1, " Esc/Backspace back  q quit", flags, 1);
  refresh();
}

void draw_help(const ScreenFlags& flags, const std::vector<std::string>& sandbox_layers) {
  erase();
  bar(0, " help: every key", flags, 1);
  static const char* const kLines[] = {
      "Up/Down, j/k     move the selection",
      "PgUp/PgDn        move a page",
      "g / G, Home/End  first / last row",
      "Enter            details of the selected connection",
      "Esc/Backspace    back from details or help",
      "s                cycle sort column: rate, bytes, process, remote, age, rtt",
      "S                reverse the sort order",
      "/                filter as you type: text, /regex/, port:N, pid:N, src:, dst:, sni:, host:,",
      "                 process:, proto:, state:, app:, country: (a value may be /regex/), !negate",
      "n                remote ends as names seen on the wire (SNI, HTTP host, DNS) / as addresses",
      "c                copy the remote name or address to the clipboard (OSC 52, works over SSH)",
      "a                group connections by process (Enter/Space expands a group), again to ungroup",
      "p                pause the display (capture continues)",
      "Tab / Shift-Tab  next / previous tab",
      "1 2 3 4 5        Overview, Graph, Activity, Listen, Alerts tab",
      "e                Activity: rank processes by egress or ingress",
      "h or ?           this help",
      "q q              quit (second q within 2 s)",
      "Ctrl-C           quit at once",
  };
  int y = 2;
  for (const char* line : kLines) mvaddnstr(y++, 2, line, COLS - 2);
  if (!sandbox_layers.empty()) {
    ++y;
    attron(A_BOLD);
    mvaddnstr(y++, 2, "sandbox (SECURITY.md)", COLS - 2);
    attroff(A_BOLD);
    for (const std::string& line : sandbox_layers)
      if (y < LINES - 1) mvaddnstr(y++, 2, line.c_str(), COLS - 2);
  }
  bar(LINES - 1, " Esc/Backspace/any key back", flags, 1);
  refresh();
}

}  // namespace wiretop::tui
