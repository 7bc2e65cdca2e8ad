#pragma once
// Plain-ASCII charts for the Graph and Activity tabs, as pure functions of the
// numbers so they are unit-tested without a terminal, and so they draw on any
// terminal (no braille, no Unicode blocks).

#include <cstddef>
#include <string>
#include <vector>

#include "tui/history.h"

namespace wiretop::tui {

// The smallest 1, 2 or 5 x 10^n x 1024^k bytes at or above `value` (at least 1 KiB):
// round numbers in the units human_bytes() prints.
double chart_scale(double value);

// The last `width` values as one character each on a ramp from '_' (zero) to '@'
// (the largest value shown); right-aligned, blank where there is no sample yet.
std::string sparkline(const std::vector<double>& values, std::size_t width);

// A mirrored chart of the last `width` samples, the newest on the right: `half`
// lines of down growing up from the middle, an axis line of '-', then `half` lines
// of up growing down. A full cell is '#'; a partly filled one '.' (down) or '\'' (up).
std::vector<std::string> traffic_chart(const Ring<Traffic>& totals, std::size_t width,
                                       std::size_t half, double scale);

// `fraction` of `width` as '#', the rest as '.'.
std::string fraction_bar(double fraction, std::size_t width);

}  // namespace wiretop::tui
