#pragma once
// Alert rules (issue 10): built-in rules and the rules file's custom ones,
// evaluated on connection events (new, DPI or process learned, closed). Each
// alert is raised once: per connection, or per (process, destination) where
// the rule is about first times. The rules see rows only (DPI results and the
// attribution's processes ride on them), never packets; the engine calls them
// serialised, on the thread that reports events.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/ip_address.h"
#include "core/result.h"
#include "model/alert.h"
#include "model/connection_row.h"

namespace re2 {
class RE2;
}

namespace wiretop::engine {

enum class BuiltinRule : std::uint8_t {
  kNewDestination,
  kPlaintextCredentials,
  kTlsOld,
  kJaBlocklist,
  kDnsResolver,
  kNewProcess,
};
inline constexpr std::size_t kBuiltinRuleCount = 6;

// "new_destination", "plaintext_credentials", ... (the rules file's and the JSON's names).
std::string_view builtin_rule_name(BuiltinRule rule);
// "info", "warning" or "critical": the default of each built-in rule.
std::string_view builtin_default_severity(BuiltinRule rule);
bool is_severity(std::string_view text);

struct BuiltinSetting {
  bool enabled = true;
  std::string severity;  // empty: the rule's default
};

// A rules-file rule: fires once per connection when every condition given matches.
struct CustomRule {
  std::string id;
  std::string severity = "warning";
  std::string message;
  std::string app;                 // DPI protocol name, case-insensitive ("TLS", "HTTP", ...)
  std::string server_name;         // RE2 pattern searched in the server name (SNI, host, DNS)
  std::vector<std::uint16_t> remote_ports;  // the server's port (any of them)
  std::string process;             // RE2 pattern searched in the process name
};

struct AlertRules {
  std::array<BuiltinSetting, kBuiltinRuleCount> builtins;
  std::vector<std::string> ja_blocklist;   // JA3/JA3S (MD5 hex) or JA4 texts, any case
  std::vector<core::IpAddress> resolvers;  // allowed DNS servers besides /etc/resolv.conf's
  std::vector<CustomRule> custom;
  static constexpr std::size_t kMaxCustomRules = 64 - kBuiltinRuleCount;  // one bit each per connection
};

// What the engine knows at start-up that the rules depend on.
struct AlertContext {
  bool processes_expected = false;  // live with attribution: wait a moment for a row's process
  std::vector<core::IpAddress> system_resolvers;  // /etc/resolv.conf's nameservers (live)
  std::uint64_t start_ticks = 0;  // wiretop's own start (clock ticks since boot); 0: new_process off
};

class Alerts {
 public:
  // Compiles the custom rules' patterns; the error is one line for the user.
  static core::Result<std::unique_ptr<Alerts>, std::string> create(AlertRules rules, AlertContext context);
  ~Alerts();
  Alerts(const Alerts&) = delete;
  Alerts& operator=(const Alerts&) = delete;

  // A connection event: appends the alerts it raises to `out`. `closed`: the
  // connection's last event (its per-connection state is dropped).
  void on_row(const model::ConnectionRow& row, bool closed, std::vector<model::Alert>& out);

  // Alerts raised so far per rule, in first-raised order.
  const std::vector<std::pair<std::string, std::uint64_t>>& counts() const { return counts_; }
  // First-time keys not remembered because a table was full (those alerts may repeat or be missed).
  std::uint64_t table_full() const { return table_full_; }

  static constexpr std::size_t kMaxFirstTimes = 100'000;  // (process, destination) pairs and the like
  static constexpr std::size_t kMaxOpenConnections = 1'000'000;

 private:
  Alerts(AlertRules rules, AlertContext context);
  struct Raiser;
  void check_builtins(const model::ConnectionRow& row, bool closed, Raiser& raise);
  void check_custom(const model::ConnectionRow& row, Raiser& raise);
  void check_first_times(const model::ConnectionRow& row, bool closed, Raiser& raise);
  bool enabled(BuiltinRule rule) const { return rules_.builtins[static_cast<std::size_t>(rule)].enabled; }
  // True the first time `key` is offered (and remembered); false after, or when full.
  bool first_time(std::unordered_set<std::string>& seen, std::string key);
  void count(const std::string& rule);

  AlertRules rules_;
  AlertContext context_;
  std::vector<std::unique_ptr<re2::RE2>> server_patterns_, process_patterns_;  // per custom rule; null: none
  std::unordered_map<std::uint64_t, std::uint64_t> fired_;  // connection id -> rules raised (bit per rule)
  std::unordered_set<std::string> destinations_, resolvers_seen_, processes_seen_;
  std::vector<std::pair<std::string, std::uint64_t>> counts_;
  std::uint64_t table_full_ = 0;
};

}  // namespace wiretop::engine
