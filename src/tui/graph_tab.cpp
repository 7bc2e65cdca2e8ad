#include "tui/graph_tab.h"

#include <ncurses.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tui/chart.h"
#include "tui/row_text.h"
#include "tui/tabs.h"

namespace wiretop::tui {
namespace {

constexpr int kLabelWidth = 10;  // the y-axis labels: "500.0KB/s"
constexpr int kNameWidth = 24;

std::string span_text(double seconds) {
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

void heading(int y, int x, const std::string& text, int width) {
  attron(A_BOLD);
  mvaddnstr(y, x, text.c_str(), width);
  attroff(A_BOLD);
}

// The y-axis label of chart line `i` of 2 * half + 1.
std::string axis_label(std::size_t i, std::size_t half, const std::string& top) {
  if (i == 0 || i == 2 * half) return top;
  if (i == half) return "0";
  if (i == half - 1 - (half - 1) / 2) return "down";
  if (i == half + 1 + (half - 1) / 2) return "up";
  return "";
}

// Total down over total up, mirrored around a zero line; returns the next free line.
int draw_traffic(int y, const History& history, double period_s) {
  const Ring<Traffic>& totals = history.totals();
  Traffic peak;
  for (std::size_t i = 0; i < totals.size(); ++i) {
    peak.down = std::max(peak.down, totals[i].down);
    peak.up = std::max(peak.up, totals[i].up);
  }
  const double scale = chart_scale(std::max(peak.down, peak.up));
  const std::size_t width = static_cast<std::size_t>(std::max(COLS - kLabelWidth - 2, 10));
  const std::size_t half = static_cast<std::size_t>(std::clamp((LINES - 26) / 2, 2, 10));
  char title[320];
  std::snprintf(
      title, sizeof title, " Traffic, last %s (one sample every %.1f s)   peak down %s/s  up %s/s",
      span_text(static_cast<double>(std::min(totals.capacity(), width)) * period_s).c_str(),
      period_s, human_bytes(peak.down).c_str(), human_bytes(peak.up).c_str());
  heading(y, 0, title, COLS);
  const auto lines = traffic_chart(totals, width, half, scale);
  const std::string top = human_bytes(scale) + "/s";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int row = y + 1 + static_cast<int>(i);
    mvprintw(row, 0, "%*s |", kLabelWidth - 1, axis_label(i, half, top).c_str());
    mvaddnstr(row, kLabelWidth + 2, lines[i].c_str(), static_cast<int>(width));
  }
  return y + 1 + static_cast<int>(lines.size());
}

// A distribution as bars with percentages in columns x..x+width, at most `height` lines.
void draw_shares(int y, int x, int width, int height, const std::string& title,
                 const std::vector<Share>& shares) {
  heading(y, x, title, width);
  if (shares.empty()) mvaddnstr(y + 1, x, " (no traffic yet)", width);
  const auto bar_width = static_cast<std::size_t>(std::max(width - kNameWidth - 20, 5));
  int line = 1;
  for (const Share& s : shares) {
    if (line >= height) break;
    char buf[256];
    std::snprintf(buf, sizeof buf, " %-*.*s %5.1f%% %s %9s", kNameWidth - 2, kNameWidth - 2,
                  s.label.c_str(), s.fraction * 100, fraction_bar(s.fraction, bar_width).c_str(),
                  human_bytes(static_cast<double>(s.bytes)).c_str());
    mvaddnstr(y + line++, x, buf, width);
  }
}

// The busiest processes or hosts: rate now and a sparkline of the recent samples.
void draw_ranked(int y, int x, int width, int height, const std::string& title,
                 const std::vector<Ranked>& items) {
  heading(y, x, title, width);
  if (items.empty()) mvaddnstr(y + 1, x, " (none yet)", width);
  const auto spark_width = static_cast<std::size_t>(
      std::clamp(width - kNameWidth - 14, 5, static_cast<int>(History::kRecentSamples)));
  int line = 1;
  for (const Ranked& r : items) {
    if (line >= height) break;
    char buf[256];
    std::snprintf(buf, sizeof buf, " %-*.*s %9s/s %s", kNameWidth - 2, kNameWidth - 2,
                  r.label.c_str(), human_bytes(r.rate.total()).c_str(),
                  sparkline(r.recent, spark_width).c_str());
    mvaddnstr(y + line++, x, buf, width);
  }
}

}  // namespace

void draw_graph_tab(const History& history, const TableHeader& header, int refresh_ms,
                    const ScreenFlags& flags) {
  draw_tab_frame(Tab::kGraph, header, history, flags);
  const int below_chart = draw_traffic(2, history, refresh_ms / 1000.0) + 1;
  const int half_width = COLS / 2;
  const int free_lines = LINES - 1 - below_chart;
  const int shares_height = std::min(static_cast<int>(History::kMaxShares) + 1, free_lines / 2);
  draw_shares(below_chart, 0, half_width - 1, shares_height, " Protocols (share of bytes)",
              history.protocols());
  draw_shares(below_chart, half_width, COLS - half_width, shares_height,
              " Apps (share of bytes, by server name)", history.apps());
  const int top_y = below_chart + shares_height + 1;
  const int top_height = std::min(static_cast<int>(History::kTopCount) + 1, LINES - 1 - top_y);
  if (top_height >= 2) {
    draw_ranked(top_y, 0, half_width - 1, top_height, " Top processes (rate, recent samples)",
                history.top_processes());
    draw_ranked(top_y, half_width, COLS - half_width, top_height,
                " Top remote hosts (rate, recent samples)", history.top_hosts());
  }
  finish_tab(tab_keys_status(), flags);
}

}  // namespace wiretop::tui
