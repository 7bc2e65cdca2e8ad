#pragma once
// Delta snapshots (issue 9): what a shard hands the view side each refresh —
// the rows of connections that changed since its last snapshot and the ids of
// those that ended — and the view side's map of every open connection's
// newest row, patched by those deltas. A refresh then costs the shard what
// changed, not what is open.

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/timestamp.h"
#include "model/connection_row.h"

namespace wiretop::engine {

struct RowDelta {
  // Every open connection (the shard's first snapshot, or one after something
  // that names many rows changed): the receiver drops what it held first.
  bool full = false;
  std::vector<model::ConnectionRow> rows;  // new or changed since the last delta, oldest first
  std::vector<std::uint64_t> ended;        // ids that ended since the last delta
  core::Timestamp now;                     // the shard's packet clock when it served this

  // Appends a later delta of the same shard (served before this one was taken).
  void append(RowDelta&& later);
};

class RowMap {
 public:
  void apply(RowDelta&& delta);
  // Appends every open connection's row with its rates at the newest delta's
  // clock (a row is re-served only when a packet changed it, yet its rates
  // keep decaying: they are recomputed here from the row's rate window).
  void append_to(std::vector<model::ConnectionRow>& out) const;
  std::size_t size() const { return rows_.size(); }

 private:
  std::unordered_map<std::uint64_t, model::ConnectionRow> rows_;
  core::Timestamp now_;
};

}  // namespace wiretop::engine
