#include "tui/listen_tab.h"

#include <ncurses.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <tuple>

#include "tui/tabs.h"

namespace wiretop::tui {
namespace {

constexpr const char* kFormat = " %-5s %-39.39s %6s %-8s %6s %8s %-24.24s %-16.16s";

std::string address_text(const model::ListenerRow& l) {
  if (l.local_ip.is_unspecified()) return l.local_ip.is_v4() ? "* (0.0.0.0)" : "* (::)";
  return l.local_ip.to_string();
}

void draw_rows(int y, const std::vector<model::ListenerRow>& listeners) {
  char line[512];
  for (const model::ListenerRow& l : listeners) {
    if (y >= LINES - 1) break;
    std::snprintf(line, sizeof line, kFormat, l.ip_proto == 6 ? "tcp" : "udp", address_text(l).c_str(),
                  std::to_string(l.local_port).c_str(), l.exposed ? "exposed" : "local",
                  std::to_string(l.connections).c_str(), l.pid ? std::to_string(l.pid).c_str() : "-",
                  l.pid ? l.process.c_str() : "(unknown)", l.user.empty() ? std::to_string(l.uid).c_str() : l.user.c_str());
    // Exposed sockets are what a reader scans this tab for: bold.
    if (l.exposed) attron(A_BOLD);
    mvaddnstr(y++, 0, line, COLS);
    if (l.exposed) attroff(A_BOLD);
  }
}

}  // namespace

void sort_listeners(std::vector<model::ListenerRow>& listeners) {
  std::sort(listeners.begin(), listeners.end(), [](const model::ListenerRow& a, const model::ListenerRow& b) {
    return std::tuple(!a.exposed, a.ip_proto, a.local_port, a.local_ip) <
           std::tuple(!b.exposed, b.ip_proto, b.local_port, b.local_ip);
  });
}

void draw_listen_tab(const History& history, const TableHeader& header, const ScreenFlags& flags) {
  draw_tab_frame(Tab::kListen, header, history, flags);
  std::vector<model::ListenerRow> listeners = header.listeners;
  sort_listeners(listeners);
  const auto exposed = std::count_if(listeners.begin(), listeners.end(), [](const auto& l) { return l.exposed; });
  char line[512];
  std::snprintf(line, sizeof line,
                " Listening sockets: %zu, %zu reachable from outside (bound to a wildcard or a non-loopback address)",
                listeners.size(), static_cast<std::size_t>(exposed));
  attron(A_BOLD);
  mvaddnstr(2, 0, line, COLS);
  std::snprintf(line, sizeof line, kFormat, "PROTO", "ADDRESS", "PORT", "REACH", "CONNS", "PID", "PROCESS", "USER");
  mvaddnstr(3, 0, line, COLS);
  attroff(A_BOLD);
  if (!header.listeners_note.empty()) mvaddnstr(4, 1, header.listeners_note.c_str(), COLS - 1);
  else if (listeners.empty()) mvaddnstr(4, 1, "(no listening socket)", COLS - 1);
  draw_rows(4, listeners);
  finish_tab(tab_keys_status(), flags);
}

}  // namespace wiretop::tui
