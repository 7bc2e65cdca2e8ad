#pragma once
// How far each shard worker has got, so that a record's server name learned
// from DNS does not depend on thread timing. A DNS answer and the connection
// it names can land in different shards; the inline engine has handled every
// earlier packet when it emits a connection, so before a sharded worker emits
// one it waits until every other shard has handled its packets up to the
// connection's first packet (or has nothing left to handle).
//
// Packet times stand in for capture order (captures are time-ordered; a file
// whose times go backwards may still differ by thread count in rare cases).
// Two workers each emitting a connection that started at the very packet the
// other is handling would wait on each other: the wait is bounded (kMaxWait),
// after which the record is emitted with what is known.
//
// A shard the capture thread handles itself (engine.cpp: no spare core for a
// separate capture thread) has no ring: its entry in `rings` is null, and it
// reports finished() after each record, so that between records it counts as
// done with everything it was sent, like a drained ring.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/spsc_ring.h"

namespace wiretop::engine {

class ShardProgress {
 public:
  static constexpr auto kMaxWait = std::chrono::milliseconds(200);

  explicit ShardProgress(std::vector<const SpscRing*> rings);

  // Shard `shard` is about to handle a record of time `ts_usec`: everything
  // it received before has been handled.
  void starting(unsigned shard, std::int64_t ts_usec) {
    frontier_[shard].value.store(ts_usec, std::memory_order_release);
  }
  // A shard without a ring has handled its record: it is past every time.
  void finished(unsigned shard) { frontier_[shard].value.store(kIdle, std::memory_order_release); }
  // Blocks until every shard but `self` has handled its records up to and
  // including time `ts_usec`, or kMaxWait passed.
  void wait_for_others(unsigned self, std::int64_t ts_usec) const;

 private:
  bool others_past(unsigned self, std::int64_t ts_usec) const;
  static constexpr std::int64_t kIdle = INT64_MAX;

  struct alignas(64) Frontier {
    std::atomic<std::int64_t> value{0};
  };
  std::vector<const SpscRing*> rings_;
  std::unique_ptr<Frontier[]> frontier_;
};

}  // namespace wiretop::engine
