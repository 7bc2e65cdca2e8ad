#include "engine/alerts.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>

namespace wiretop::engine {
namespace {

constexpr std::uint8_t kProtoTcp = 6, kProtoUdp = 17;
constexpr std::uint16_t kDnsPort = 53;

constexpr std::string_view kRuleNames[kBuiltinRuleCount] = {
    "new_destination", "plaintext_credentials", "tls_old", "ja_blocklist", "dns_resolver", "new_process"};
constexpr std::string_view kDefaultSeverities[kBuiltinRuleCount] = {"info",     "critical", "warning",
                                                                    "critical", "warning",  "info"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string endpoint(const core::IpAddress& ip, bool has_ports, std::uint16_t port) {
  std::string text = ip.to_string();
  if (!has_ports) return text;
  return ip.is_v6() ? "[" + text + "]:" + std::to_string(port) : text + ":" + std::to_string(port);
}

// The process on this machine that opened the connection (the client's), or
// else the local server's; null when unknown or the row has no local end.
const host::ProcessInfo* local_process(const model::ConnectionRow& row) {
  if (row.process) return row.process.get();
  return row.server_process.get();
}

// The process that opened an outbound connection: the client side only. On
// loopback both ends are ours, and the server's accepted socket is often named
// first; an outbound rule must not take the server for the one going out.
const host::ProcessInfo* client_process(const model::ConnectionRow& row) { return row.process.get(); }

// Outbound: the client is this machine, or (offline) it may be.
bool outbound(const model::ConnectionRow& row) { return !row.locality_known || row.client_local; }

// "example.com (203.0.113.7:443)" or "203.0.113.7:443".
std::string destination_text(const model::ConnectionRow& row) {
  const std::string server = endpoint(row.server_ip, row.has_ports, row.server_port);
  return row.server_name.empty() ? server : row.server_name + " (" + server + ")";
}

std::string by_process(const model::ConnectionRow& row) {
  const host::ProcessInfo* p = local_process(row);
  return p ? " by " + p->name + " (pid " + std::to_string(p->pid) + ")" : std::string{};
}

// TLS below 1.2: negotiated ("TLS 1.0"), or the most the client offers (JA4's version field).
std::string old_tls(const dpi::AppInfo& app) {
  if (app.tls_version == "TLS 1.0" || app.tls_version == "TLS 1.1" || app.tls_version == "SSL 3.0")
    return app.tls_version + " negotiated";
  if (app.ja4.size() < 3 || (app.ja4[0] != 't' && app.ja4[0] != 'q')) return {};
  const std::string_view v = std::string_view(app.ja4).substr(1, 2);
  if (v == "10") return "client offers at most TLS 1.0";
  if (v == "11") return "client offers at most TLS 1.1";
  if (v == "s3") return "client offers at most SSL 3.0";
  if (v == "s2") return "client offers SSL 2.0";
  return {};
}

std::string_view credentials_text(std::string_view kind) {
  if (kind == "ftp") return "FTP USER/PASS";
  if (kind == "http_basic") return "HTTP Basic credentials";
  if (kind == "snmp_community") return "SNMP community string";
  if (kind == "telnet") return "Telnet password";
  return "credentials";
}

}  // namespace

std::string_view builtin_rule_name(BuiltinRule rule) { return kRuleNames[static_cast<std::size_t>(rule)]; }

std::string_view builtin_default_severity(BuiltinRule rule) {
  return kDefaultSeverities[static_cast<std::size_t>(rule)];
}

bool is_severity(std::string_view text) { return text == "info" || text == "warning" || text == "critical"; }

// Builds and records the alerts of one event; a rule raises at most once per
// connection (the bit `index` of the connection's mask).
struct Alerts::Raiser {
  Alerts& self;
  const model::ConnectionRow& row;
  std::uint64_t& fired;
  std::vector<model::Alert>& out;
  const host::ProcessInfo* process = local_process(row);  // the one the alert names

