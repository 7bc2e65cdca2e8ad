#include "tui/chart.h"

#include <algorithm>
#include <cmath>

namespace wiretop::tui {
namespace {

// How much of the cell [bottom, bottom + step) `value` fills: 0 none, 1 part, 2 all.
int cell_fill(double value, double bottom, double step) {
  if (value >= bottom + step) return 2;
  return value > bottom ? 1 : 0;
}

}  // namespace

double chart_scale(double value) {
  constexpr double kSteps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500};
  double unit = 1024;
  for (int k = 0; k < 6; ++k, unit *= 1024) {
    for (double step : kSteps) {
      if (step * unit >= value) return step * unit;
    }
  }
  return value;
}

std::string sparkline(const std::vector<double>& values, std::size_t width) {
  static constexpr char kRamp[] = "_.,:-=+*#@";
  constexpr std::size_t kLevels = sizeof kRamp - 2;  // above '_'
  const std::size_t shown = std::min(values.size(), width);
  const auto first = values.end() - static_cast<long>(shown);
  const double top = shown ? *std::max_element(first, values.end()) : 0;
  std::string out(width - shown, ' ');
  for (auto it = first; it != values.end(); ++it) {
    if (top <= 0 || *it <= 0) {
      out += kRamp[0];
      continue;
    }
    const auto level =
        static_cast<std::size_t>(std::ceil(*it / top * static_cast<double>(kLevels)));
    out += kRamp[std::clamp<std::size_t>(level, 1, kLevels)];
  }
  return out;
}

std::vector<std::string> traffic_chart(const Ring<Traffic>& totals, std::size_t width,
                                       std::size_t half, double scale) {
  std::vector<std::string> lines(2 * half + 1, std::string(width, ' '));
  lines[half] = std::string(width, '-');
  if (half == 0 || scale <= 0) return lines;
  const double step = scale / static_cast<double>(half);
  const std::size_t shown = std::min(totals.size(), width);
  for (std::size_t i = 0; i < shown; ++i) {
    const Traffic& t = totals[totals.size() - shown + i];
    const std::size_t x = width - shown + i;
    for (std::size_t level = 0; level < half; ++level) {
      const double bottom = step * static_cast<double>(level);
      const int down = cell_fill(t.down, bottom, step), up = cell_fill(t.up, bottom, step);
      if (down) lines[half - 1 - level][x] = down == 2 ? '#' : '.';
      if (up) lines[half + 1 + level][x] = up == 2 ? '#' : '\'';
    }
  }
  return lines;
}

std::string fraction_bar(double fraction, std::size_t width) {
  const double clamped = std::clamp(fraction, 0.0, 1.0);
  const auto filled = static_cast<std::size_t>(std::lround(clamped * static_cast<double>(width)));
  return std::string(filled, '#') + std::string(width - filled, '.');
}

}  // namespace wiretop::tui
