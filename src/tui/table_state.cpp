#include "tui/table_state.h"

#include <algorithm>

#include "tui/filter.h"

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

}  // namespace

const char* sort_key_name(SortKey key) {
  switch (key) {
    case SortKey::kRate: return "rate";
    case SortKey::kBytes: return "bytes";
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

void TableState::rebuild() {
  visible_.clear();
  for (const auto& row : all_) {
    if (compiled_.matches(row)) visible_.push_back(row);
  }
  std::sort(visible_.begin(), visible_.end(), [this](const auto& a, const auto& b) {
    const int c = compare(a, b, key_);
    if (c != 0) return descending_ ? c > 0 : c < 0;
    return a.id < b.id;
  });
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
