#pragma once
// What the Overview shows, apart from drawing: the sorted, filtered rows and a
// selection that follows the same connection id across refreshes and sorts.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/connection_row.h"
#include "tui/filter.h"

namespace wiretop::tui {

enum class SortKey { kRate, kBytes, kRemote, kAge, kRtt };
inline constexpr int kSortKeyCount = 5;
const char* sort_key_name(SortKey key);

class TableState {
 public:
  // Replaces the rows (sorted and filtered now), keeping the selected id if still present.
  void set_rows(std::vector<model::ConnectionRow> rows);
  void cycle_sort();
  void reverse_sort();
  void set_filter(std::string filter);
  void move_selection(long delta);
  void select_first() { move_selection(-static_cast<long>(visible_.size())); }
  void select_last() { move_selection(static_cast<long>(visible_.size())); }

  const std::vector<model::ConnectionRow>& visible() const { return visible_; }
  std::size_t selected_index() const { return selected_; }
  const model::ConnectionRow* selected_row() const;
  SortKey sort_key() const { return key_; }
  bool descending() const { return descending_; }
  const std::string& filter() const { return filter_; }
  const std::string& filter_error() const { return compiled_.error(); }
  std::size_t total_rows() const { return all_.size(); }

 private:
  void rebuild();

  std::vector<model::ConnectionRow> all_, visible_;
  SortKey key_ = SortKey::kRate;
  bool descending_ = true;
  std::string filter_;
  Filter compiled_;
  std::size_t selected_ = 0;
  std::uint64_t selected_id_ = 0;
  bool has_selection_ = false;
};

}  // namespace wiretop::tui
