#pragma once
// One alert as every output sees it (issue 10): the JSON log's "alert" event,
// --json's "kind":"alert" record, a syslog line and the TUI's Alerts tab. The
// engine's rules (engine/alerts.h) raise them; views and exporters only read.

#include <cstdint>
#include <string>

#include "core/timestamp.h"

namespace wiretop::model {

struct Alert {
  core::Timestamp ts;        // packet clock of the packet (or end) that raised it
  std::string rule;          // "tls_old", "new_destination", ... or a custom rule's id
  std::string severity;      // "info", "warning" or "critical"
  std::string message;       // one line for a human
  std::uint64_t connection_id = 0;  // 0: not about one connection
  std::string client, server;       // "ip:port" of each end (empty when none)
  std::string server_name;          // SNI, HTTP host or DNS name, when known
  std::string app;                  // DPI protocol, when known
  std::uint32_t pid = 0;            // 0: unknown
  std::string process;              // process name, empty when unknown
};

}  // namespace wiretop::model
