#pragma once
// A plain-text connection table: the live view when stdout is not a terminal,
// and the final table of `wiretop -r FILE` without --json or --hold.

#include <cstddef>
#include <string>
#include <vector>

#include "core/timestamp.h"
#include "model/alert.h"
#include "model/connection_row.h"
#include "model/usage_history.h"
#include "model/listener_row.h"
#include "tui/interface_stats.h"

namespace wiretop::tui {

struct TableHeader {
  std::string source;  // "eth0" or the capture file
  std::size_t connections = 0;
  unsigned long long packets = 0;
  unsigned long long drops = 0;
  double down_bps = 0, up_bps = 0;  // all rows' rates toward / from the local side
  std::string sandbox = "off";      // what containment is in force
  std::string attribution;          // live: "running (sock_diag)", "lost: <why>", "off: <why>"
  core::Timestamp now;              // the packet clock: how idle each row is
  std::size_t hidden_localhost = 0; // loopback connections left out (no --show-localhost)
  std::vector<InterfaceStats> interfaces;  // for the Activity tab; the app reads them every 2 s
  model::UsageHistory usage;               // --history: the Activity tab's history section
  // For the Listen tab: this host's listening sockets with their current
  // connections, or why there are none to show (offline, no attribution).
  std::vector<model::ListenerRow> listeners;
  std::string listeners_note;
  // --alerts (issue 10): the header's counter and the Alerts tab (newest first, the latest kept).
  bool alerts_enabled = false;
  unsigned long long alert_count = 0;
  std::vector<model::Alert> alerts;
};

// Renders at most `max_rows` rows, busiest (rate, then bytes) first.
std::string render_plain_table(std::vector<model::ConnectionRow> rows, const TableHeader& header,
                               std::size_t max_rows);

}  // namespace wiretop::tui
