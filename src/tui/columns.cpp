#include "tui/columns.h"

namespace wiretop::tui {
namespace {

constexpr std::array<const char*, kColumnCount> kTitles{"PROTO", "LOCAL",  "REMOTE", "STATE", "SERVICE", "APP",
                                                        "DOWN/s", "UP/s", "BYTES",  "RTT",   "PROCESS"};
// Numbers are right-aligned; text left-aligned.
constexpr std::array<bool, kColumnCount> kRight{false, false, false, false, false, false,
                                                true,  true,  true,  true,  false};

std::size_t index(Column c) { return static_cast<std::size_t>(c); }

// Cuts `text` to `width` (ending in '~' when cut) and pads it.
void put(std::string& line, const std::string& text, std::size_t width, bool right) {
  if (width == 0) return;
  if (!line.empty()) line.push_back(' ');
  std::string cell = text.size() > width ? text.substr(0, width - 1) + "~" : text;
  const std::string pad(width - cell.size(), ' ');
  line += right ? pad + cell : cell + pad;
}

}  // namespace

Layout layout_for(std::size_t cols) {
  // Minimum widths, and how the space beyond them is shared (flexible columns only).
  constexpr std::array<std::size_t, kColumnCount> kMin{6, 21, 24, 11, 9, 16, 9, 9, 8, 8, 14};
  constexpr std::array<std::size_t, kColumnCount> kWeight{0, 20, 35, 0, 0, 30, 0, 0, 0, 0, 15};
  // Dropped in this order while the minimums do not fit.
  constexpr Column kDrop[] = {Column::kProcess, Column::kService, Column::kRtt, Column::kLocal, Column::kBytes};
  Layout l;
  l.width = kMin;
  auto needed = [&] {
    std::size_t sum = 0, shown = 0;
    for (const std::size_t w : l.width)
      if (w) sum += w, ++shown;
    return sum + (shown ? shown - 1 : 0);  // one space between columns
  };
  for (const Column c : kDrop) {
    if (needed() <= cols) break;
    l.width[index(c)] = 0;
  }
  const std::size_t used = needed();
  if (used >= cols) return l;
  std::size_t weights = 0;
  for (std::size_t i = 0; i < kColumnCount; ++i)
    if (l.width[i]) weights += kWeight[i];
  const std::size_t extra = cols - used;
  for (std::size_t i = 0; i < kColumnCount; ++i)
    if (l.width[i] && weights) l.width[i] += extra * kWeight[i] / weights;
  return l;
}

std::string header_text(const Layout& layout) {
  std::string line;
  for (std::size_t i = 0; i < kColumnCount; ++i) put(line, kTitles[i], layout.width[i], kRight[i]);
  return line;
}

std::string row_line(const Layout& layout, const RowText& t, const std::string& remote) {
  const std::array<const std::string*, kColumnCount> cells{&t.proto, &t.local, &remote, &t.state, &t.service, &t.app,
                                                           &t.down,  &t.up,    &t.bytes, &t.rtt,  &t.process};
  std::string line;
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    const std::string& cell = cells[i]->empty() && i == index(Column::kProcess) ? std::string("-") : *cells[i];
    put(line, cell, layout.width[i], kRight[i]);
  }
  return line;
}

}  // namespace wiretop::tui
