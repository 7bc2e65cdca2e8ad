#pragma once
// What the Overview shows, apart from drawing: the sorted, filtered rows and a
// selection that follows the same connection id across refreshes and sorts.
// Grouped by process (`a`), each owner gets a summary row (its connections'
// totals, id kGroupIdBit | hash of its name) followed, when expanded, by its
// connections.

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "model/connection_row.h"
#include "tui/filter.h"

namespace wiretop::tui {

enum class SortKey { kRate, kBytes, kProcess, kRemote, kAge, kRtt };
inline constexpr int kSortKeyCount = 6;
const char* sort_key_name(SortKey key);

inline constexpr std::uint64_t kGroupIdBit = 1ull << 63;

enum class RowKind : std::uint8_t { kConnection, kGroup, kMember };

class TableState {
 public:
  // Replaces the rows (sorted and filtered now), keeping the selected id if still present.
  void set_rows(std::vector<model::ConnectionRow> rows);
  void cycle_sort();
  void reverse_sort();
  void set_filter(std::string filter);
  void move_selection(long delta);
  // Grouping by process: on/off, and expanding or collapsing the selected group.
  void toggle_grouping();
  void toggle_selected_group();
  bool grouped() const { return grouped_; }
  void select_first() { move_selection(-static_cast<long>(visible_.size())); }
  void select_last() { move_selection(static_cast<long>(visible_.size())); }

  const std::vector<model::ConnectionRow>& visible() const { return visible_; }
  std::size_t selected_index() const { return selected_; }
  const model::ConnectionRow* selected_row() const;
  // For visible()[i]: a plain connection, a group's summary row, or a group's member.
  RowKind kind(std::size_t i) const { return i < kinds_.size() ? kinds_[i] : RowKind::kConnection; }
  // For a group summary row: how many connections it sums, and whether they are listed.
  std::size_t group_size(std::size_t i) const;
  bool group_expanded(std::size_t i) const;
  SortKey sort_key() const { return key_; }
  bool descending() const { return descending_; }
  const std::string& filter() const { return filter_; }
  const std::string& filter_error() const { return compiled_.error(); }
  std::size_t total_rows() const { return all_.size(); }

 private:
  void rebuild();
  void build_groups(std::vector<model::ConnectionRow> rows);

  std::vector<model::ConnectionRow> all_, visible_;
  std::vector<RowKind> kinds_;            // parallel to visible_
  std::vector<std::size_t> group_sizes_;  // parallel to visible_ (0 but for group rows)
  bool grouped_ = false;
  std::unordered_set<std::string> expanded_;  // group names (process_text) shown expanded
  SortKey key_ = SortKey::kRate;
  bool descending_ = true;
  std::string filter_;
  Filter compiled_;
  std::size_t selected_ = 0;
  std::uint64_t selected_id_ = 0;
  bool has_selection_ = false;
};

}  // namespace wiretop::tui
