#pragma once
// The Listen tab (issue 10): this host's listening sockets (TCP LISTEN and
// bound, unconnected UDP), exposed ones first, with owner, user and the
// connections each serves now. Offline there are none, and the tab says why.

#include <vector>

#include "model/listener_row.h"
#include "tui/draw.h"
#include "tui/history.h"
#include "tui/plain_table.h"

namespace wiretop::tui {

// Exposed first, then by protocol, port and address: the order the tab lists them in.
void sort_listeners(std::vector<model::ListenerRow>& listeners);

void draw_listen_tab(const History& history, const TableHeader& header, const ScreenFlags& flags);

}  // namespace wiretop::tui
