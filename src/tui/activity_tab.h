#pragma once
// The Activity tab: processes ranked by egress or ingress (rolling rate and
// retained totals), and the host's interface statistics below them.

#include "tui/draw.h"
#include "tui/history.h"
#include "tui/plain_table.h"

namespace wiretop::tui {

enum class Direction { kEgress, kIngress };

void draw_activity_tab(const History& history, const TableHeader& header, Direction rank_by,
                       const ScreenFlags& flags);

}  // namespace wiretop::tui
