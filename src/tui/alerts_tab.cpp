#include "tui/alerts_tab.h"

#include <ncurses.h>

#include <cstdio>

#include "core/timestamp.h"
#include "tui/tabs.h"

namespace wiretop::tui {
namespace {

constexpr const char* kFormat = " %-8s  %-8s  %-22.22s  %-16.16s  %s";

std::string clock_of(core::Timestamp ts) {
  char text[64];
  const std::string full(text, core::format_rfc3339(ts, text));  // 2024-05-01T12:00:00.123456Z
  return full.size() >= 19 ? full.substr(11, 8) : full;
}

// Critical alerts are what a reader scans this tab for: bold; info dim.
attr_t attribute_of(const std::string& severity) {
  if (severity == "critical") return A_BOLD;
  if (severity == "info") return A_DIM;
  return A_NORMAL;
}

}  // namespace

std::string alert_line(const model::Alert& a) {
  char line[1024];
  std::snprintf(line, sizeof line, kFormat, clock_of(a.ts).c_str(), a.severity.c_str(), a.rule.c_str(),
                a.process.empty() ? "-" : a.process.c_str(), a.message.c_str());
  return line;
}

void draw_alerts_tab(const History& history, const TableHeader& header, const ScreenFlags& flags) {
  draw_tab_frame(Tab::kAlerts, header, history, flags);
  char line[512];
  if (header.alerts.size() < header.alert_count)
    std::snprintf(line, sizeof line, " Alerts: %llu (the newest %zu listed)", header.alert_count, header.alerts.size());
  else
    std::snprintf(line, sizeof line, " Alerts: %llu, newest first", header.alert_count);
  attron(A_BOLD);
  mvaddnstr(2, 0, line, COLS);
  std::snprintf(line, sizeof line, kFormat, "TIME", "SEVERITY", "RULE", "PROCESS", "MESSAGE");
  mvaddnstr(3, 0, line, COLS);
  attroff(A_BOLD);
  if (!header.alerts_enabled)
    mvaddnstr(4, 1, "(alerts are off: start wiretop with --alerts FILE, see docs/alerts.md)", COLS - 1);
  else if (header.alerts.empty())
    mvaddnstr(4, 1, "(no alert yet)", COLS - 1);
  int y = 4;
  for (const model::Alert& a : header.alerts) {
    if (y >= LINES - 1) break;
    const attr_t attr = attribute_of(a.severity);
    attron(attr);
    mvaddnstr(y++, 0, alert_line(a).c_str(), COLS);
    attroff(attr);
  }
  finish_tab(tab_keys_status(), flags);
}

}  // namespace wiretop::tui
