#pragma once
// The details view's text for one connection: everything wiretop knows of it,
// one "label  value" line each, lines for unknown things left out. Pure text,
// so it is unit-tested without a terminal.

#include <string>
#include <vector>

#include "model/connection_row.h"

namespace wiretop::tui {

std::vector<std::string> details_lines(const model::ConnectionRow& row);

}  // namespace wiretop::tui