  bool done(std::size_t index) const { return (fired >> index) & 1u; }
  void raise(std::size_t index, const std::string& rule, const std::string& severity, std::string message) {
    fired |= std::uint64_t{1} << index;
    model::Alert a;
    a.ts = row.last_seen;
    a.rule = rule;
    a.severity = severity;
    a.message = std::move(message);
    a.connection_id = row.id;
    a.client = endpoint(row.client_ip, row.has_ports, row.client_port);
    a.server = endpoint(row.server_ip, row.has_ports, row.server_port);
    a.server_name = row.server_name;
    if (row.app) a.app = row.app->proto;
    if (process) {
      a.pid = process->pid;
      a.process = process->name;
    }
    self.count(a.rule);
    out.push_back(std::move(a));
  }
  void raise(BuiltinRule rule, std::string message) {
    const auto i = static_cast<std::size_t>(rule);
    const std::string& configured = self.rules_.builtins[i].severity;
    raise(i, std::string(builtin_rule_name(rule)),
          configured.empty() ? std::string(builtin_default_severity(rule)) : configured, std::move(message));
  }
};

Alerts::Alerts(AlertRules rules, AlertContext context) : rules_(std::move(rules)), context_(std::move(context)) {
  for (std::string& ja : rules_.ja_blocklist) ja = lower(ja);
}

Alerts::~Alerts() = default;

core::Result<std::unique_ptr<Alerts>, std::string> Alerts::create(AlertRules rules, AlertContext context) {
  if (rules.custom.size() > AlertRules::kMaxCustomRules)
    return core::Err{"at most " + std::to_string(AlertRules::kMaxCustomRules) + " custom alert rules"};
  std::unique_ptr<Alerts> alerts(new Alerts(std::move(rules), std::move(context)));
  const auto compile = [](const std::string& pattern, const std::string& id, const char* what)
      -> core::Result<std::unique_ptr<re2::RE2>, std::string> {
    if (pattern.empty()) return std::unique_ptr<re2::RE2>{};
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<re2::RE2>(pattern, options);
    if (!re->ok()) return core::Err{"alert rule '" + id + "': bad " + what + " pattern: " + re->error()};
    return re;
  };
  for (const CustomRule& rule : alerts->rules_.custom) {
    auto server = compile(rule.server_name, rule.id, "server_name");
    if (!server) return core::Err{server.error()};
    auto process = compile(rule.process, rule.id, "process");
    if (!process) return core::Err{process.error()};
    alerts->server_patterns_.push_back(std::move(*server));
    alerts->process_patterns_.push_back(std::move(*process));
  }
  return alerts;
}

void Alerts::on_row(const model::ConnectionRow& row, bool closed, std::vector<model::Alert>& out) {
  std::uint64_t fired = 0;
  const auto it = fired_.find(row.id);
  if (it != fired_.end()) fired = it->second;
  Raiser raise{*this, row, fired, out};
  check_builtins(row, closed, raise);
  check_first_times(row, closed, raise);
  check_custom(row, raise);
  if (closed) {
    if (it != fired_.end()) fired_.erase(it);
  } else if (it != fired_.end()) {
    it->second = fired;
  } else if (fired != 0 && fired_.size() < kMaxOpenConnections) {
    fired_.emplace(row.id, fired);
  }
}

// The rules about one connection's content: DPI told us all they need.
void Alerts::check_builtins(const model::ConnectionRow& row, bool, Raiser& raise) {
  if (!row.app) return;
  const dpi::AppInfo& app = *row.app;
  if (enabled(BuiltinRule::kPlaintextCredentials) && !app.cleartext_auth.empty() &&
      !raise.done(static_cast<std::size_t>(BuiltinRule::kPlaintextCredentials))) {
    std::string message = std::string(credentials_text(app.cleartext_auth)) + " sent in clear text";
    if (app.cleartext_auth == "ftp" && !app.ftp_user.empty()) message += " (user '" + app.ftp_user + "')";
    raise.raise(BuiltinRule::kPlaintextCredentials, message + " to " + destination_text(row) + by_process(row));
  }
  if (enabled(BuiltinRule::kTlsOld) && !raise.done(static_cast<std::size_t>(BuiltinRule::kTlsOld))) {
    const std::string why = old_tls(app);
    if (!why.empty()) raise.raise(BuiltinRule::kTlsOld, why + " with " + destination_text(row) + by_process(row));
  }
  if (enabled(BuiltinRule::kJaBlocklist) && !raise.done(static_cast<std::size_t>(BuiltinRule::kJaBlocklist))) {
    const auto& block = rules_.ja_blocklist;
    for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"JA3", app.ja3},
                                      {"JA3S", app.ja3s}, {"JA4", app.ja4}}) {
      if (value.empty() || std::find(block.begin(), block.end(), lower(value)) == block.end()) continue;
      raise.raise(BuiltinRule::kJaBlocklist, std::string(name) + " " + value + " is on the block list (" +
                                                 destination_text(row) + by_process(row) + ")");
      break;
    }
  }
}

