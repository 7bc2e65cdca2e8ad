#pragma once
// Command-line options after parsing.

#include <cstdint>
#include <string>
#include <vector>

namespace wiretop::app {

struct Options {
  std::string interface;
  std::string read_file;
  std::string bpf_filter;
  bool json = false;
  double duration = 0;
  unsigned threads = 0;  // 0: cores - 1, at least 1
  std::uint32_t max_flows = 0;  // 0: sized from available memory (flow_budget.h)
  double keep_closed = 0;  // live view: keep ended connections visible this many seconds
  bool hold = false;       // -r on a terminal: keep the full-screen view up after the file ends
  int refresh_ms = 1000;   // full-screen view refresh interval
  bool no_color = false;
  bool check = false;      // --check: report what attribution and the sandbox can do here, exit
  bool show_localhost = false;  // full-screen view: list loopback connections too
  bool resolve = false;         // full-screen view: REMOTE shows names seen on the wire
  bool redact = false;          // pseudonymise addresses, names, users and paths everywhere
  double replay_speed = 0;      // -r: replay at this multiple of the capture's pace (0: at once)
  bool no_dpi = false;            // skip deep packet inspection entirely
  bool no_sandbox = false;        // parse with every privilege (a warning says so)
  bool sandbox_strict = false;    // exit 2 unless every layer applies in full; seccomp kills
  std::string user;               // switch to this user after start-up
  std::string sandbox_layers;     // tests: only these layers (landlock,caps,nnp,seccomp)
  bool no_attribution = false;    // live: no attribution helper, no process columns
  bool no_ebpf = false;           // live: attribution by sock_diag/procfs only
  std::uint32_t dpi_packets = 32;  // payload packets inspected each way per connection
  std::string config;               // --config: this file instead of the default ones
  std::string json_log;             // --json-log: connection events as JSON lines
  double json_log_max_mb = 100;  // rotate the JSON log past this size (0: never; fractions allowed)
  std::vector<std::string> geoip_dbs;  // --geoip-db: MaxMind .mmdb files (empty: the system's)
  // Exports (issue 8): files created and the socket connected before the sandbox.
  std::string pcap_export;         // classic pcap + PATH.connections.jsonl
  std::string pcapng_export;       // pcapng with a per-packet comment
  std::string ipfix;               // HOST:PORT (UDP)
  double ipfix_active_timeout = 60;
  double ipfix_idle_timeout = 15;
  // --history (issue 10): usage totals kept in SQLite; "default" is
  // exporting::HistoryStore::default_path(); empty: off.
  std::string history;
  std::string metrics;  // --metrics ADDR:PORT: Prometheus text format on GET /metrics (empty: off)
  // Alerts (issue 10).
  std::string alerts;         // --alerts: the rules file (TOML, docs/alerts.md)
  bool syslog = false;        // --syslog: each alert also to the local syslog daemon
  std::string syslog_socket;  // tests: another socket than /dev/log
};

}  // namespace wiretop::app
