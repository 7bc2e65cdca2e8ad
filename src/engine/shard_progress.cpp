#include "engine/shard_progress.h"

#include <thread>

namespace wiretop::engine {

ShardProgress::ShardProgress(std::vector<const SpscRing*> rings)
    : rings_(std::move(rings)), frontier_(new Frontier[rings_.size()]) {
  for (std::size_t i = 0; i < rings_.size(); ++i)
    if (rings_[i] == nullptr) finished(static_cast<unsigned>(i));
}

bool ShardProgress::others_past(unsigned self, std::int64_t ts_usec) const {
  for (unsigned i = 0; i < rings_.size(); ++i) {
    if (i == self) continue;
    // A shard handling a record later than ts_usec is done with everything up to it; an
    // idle shard (ring drained) is done with everything it was sent.
    // A shard without a ring is idle between records (finished()).
    if (frontier_[i].value.load(std::memory_order_acquire) <= ts_usec &&
        (rings_[i] == nullptr || !rings_[i]->drained()))
      return false;
  }
  return true;
}

void ShardProgress::wait_for_others(unsigned self, std::int64_t ts_usec) const {
  if (others_past(self, ts_usec)) return;
  const auto deadline = std::chrono::steady_clock::now() + kMaxWait;
  int spins = 0;
  while (!others_past(self, ts_usec) && std::chrono::steady_clock::now() < deadline) {
    if (++spins < 64) std::this_thread::yield();
    else std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
}

}  // namespace wiretop::engine