// The rules about first times in this run. They key on the process, so live
// they wait (until the connection ends at the latest) for attribution to name it.
void Alerts::check_first_times(const model::ConnectionRow& row, bool closed, Raiser& raise) {
  if (!row.has_ports || (row.ip_proto != kProtoTcp && row.ip_proto != kProtoUdp)) return;
  // The outbound rules name the client's process and wait for it (or the end).
  const host::ProcessInfo* client = client_process(row);
  const bool client_settled = client || !context_.processes_expected || closed;
  const std::string client_name = client ? client->name : std::string("unknown process");
  raise.process = client;
  const auto nd = static_cast<std::size_t>(BuiltinRule::kNewDestination);
  if (enabled(BuiltinRule::kNewDestination) && outbound(row) && client_settled && !raise.done(nd) &&
      (!row.server_name.empty() || closed)) {
    // The name when one is known (SNI, HTTP host, DNS), else the address.
    const std::string destination = row.server_name.empty() ? row.server_ip.to_string() : row.server_name;
    if (first_time(destinations_, client_name + '\n' + destination))
      raise.raise(BuiltinRule::kNewDestination, "first connection of " + client_name + " to " + destination_text(row));
    else
      raise.fired |= std::uint64_t{1} << nd;
  }
  const auto dr = static_cast<std::size_t>(BuiltinRule::kDnsResolver);
  if (enabled(BuiltinRule::kDnsResolver) && row.server_port == kDnsPort && outbound(row) && client_settled &&
      !raise.done(dr) && (!context_.system_resolvers.empty() || !rules_.resolvers.empty())) {
    const auto allowed = [&](const std::vector<core::IpAddress>& list) {
      return std::find(list.begin(), list.end(), row.server_ip) != list.end();
    };
    raise.fired |= std::uint64_t{1} << dr;
    if (!allowed(context_.system_resolvers) && !allowed(rules_.resolvers) &&
        first_time(resolvers_seen_, client_name + '\n' + row.server_ip.to_string()))
      raise.raise(BuiltinRule::kDnsResolver, "DNS to " + endpoint(row.server_ip, true, row.server_port) +
                                                 ", not a configured resolver, by " + client_name);
  }
  // new_process is about any local socket: the client's, else the server's.
  const host::ProcessInfo* process = local_process(row);
  raise.process = process;
  const auto np = static_cast<std::size_t>(BuiltinRule::kNewProcess);
  if (enabled(BuiltinRule::kNewProcess) && context_.start_ticks != 0 && process && !raise.done(np) &&
      process->start_time > context_.start_ticks) {
    raise.fired |= std::uint64_t{1} << np;
    if (first_time(processes_seen_, std::to_string(process->pid) + '\n' + std::to_string(process->start_time)))
      raise.raise(BuiltinRule::kNewProcess, "traffic from " + process->name + " (pid " + std::to_string(process->pid) +
                                                "), started after wiretop, to " + destination_text(row));
  }
}

void Alerts::check_custom(const model::ConnectionRow& row, Raiser& raise) {
  for (std::size_t i = 0; i < rules_.custom.size(); ++i) {
    const CustomRule& rule = rules_.custom[i];
    const std::size_t bit = kBuiltinRuleCount + i;
    if (raise.done(bit)) continue;
    if (!rule.app.empty() && !(row.app && lower(row.app->proto) == lower(rule.app))) continue;
    if (server_patterns_[i] && (row.server_name.empty() || !RE2::PartialMatch(row.server_name, *server_patterns_[i])))
      continue;
    if (!rule.remote_ports.empty() && (!row.has_ports || std::find(rule.remote_ports.begin(), rule.remote_ports.end(),
                                                                   row.server_port) == rule.remote_ports.end()))
      continue;
    const host::ProcessInfo* process = local_process(row);
    if (process_patterns_[i] && (!process || !RE2::PartialMatch(process->name, *process_patterns_[i]))) continue;
    const std::string message = rule.message.empty() ? "rule " + rule.id + " matched" : rule.message;
    raise.raise(bit, rule.id, rule.severity, message + ": " + destination_text(row) + by_process(row));
  }
}

bool Alerts::first_time(std::unordered_set<std::string>& seen, std::string key) {
  if (seen.count(key)) return false;
  if (seen.size() >= kMaxFirstTimes) {
    ++table_full_;
    return false;
  }
  seen.insert(std::move(key));
  return true;
}

void Alerts::count(const std::string& rule) {
  for (auto& [name, n] : counts_)
    if (name == rule) {
      ++n;
      return;
    }
  counts_.emplace_back(rule, 1);
}

}  // namespace wiretop::engine
