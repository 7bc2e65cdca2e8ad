#pragma once
// What --history recorded, as the views show it (issue 10): bytes (in + out)
// per process and remote host over today, the last 7 and the last 30 days.
// The app reads the store (export/) and hands this to the TUI, which sees
// neither SQLite nor the store.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wiretop::model {

struct UsageHistoryRow {
  bool host = false;  // a remote host, else a process
  std::string name;
  std::array<std::uint64_t, 3> bytes{};  // today, 7 days, 30 days
};

struct UsageHistory {
  bool enabled = false;  // --history is on
  std::vector<UsageHistoryRow> rows;  // largest 30-day total first
};

}  // namespace wiretop::model
