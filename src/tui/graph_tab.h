#pragma once
// The Graph tab: total traffic down/up over the last minutes as an ASCII chart,
// the per-protocol and per-app distribution, top processes and top remote hosts.

#include "tui/draw.h"
#include "tui/history.h"
#include "tui/plain_table.h"

namespace wiretop::tui {

void draw_graph_tab(const History& history, const TableHeader& header, int refresh_ms, const ScreenFlags& flags);

}  // namespace wiretop::tui
