#pragma once
// The Alerts tab (issue 10): the alerts --alerts rules raised, newest first,
// one line each (time, severity, rule, process, message); the header counts
// them all, the tab lists the newest the app keeps.

#include <string>

#include "model/alert.h"
#include "tui/draw.h"
#include "tui/history.h"
#include "tui/plain_table.h"

namespace wiretop::tui {

// One alert as the tab lists it: "hh:mm:ss  SEVERITY  RULE  PROCESS  MESSAGE" (UTC, packet clock).
std::string alert_line(const model::Alert& alert);

void draw_alerts_tab(const History& history, const TableHeader& header, const ScreenFlags& flags);

}  // namespace wiretop::tui
