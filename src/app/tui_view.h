#pragma once
// Runs the full-screen Overview over an engine: the engine on a worker thread,
// the view polling its snapshots on this one.

#include <atomic>
#include <string>
#include <vector>

#include "app/alert_outputs.h"
#include "engine/engine.h"
#include "export/enricher.h"
#include "export/history_store.h"
#include "export/service_names.h"

namespace wiretop::app {

struct TuiViewOptions {
  std::string source;
  double keep_closed = 0;
  int refresh_ms = 1000;
  bool color = true;
  bool hold = false;  // -r: keep the view up after the file ends, until the user quits
  bool show_localhost = false;  // list connections between loopback addresses
  bool resolve = false;         // REMOTE starts as names (the n key toggles)
  const exporting::ServiceNames* services = nullptr;  // names for the SERVICE column
  const exporting::Enricher* enricher = nullptr;      // GeoIP, address classes, MAC vendors
  std::string sandbox = "off";  // the sandbox's state for the header
  std::vector<std::string> sandbox_layers;  // each layer's state and why, for the help overlay
  exporting::HistoryStore* history = nullptr;  // --history: the Activity tab's history section
  AlertOutputs* alerts = nullptr;  // --alerts: the view sets its own sink here (the Alerts tab)
};

// `stop` is the app's signal flag: SIGINT/SIGTERM set it and the view closes at once.
int run_tui_view(engine::Engine& engine, const TuiViewOptions& options, std::atomic<bool>& stop);

}  // namespace wiretop::app
