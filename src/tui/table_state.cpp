#include "tui/table_state.h"

#include <algorithm>
#include <unordered_map>

#include "tui/filter.h"
#include "tui/row_text.h"

namespace wiretop::tui {
namespace {

double total_rate(const model::ConnectionRow& r) { return r.rate_bps[0] + r.rate_bps[1]; }
std::uint64_t total_bytes(const model::ConnectionRow& r) { return r.bytes[0] + r.bytes[1]; }

// Three-way compare on the key; ties fall back to id so the order is stable between refreshes.
int compare(const model::ConnectionRow& a, const model::ConnectionRow& b, SortKey key) {
  auto three_way = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (key) {
    case SortKey::kRate: return three_way(total_rate(a), total_rate(b));
    case SortKey::kBytes: return three_way(total_bytes(a), total_bytes(b));
    case SortKey::kProcess: return three_way(b.process_name, a.process_name);  // descending: A first
    case SortKey::kRemote: {
      if (a.server_ip < b.server_ip) return -1;
      if (b.server_ip < a.server_ip) return 1;
      return three_way(a.server_port, b.server_port);
    }
    case SortKey::kAge: return three_way(b.first_seen, a.first_seen);  // older is "more" age
    case SortKey::kRtt: return three_way(a.rtt_ms, b.rtt_ms);
  }
  return 0;
}

// The group a row belongs to when grouped by process.
std::string process_label(const model::ConnectionRow& r) {
  const std::string text = process_text(r);
  return text.empty() ? std::string("(unknown process)") : text;
}

}  // namespace

const char* sort_key_name(SortKey key) {
  switch (key) {
    case SortKey::kRate: return "rate";
    case SortKey::kBytes: return "bytes";
    case SortKey::kProcess: return "process";
    case SortKey::kRemote: return "remote";
    case SortKey::kAge: return "age";
    case SortKey::kRtt: return "rtt";
  }
  return "?";
}

void TableState::set_rows(std::vector<model::ConnectionRow> rows) {
  all_ = std::move(rows);
  rebuild();
}

void TableState::cycle_sort() {
  key_ = static_cast<SortKey>((static_cast<int>(key_) + 1) % kSortKeyCount);
  rebuild();
}

void TableState::reverse_sort() {
  descending_ = !descending_;
  rebuild();
}

void TableState::set_filter(std::string filter) {
  filter_ = std::move(filter);
  compiled_ = Filter(filter_);
  rebuild();
}

void TableState::move_selection(long delta) {
  if (visible_.empty()) return;
  const long last = static_cast<long>(visible_.size()) - 1;
  const long next = std::clamp(static_cast<long>(selected_) + delta, 0L, last);
  selected_ = static_cast<std::size_t>(next);
  selected_id_ = visible_[selected_].id;
  has_selection_ = true;
}

const model::ConnectionRow* TableState::selected_row() const {
  return visible_.empty() ? nullptr : &visible_[selected_];
}

void TableState::toggle_grouping() {
  grouped_ = !grouped_;
  rebuild();
}

void TableState::toggle_selected_group() {
  if (kind(selected_) == RowKind::kConnection) return;
  std::size_t i = selected_;
  while (i > 0 && kinds_[i] != RowKind::kGroup) --i;  // a member: its group is above it
  const std::string name = process_label(visible_[i]);
  if (!expanded_.erase(name)) expanded_.insert(name);
  selected_id_ = visible_[i].id;  // the selection moves to the group row
  rebuild();
}

std::size_t TableState::group_size(std::size_t i) const {
  return i < group_sizes_.size() ? group_sizes_[i] : 0;
}

bool TableState::group_expanded(std::size_t i) const {
  return kind(i) == RowKind::kGroup && expanded_.count(process_label(visible_[i])) > 0;
}

void TableState::build_groups(std::vector<model::ConnectionRow> rows) {
  // Summary rows carry their members' sums; members keep the current sort inside the group.
  std::vector<model::ConnectionRow> groups;
  std::unordered_map<std::string, std::size_t> index_of;
  std::vector<std::vector<model::ConnectionRow>> members;
  for (auto& r : rows) {
    const std::string name = process_label(r);
    auto [it, added] = index_of.emplace(name, groups.size());
    if (added) {
      model::ConnectionRow g;
      g.id = kGroupIdBit | (std::hash<std::string>{}(name) >> 1);
      g.process_name = r.process_name;
      g.pid = r.pid;
      g.first_seen = r.first_seen;
      g.rtt_ms = -1;
      g.state = "GROUP";
      groups.push_back(std::move(g));
      members.emplace_back();
    }
    // The group row is its own "client": [0] leaves the local side, [1] arrives.
    model::ConnectionRow& g = groups[it->second];
    const bool inbound = server_is_local(r);
    for (int d = 0; d < 2; ++d) {
      const int from = inbound ? 1 - d : d;
      g.rate_bps[d] += r.rate_bps[from];
      g.bytes[d] += r.bytes[from];
      g.packets[d] += r.packets[from];
    }
    g.first_seen = std::min(g.first_seen, r.first_seen);
    g.last_seen = std::max(g.last_seen, r.last_seen);
    members[it->second].push_back(std::move(r));
  }
  std::vector<std::size_t> order(groups.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const int c = compare(groups[a], groups[b], key_ == SortKey::kRemote || key_ == SortKey::kRtt ? SortKey::kProcess : key_);
    if (c != 0) return descending_ ? c > 0 : c < 0;
    return groups[a].id < groups[b].id;
  });
  for (const std::size_t i : order) {
    const bool open = expanded_.count(process_label(groups[i])) > 0;
    visible_.push_back(std::move(groups[i]));
    kinds_.push_back(RowKind::kGroup);
    group_sizes_.push_back(members[i].size());
    if (!open) continue;
    for (auto& m : members[i]) {
      visible_.push_back(std::move(m));
      kinds_.push_back(RowKind::kMember);
      group_sizes_.push_back(0);
    }
  }
}

void TableState::rebuild() {
  visible_.clear();
  kinds_.clear();
  group_sizes_.clear();
  std::vector<model::ConnectionRow> matching;
  for (const auto& row : all_) {
    if (compiled_.matches(row)) matching.push_back(row);
  }
  std::sort(matching.begin(), matching.end(), [this](const auto& a, const auto& b) {
    const int c = compare(a, b, key_);
    if (c != 0) return descending_ ? c > 0 : c < 0;
    return a.id < b.id;
  });
  if (grouped_) {
    build_groups(std::move(matching));
  } else {
    visible_ = std::move(matching);
    kinds_.assign(visible_.size(), RowKind::kConnection);
    group_sizes_.assign(visible_.size(), 0);
  }
  selected_ = 0;
  if (has_selection_) {
    const auto it = std::find_if(visible_.begin(), visible_.end(),
                                 [this](const auto& r) { return r.id == selected_id_; });
    if (it != visible_.end()) selected_ = static_cast<std::size_t>(it - visible_.begin());
  }
  if (!visible_.empty()) {
    selected_id_ = visible_[selected_].id;
    has_selection_ = true;
  }
}

}  // namespace wiretop::tui
