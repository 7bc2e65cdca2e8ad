#pragma once
// A plain-text connection table: the live view when stdout is not a terminal,
// and the final table of `wiretop -r FILE` without --json or --hold.

#include <cstddef>
#include <string>
#include <vector>

#include "model/connection_row.h"

namespace wiretop::tui {

struct TableHeader {
  std::string source;  // "eth0" or the capture file
  std::size_t connections = 0;
  unsigned long long packets = 0;
  unsigned long long drops = 0;
};

// Renders at most `max_rows` rows, busiest (rate, then bytes) first.
std::string render_plain_table(std::vector<model::ConnectionRow> rows, const TableHeader& header,
                               std::size_t max_rows);

}  // namespace wiretop::tui
