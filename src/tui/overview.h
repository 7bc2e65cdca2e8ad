#pragma once
// The full-screen Overview: header, connection table, details, help and filter
// line. The app supplies rows through `fetch`; this module never sees the engine.

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "model/connection_row.h"
#include "tui/plain_table.h"

namespace wiretop::tui {

struct OverviewOptions {
  int refresh_ms = 1000;
  bool color = true;
  bool remote_names = false;  // REMOTE starts as names (--resolve); n toggles
  std::vector<std::string> sandbox_layers;  // for the help overlay: "landlock: applied (ABI 7 ...)"
};

// Fills rows and header with the current state; called once per refresh.
using FetchRows = std::function<void(std::vector<model::ConnectionRow>&, TableHeader&)>;

// Runs until the user quits or `stop` becomes true.
void run_overview(const OverviewOptions& options, const FetchRows& fetch, std::atomic<bool>& stop);

}  // namespace wiretop::tui
