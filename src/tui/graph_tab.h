#pragma once
// The Graph tab: total traffic down/up over the last minutes as an ASCII chart,
// the per-protocol and per-app distribution of bytes, and the top processes and
// remote hosts with sparklines of their recent rate. Reads only the History.

#include "tui/draw.h"
#include "tui/history.h"
#include "tui/plain_table.h"

namespace wiretop::tui {

// `refresh_ms` is the time between two samples, for the chart's time span.
void draw_graph_tab(const History& history, const TableHeader& header, int refresh_ms,
                    const ScreenFlags& flags);

}  // namespace wiretop::tui
