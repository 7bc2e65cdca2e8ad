#include "app/history_command.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/timestamp.h"
#include "export/history_store.h"
#include "tui/row_text.h"

namespace wiretop::app {

std::optional<std::int64_t> since_seconds(const std::string& text) {
  if (text == "all") return std::nullopt;
  std::size_t used = 0;
  long long n = -1;
  try {
    n = std::stoll(text, &used);
  } catch (...) {
    return -1;
  }
  if (n < 0 || used + 1 != text.size()) return -1;
  switch (text.back()) {
    case 'm': return n * 60;
    case 'h': return n * 3600;
    case 'd': return n * 86400;
    case 'w': return n * 7 * 86400;
    default: return -1;
  }
}

namespace {

void print_table(const std::vector<exporting::UsageTotal>& totals) {
  std::printf("%-8s %-40s %10s %10s %8s\n", "KIND", "NAME", "IN", "OUT", "CONNS");
  for (const auto& t : totals) {
    std::printf("%-8s %-40.40s %10s %10s %8llu\n", exporting::usage_kind_name(t.kind), t.name.c_str(),
                tui::human_bytes(static_cast<double>(t.counts.bytes_in)).c_str(),
                tui::human_bytes(static_cast<double>(t.counts.bytes_out)).c_str(),
                static_cast<unsigned long long>(t.counts.connections));
  }
}

// docs/json-schema.md "Usage record": one line per process and host.
void print_json(const std::vector<exporting::UsageTotal>& totals, std::optional<std::int64_t> since) {
  for (const auto& t : totals) {
    nlohmann::ordered_json j;
    j["kind"] = "usage";
    j["schema_version"] = 1;
    j["scope"] = exporting::usage_kind_name(t.kind);
    j["name"] = t.name;
    j["bytes_in"] = t.counts.bytes_in;
    j["bytes_out"] = t.counts.bytes_out;
    j["connections"] = t.counts.connections;
    j["since"] = since ? nlohmann::ordered_json(core::format_rfc3339(core::Timestamp{*since * 1'000'000}))
                       : nlohmann::ordered_json(nullptr);
    std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  }
}

}  // namespace

int run_history_command(const HistoryCommand& c) {
  const auto span = since_seconds(c.since);
  if (span && *span < 0) {
    std::fprintf(stderr, "wiretop: history --since: '%s' is not all or N followed by m, h, d or w (e.g. 7d)\n",
                 c.since.c_str());
    return 2;
  }
  const std::string path = c.path.empty() ? exporting::HistoryStore::default_path() : c.path;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "wiretop: history: no usage history at %s (record it with --history)\n", path.c_str());
    return 2;
  }
  auto store = exporting::HistoryStore::open(path);
  if (!store) {
    std::fprintf(stderr, "wiretop: %s\n", store.error().c_str());
    return 2;
  }
  std::optional<std::int64_t> since;
  if (span) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    since = now - *span;
  }
  const auto totals = (*store)->totals(since.value_or(INT64_MIN));
  if (c.json) print_json(totals, since);
  else print_table(totals);
  return 0;
}

}  // namespace wiretop::app
