#pragma once
// `wiretop history [--since 7d] [--json] [--history PATH]`: prints the usage
// totals --history recorded (per process and per remote host) and exits.

#include <cstdint>
#include <optional>
#include <string>

namespace wiretop::app {

struct HistoryCommand {
  std::string path;          // empty: the default database
  std::string since = "all";  // "all", or N followed by m, h, d or w
  bool json = false;
};

// Seconds a --since value spans ("7d" -> 604800); nullopt for "all"; -1 when malformed.
std::optional<std::int64_t> since_seconds(const std::string& text);

// Runs the subcommand; the exit code (2 with one line when the database cannot be read).
int run_history_command(const HistoryCommand& command);

}  // namespace wiretop::app
