#include "tui/activity_tab.h"

#include <ncurses.h>

#include <algorithm>
#include <cstdio>

#include "tui/row_text.h"
#include "tui/tabs.h"

namespace wiretop::tui {
namespace {

constexpr const char* kProcessFormat = " %-32.32s %5s %11s %11s %11s %11s %10s %10s";
constexpr const char* kInterfaceFormat = " %-16.16s %11s %11s %12s %12s %8s %8s %8s %8s";
constexpr const char* kUsageFormat = " %-8s %-40.40s %11s %11s %11s";
constexpr int kMaxInterfaceLines = 12;
constexpr int kMaxUsageLines = 10;

void bold_line(int y, const char* text) {
  attron(A_BOLD);
  mvaddnstr(y, 0, text, COLS);
  attroff(A_BOLD);
}

std::string rate_text(double bytes_per_s) {
  return human_bytes(bytes_per_s) + "/s";
}

// Processes from line y to before `end`, ranked by the chosen direction's rolling rate.
void draw_processes(int y, int end, const History& history, Direction rank_by) {
  const bool egress = rank_by == Direction::kEgress;
  char line[512];
  std::snprintf(
      line, sizeof line,
      " Processes by %s (average of the last %zu samples; sent/received keep ended connections)",
      egress ? "egress" : "ingress", History::kRollingSamples);
  bold_line(y, line);
  std::snprintf(line, sizeof line, kProcessFormat, "PROCESS", "CONNS", egress ? "*OUT/s" : "OUT/s",
                egress ? "IN/s" : "*IN/s", "NOW OUT/s", "NOW IN/s", "SENT", "RECEIVED");
  bold_line(y + 1, line);
  const auto processes = history.processes_by_egress(egress);
  if (processes.empty()) mvaddnstr(y + 2, 1, "(no connections yet)", COLS - 1);
  int row = y + 2;
  for (const ProcessTotals& p : processes) {
    if (row >= end) break;
    std::snprintf(line, sizeof line, kProcessFormat, p.label.c_str(),
                  std::to_string(p.connections).c_str(), rate_text(p.rolling.up).c_str(),
                  rate_text(p.rolling.down).c_str(), rate_text(p.rate.up).c_str(),
                  rate_text(p.rate.down).c_str(),
                  human_bytes(static_cast<double>(p.retained.up)).c_str(),
                  human_bytes(static_cast<double>(p.retained.down)).c_str());
    mvaddnstr(row++, 0, line, COLS);
  }
}

// --history: what earlier runs and this one recorded, per process and host.
void draw_usage(int y, int end, const model::UsageHistory& usage) {
  bold_line(y, " History (--history: today, 7 and 30 days, in + out; this run's connections once ended)");
  char line[512];
  std::snprintf(line, sizeof line, kUsageFormat, "KIND", "NAME", "TODAY", "7 DAYS", "30 DAYS");
  bold_line(y + 1, line);
  if (usage.rows.empty()) mvaddnstr(y + 2, 1, "(nothing recorded yet)", COLS - 1);
  int row = y + 2;
  for (const model::UsageHistoryRow& u : usage.rows) {
    if (row >= end) break;
    const auto bytes = [](std::uint64_t v) { return human_bytes(static_cast<double>(v)); };
    std::snprintf(line, sizeof line, kUsageFormat, u.host ? "host" : "process", u.name.c_str(),
                  bytes(u.bytes[0]).c_str(), bytes(u.bytes[1]).c_str(), bytes(u.bytes[2]).c_str());
    mvaddnstr(row++, 0, line, COLS);
  }
}

void draw_interfaces(int y, const std::vector<InterfaceStats>& interfaces) {
  bold_line(y, " Interfaces (/sys/class/net, every 2 s)");
  char line[512];
  std::snprintf(line, sizeof line, kInterfaceFormat, "IFACE", "RX/s", "TX/s", "RX PACKETS",
                "TX PACKETS", "RX ERR", "TX ERR", "RX DROP", "TX DROP");
  bold_line(y + 1, line);
  if (interfaces.empty()) mvaddnstr(y + 2, 1, "(no interface statistics readable)", COLS - 1);
  int row = y + 2;
  for (const InterfaceStats& i : interfaces) {
    if (row >= LINES - 1) break;
    const auto count = [](std::uint64_t v) { return std::to_string(v); };
    std::snprintf(line, sizeof line, kInterfaceFormat, i.name.c_str(),
                  i.has_rates ? rate_text(i.rx_bytes_per_s).c_str() : "-",
                  i.has_rates ? rate_text(i.tx_bytes_per_s).c_str() : "-",
                  count(i.rx_packets).c_str(), count(i.tx_packets).c_str(),
                  count(i.rx_errors).c_str(), count(i.tx_errors).c_str(),
                  count(i.rx_dropped).c_str(), count(i.tx_dropped).c_str());
    mvaddnstr(row++, 0, line, COLS);
  }
}

}  // namespace

void draw_activity_tab(const History& history, const TableHeader& header, Direction rank_by,
                       const ScreenFlags& flags) {
  const bool egress = rank_by == Direction::kEgress;
  const std::string status = std::string(" ranked by ") + (egress ? "egress" : "ingress") +
                             " (e: by " + (egress ? "ingress" : "egress") +
                             ") " + tab_keys_status();
  draw_tab_frame(Tab::kActivity, header, history, flags);
  const int interface_lines =
      2 + std::max(1, std::min(static_cast<int>(header.interfaces.size()), kMaxInterfaceLines));
  const int interfaces_y = std::max(LINES - 1 - interface_lines, 6);
  int processes_end = interfaces_y - 1;
  if (header.usage.enabled) {
    const int usage_lines = 2 + std::max(1, std::min(static_cast<int>(header.usage.rows.size()), kMaxUsageLines));
    const int usage_y = std::max(interfaces_y - 1 - usage_lines, 6);
    draw_usage(usage_y, interfaces_y - 1, header.usage);
    processes_end = usage_y - 1;
  }
  draw_processes(2, processes_end, history, rank_by);
  draw_interfaces(interfaces_y, header.interfaces);
  finish_tab(status, flags);
}

}  // namespace wiretop::tui
