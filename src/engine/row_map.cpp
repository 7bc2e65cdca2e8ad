#include "engine/row_map.h"

#include <iterator>

#include "flow/connection.h"

namespace wiretop::engine {

void RowDelta::append(RowDelta&& later) {
  if (later.full) {
    *this = std::move(later);
    return;
  }
  rows.insert(rows.end(), std::make_move_iterator(later.rows.begin()),
              std::make_move_iterator(later.rows.end()));
  ended.insert(ended.end(), later.ended.begin(), later.ended.end());
  now = later.now;
}

// Rows first, then ended ids: ids are never reused, so an id that ended is
// gone whatever rows of it came before, and a later row of an id replaces an
// earlier one.
void RowMap::apply(RowDelta&& delta) {
  if (delta.full) rows_.clear();
  for (model::ConnectionRow& row : delta.rows) {
    const std::uint64_t id = row.id;
    rows_.insert_or_assign(id, std::move(row));
  }
  for (const std::uint64_t id : delta.ended) rows_.erase(id);
  if (delta.now > now_ || delta.full) now_ = delta.now;
}

void RowMap::append_to(std::vector<model::ConnectionRow>& out) const {
  out.reserve(out.size() + rows_.size());
  for (const auto& [id, row] : rows_) {
    out.push_back(row);
    out.back().rate_bps = {row.rate_window.bytes_per_second(now_.usec, flow::kC2S),
                           row.rate_window.bytes_per_second(now_.usec, flow::kS2C)};
  }
}

}  // namespace wiretop::engine
