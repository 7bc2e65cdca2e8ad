#include "tui/history.h"

#include <algorithm>
#include <string_view>

#include "tui/row_text.h"

namespace wiretop::tui {
namespace {

constexpr const char* kOther = "other";

std::uint64_t minus_floor0(std::uint64_t a, std::uint64_t b) {
  return a > b ? a - b : 0;
}

// Bytes per label, largest first, cut to `max_bars` bars with the rest summed in "other".
std::vector<Share> shares(const std::unordered_map<std::string, std::uint64_t>& by_label,
                          std::size_t max_bars) {
  std::vector<Share> out;
  std::uint64_t total = 0;
  for (const auto& [label, bytes] : by_label) {
    out.push_back({label, bytes, 0});
    total += bytes;
  }
  std::sort(out.begin(), out.end(), [](const Share& a, const Share& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.label < b.label;
  });
  if (out.size() > max_bars) {
    Share other{kOther, 0, 0};
    for (std::size_t i = max_bars - 1; i < out.size(); ++i) other.bytes += out[i].bytes;
    out.resize(max_bars - 1);
    out.push_back(std::move(other));
  }
  for (auto& s : out)
    s.fraction = total ? static_cast<double>(s.bytes) / static_cast<double>(total) : 0;
  return out;
}

// Keeps the busiest kTopCount entries of this sample, each with its recent rates
// carried over from the previous sample (an entry new to the top starts afresh).
std::vector<Ranked> rank_top(std::unordered_map<std::string, Ranked>& now,
                             const std::vector<Ranked>& before) {
  std::vector<Ranked> out;
  out.reserve(now.size());
  for (auto& [label, r] : now) {
    r.label = label;
    out.push_back(std::move(r));
  }
  const auto busier = [](const Ranked& a, const Ranked& b) {
    if (a.rate.total() != b.rate.total()) return a.rate.total() > b.rate.total();
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    return a.label < b.label;
  };
  const std::size_t keep = std::min(out.size(), History::kTopCount);
  std::partial_sort(out.begin(), out.begin() + static_cast<long>(keep), out.end(), busier);
  out.resize(keep);
  for (auto& r : out) {
    const auto it = std::find_if(before.begin(), before.end(),
                                 [&](const Ranked& b) { return b.label == r.label; });
    if (it != before.end()) r.recent = it->recent;
    r.recent.push_back(r.rate.total());
    if (r.recent.size() > History::kRecentSamples) r.recent.erase(r.recent.begin());
  }
  return out;
}

void add(Ranked& r, Traffic rate, std::uint64_t bytes) {
  r.rate.down += rate.down;
  r.rate.up += rate.up;
  r.bytes += bytes;
}

// "www.example.co.uk" -> "example.co.uk": the last two labels, three under a
// country code's generic second level. A heuristic, not the public suffix list.
std::string registered_domain(std::string_view name) {
  while (!name.empty() && name.back() == '.') name.remove_suffix(1);
  const auto last_dot = name.rfind('.');
  if (last_dot == std::string_view::npos || last_dot == 0) return std::string(name);
  const auto second_dot = name.rfind('.', last_dot - 1);
  if (second_dot == std::string_view::npos) return std::string(name);
  const std::string_view tld = name.substr(last_dot + 1);
  const std::string_view second = name.substr(second_dot + 1, last_dot - second_dot - 1);
  static constexpr std::string_view kGenericSecond[] = {"co",  "com", "net", "org",
                                                        "gov", "ac",  "edu"};
  const bool country_generic =
      tld.size() == 2 && std::find(std::begin(kGenericSecond), std::end(kGenericSecond), second) !=
                             std::end(kGenericSecond);
  if (!country_generic || second_dot == 0) return std::string(name.substr(second_dot + 1));
  const auto third_dot = name.rfind('.', second_dot - 1);
  return std::string(third_dot == std::string_view::npos ? name : name.substr(third_dot + 1));
}

}  // namespace

Traffic local_rates(const model::ConnectionRow& row) {
  const bool inbound = server_is_local(row);
  return {row.rate_bps[inbound ? 0 : 1], row.rate_bps[inbound ? 1 : 0]};
}

ByteTotals local_bytes(const model::ConnectionRow& row) {
  const bool inbound = server_is_local(row);
  return {row.bytes[inbound ? 0 : 1], row.bytes[inbound ? 1 : 0]};
}

std::string protocol_label(const model::ConnectionRow& row) {
  // DPI says "UNKNOWN" when it saw payload it could not name: the port says more then.
  if (row.app && !row.app->proto.empty() && row.app->proto != "UNKNOWN") return row.app->proto;
  if (!row.service.empty())
    return std::string(proto_label(row.ip_proto)) + "/" + std::string(row.service);
  if (row.has_ports)
    return std::string(proto_label(row.ip_proto)) + "/" + std::to_string(row.server_port);
  return proto_label(row.ip_proto);
}

std::string app_label(const model::ConnectionRow& row) {
  if (row.server_name.empty()) return "(no name)";
  return registered_domain(row.server_name);
}

std::string host_label(const model::ConnectionRow& row) {
  if (!row.server_name.empty()) return row.server_name;
  return endpoint_text(server_is_local(row) ? row.client_ip : row.server_ip, false, 0);
}

std::string process_label(const model::ConnectionRow& row) {
  if (row.pid == 0) return "unknown";
  if (row.process_name.empty()) return "pid " + std::to_string(row.pid);
  return row.process_name + " (" + std::to_string(row.pid) + ")";
}

void History::sample(const std::vector<model::ConnectionRow>& rows) {
  Traffic total;
  std::unordered_map<std::string, std::uint64_t> by_protocol, by_app;
  std::unordered_map<std::string, Ranked> by_process, by_host;
  for (const auto& row : rows) {
    const Traffic rate = local_rates(row);
    const std::uint64_t bytes = local_bytes(row).total();
    total.down += rate.down;
    total.up += rate.up;
    by_protocol[protocol_label(row)] += bytes;
    by_app[app_label(row)] += bytes;
    add(by_process[process_label(row)], rate, bytes);
    add(by_host[host_label(row)], rate, bytes);
  }
  totals_.push(total);
  protocols_ = shares(by_protocol, kMaxShares);
  apps_ = shares(by_app, kMaxShares);
  top_processes_ = rank_top(by_process, top_processes_);
  top_hosts_ = rank_top(by_host, top_hosts_);
  update_processes(rows);
  ++samples_taken_;
}

std::string History::process_key(const std::string& label) {
  if (processes_.count(label) || processes_.size() < kMaxProcesses) return label;
  ++processes_over_cap_;
  return kOther;
}

void History::update_processes(const std::vector<model::ConnectionRow>& rows) {
  for (auto& [label, p] : processes_) {
    p.rate = {};
    p.connections = 0;
    p.live = {};
  }
  std::unordered_map<std::uint64_t, Tracked> now_listed;
  now_listed.reserve(rows.size());
  for (const auto& row : rows) {
    const auto again = ended_.find(row.id);
    if (again != ended_.end()) {  // back in the rows after it left them: its bytes count live again
      Process& was = processes_[again->second.process];
      was.ended.down = minus_floor0(was.ended.down, again->second.bytes.down);
      was.ended.up = minus_floor0(was.ended.up, again->second.bytes.up);
      ended_.erase(again);
    }
    Tracked t{process_key(process_label(row)), local_bytes(row)};
    Process& p = processes_[t.process];
    const Traffic rate = local_rates(row);
    p.rate.down += rate.down;
    p.rate.up += rate.up;
    ++p.connections;
    p.live.down += t.bytes.down;
    p.live.up += t.bytes.up;
    now_listed[row.id] = std::move(t);
  }
  retire_missing(now_listed);
  listed_ = std::move(now_listed);
  for (auto& [label, p] : processes_) p.recent.push(p.rate);
}

// Connections listed last time and gone now keep their last bytes in their process's total.
void History::retire_missing(const std::unordered_map<std::uint64_t, Tracked>& now_listed) {
  for (auto& [id, t] : listed_) {
    if (now_listed.count(id)) continue;
    Process& p = processes_[t.process];
    p.ended.down += t.bytes.down;
    p.ended.up += t.bytes.up;
    ended_[id] = t;
    ended_order_.push_back(id);
  }
  while (ended_order_.size() > kRecentlyEnded) {
    ended_.erase(ended_order_.front());
    ended_order_.pop_front();
  }
}

std::vector<ProcessTotals> History::processes_by_egress(bool egress) const {
  std::vector<ProcessTotals> out;
  out.reserve(processes_.size());
  for (const auto& [label, p] : processes_) {
    ProcessTotals t{label, p.connections, p.rate, {}, {}};
    for (std::size_t i = 0; i < p.recent.size(); ++i) {
      t.rolling.down += p.recent[i].down / static_cast<double>(p.recent.size());
      t.rolling.up += p.recent[i].up / static_cast<double>(p.recent.size());
    }
    t.retained = {p.live.down + p.ended.down, p.live.up + p.ended.up};
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [egress](const ProcessTotals& a, const ProcessTotals& b) {
    const double ra = egress ? a.rolling.up : a.rolling.down,
                 rb = egress ? b.rolling.up : b.rolling.down;
    if (ra != rb) return ra > rb;
    const auto ba = egress ? a.retained.up : a.retained.down,
               bb = egress ? b.retained.up : b.retained.down;
    if (ba != bb) return ba > bb;
    return a.label < b.label;
  });
  return out;
}

}  // namespace wiretop::tui
