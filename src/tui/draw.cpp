#include "tui/draw.h"

#include <ncurses.h>

#include <cstdio>

#include "tui/row_text.h"

namespace wiretop::tui {
namespace {

constexpr const char* kColumnFormat = "%-6s %-40s %-40s %-11s %5s %10s %10s %9s %9s";

void bar(int y, const std::string& text, const ScreenFlags& flags, int pair) {
  if (flags.color) attron(COLOR_PAIR(pair));
  else attron(A_REVERSE);
  mvhline(y, 0, ' ', COLS);
  mvaddnstr(y, 0, text.c_str(), COLS);
  if (flags.color) attroff(COLOR_PAIR(pair));
  else attroff(A_REVERSE);
}

std::string header_line(const TableState& state, const TableHeader& header, const ScreenFlags& flags) {
  char buf[512];
  std::snprintf(buf, sizeof buf, " wiretop  source: %s  connections: %zu (shown %zu)  packets: %llu  drops: %llu  sort: %s %s%s",
                header.source.c_str(), header.connections, state.visible().size(), header.packets, header.drops,
                sort_key_name(state.sort_key()), state.descending() ? "desc" : "asc", flags.paused ? "  [PAUSED]" : "");
  return buf;
}

std::string status_line(const TableState& state, const ScreenFlags& flags) {
  if (flags.filter_editing) return " filter: " + state.filter() + "_   (Enter keeps, Esc clears)";
  if (flags.quit_pending) return " press q again to quit";
  std::string s = " q quit  j/k move  Enter details  s sort  S reverse  / filter  p pause  ? help";
  if (!state.filter().empty()) s += "   filter: " + state.filter();
  return s;
}

}  // namespace

std::size_t table_height() { return LINES > 4 ? static_cast<std::size_t>(LINES - 3) : 1; }

void draw_overview(const TableState& state, const TableHeader& header, std::size_t first_row,
                   const ScreenFlags& flags) {
  erase();
  bar(0, header_line(state, header, flags), flags, 1);
  char line[512];
  std::snprintf(line, sizeof line, kColumnFormat, "PROTO", "LOCAL", "REMOTE", "STATE", "SVC", "DOWN", "UP", "BYTES",
                "RTT");
  attron(A_BOLD);
  mvaddnstr(1, 0, line, COLS);
  attroff(A_BOLD);
  const auto& rows = state.visible();
  const std::size_t height = table_height();
  for (std::size_t i = 0; i < height && first_row + i < rows.size(); ++i) {
    const std::size_t index = first_row + i;
    const RowText t = row_text(rows[index]);
    std::snprintf(line, sizeof line, kColumnFormat, t.proto.c_str(), t.local.c_str(), t.remote.c_str(),
                  t.state.c_str(), t.service.c_str(), t.down.c_str(), t.up.c_str(), t.bytes.c_str(), t.rtt.c_str());
    const bool selected = index == state.selected_index();
    if (selected) attron(A_REVERSE);
    mvaddnstr(static_cast<int>(2 + i), 0, line, COLS);
    if (selected) attroff(A_REVERSE);
  }
  bar(LINES - 1, status_line(state, flags), flags, flags.filter_editing || flags.quit_pending ? 2 : 1);
  refresh();
}

void draw_details(const model::ConnectionRow& r, const ScreenFlags& flags) {
  erase();
  bar(0, " connection details", flags, 1);
  const RowText t = row_text(r);
  char lines[24][160];
  int n = 0;
  auto add = [&](const char* fmt, auto... args) { std::snprintf(lines[n++], sizeof lines[0], fmt, args...); };
  add("id              %llu", static_cast<unsigned long long>(r.id));
  add("protocol        %s (%u)", t.proto.c_str(), r.ip_proto);
  add("client          %s", endpoint_text(r.client_ip, r.has_ports, r.client_port).c_str());
  add("server          %s", endpoint_text(r.server_ip, r.has_ports, r.server_port).c_str());
  add("local / remote  %s / %s", t.local.c_str(), t.remote.c_str());
  add("state           %s%s%.*s", t.state.c_str(), r.end_reason.empty() ? "" : "  ended: ",
      static_cast<int>(r.end_reason.size()), r.end_reason.data());
  add("vlan            %s", r.has_vlan ? std::to_string(r.vlan).c_str() : "-");
  add("icmp            %s type %u code %u id %u", r.is_icmp ? (r.is_icmp_echo ? "echo" : "yes") : "no",
      r.icmp_type, r.icmp_code, r.icmp_id);
  add("first / last    %.6f / %.6f", r.first_seen.seconds(), r.last_seen.seconds());
  add("packets c>s s>c %llu / %llu", static_cast<unsigned long long>(r.packets[0]),
      static_cast<unsigned long long>(r.packets[1]));
  add("bytes   c>s s>c %llu / %llu", static_cast<unsigned long long>(r.bytes[0]),
      static_cast<unsigned long long>(r.bytes[1]));
  add("frame bytes     %llu / %llu", static_cast<unsigned long long>(r.frame_bytes[0]),
      static_cast<unsigned long long>(r.frame_bytes[1]));
  add("rate c>s s>c    %s/s / %s/s", human_bytes(r.rate_bps[0]).c_str(), human_bytes(r.rate_bps[1]).c_str());
  add("rtt             %s", t.rtt.c_str());
  add("retransmits     %u / %u", r.retransmits[0], r.retransmits[1]);
  add("out of order    %u / %u", r.out_of_order[0], r.out_of_order[1]);
  add("dup acks        %u / %u", r.dup_acks[0], r.dup_acks[1]);
  add("fragments       %u   icmp errors %u", r.fragments, r.icmp_errors);
  add("locality        %s", r.locality_known ? (r.client_local ? "client local" : (r.server_local ? "server local" : "neither local")) : "unknown");
  for (int i = 0; i < n && i + 2 < LINES - 1; ++i) mvaddnstr(i + 2, 1, lines[i], COLS - 1);
  bar(LINES - 1, " Esc/Backspace back  q quit", flags, 1);
  refresh();
}

void draw_help(const ScreenFlags& flags) {
  erase();
  bar(0, " help: every key", flags, 1);
  static const char* const kLines[] = {
      "Up/Down, j/k     move the selection",
      "PgUp/PgDn        move a page",
      "g / G, Home/End  first / last row",
      "Enter            details of the selected connection",
      "Esc/Backspace    back from details or help",
      "s                cycle sort column: rate, bytes, remote, age, rtt",
      "S                reverse the sort order",
      "/                filter as you type: text, port:N, src:, dst:, proto:, state:, !negate",
      "p                pause the display (capture continues)",
      "h or ?           this help",
      "q q              quit (second q within 2 s)",
      "Ctrl-C           quit at once",
  };
  int y = 2;
  for (const char* line : kLines) mvaddnstr(y++, 2, line, COLS - 2);
  bar(LINES - 1, " Esc/Backspace/any key back", flags, 1);
  refresh();
}

}  // namespace wiretop::tui
