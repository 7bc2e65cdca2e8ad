#pragma once
// The connection table: records in a slab addressed by index, an open-addressing
// index (linear probing, backward-shift deletion, no tombstones), and one
// intrusive idle list per timeout class so expiry and "evict the stalest" are O(1).

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "flow/connection.h"
#include "flow/rate.h"

namespace wiretop::flow {

class FlowTable {
 public:
  static constexpr std::uint32_t kNil = 0xFFFFFFFFu;
  static constexpr int kMaxClasses = 8;

  // with_rates: keep a RateWindow per record (views show rates; --json does not).
  explicit FlowTable(std::uint32_t max_flows, std::uint64_t seed = 0x5eed, bool with_rates = true);

  std::uint32_t size() const { return live_; }
  std::uint32_t capacity() const { return max_flows_; }

  // Index of the record with this key, or kNil.
  std::uint32_t find(const FlowKey& key, std::uint64_t hash) const;
  // Creates a record (the caller checked capacity and absence) in idle list `cls`.
  std::uint32_t insert(const FlowKey& key, std::uint64_t hash, std::uint8_t cls);
  void erase(std::uint32_t index);
  std::uint64_t hash(const FlowKey& key) const { return hash_key(key, seed_); }

  // A record never moves while it lives: the slab grows by whole chunks.
  Connection& at(std::uint32_t index) { return chunks_[index >> kChunkBits][index & kChunkMask]; }
  const Connection& at(std::uint32_t index) const {
    return chunks_[index >> kChunkBits][index & kChunkMask];
  }
  // The record's rate window, or null when the table keeps none.
  RateWindow* rate(std::uint32_t index) {
    return rate_chunks_.empty() ? nullptr : &rate_chunks_[index >> kChunkBits][index & kChunkMask];
  }
  const RateWindow* rate(std::uint32_t index) const {
    return rate_chunks_.empty() ? nullptr : &rate_chunks_[index >> kChunkBits][index & kChunkMask];
  }

  // Marks the record most recently used within (possibly a new) timeout class.
  void touch(std::uint32_t index, std::uint8_t cls);
  // Least recently used record of a class, or kNil.
  std::uint32_t oldest(std::uint8_t cls) const { return heads_[cls]; }
  // Least recently used record over all classes, or kNil.
  std::uint32_t stalest() const;

  template <typename Fn>
  void for_each(Fn&& fn) const {
    for_each_indexed([&fn](std::uint32_t, const Connection& c) { fn(c); });
  }
  // fn(index, record) for every record.
  template <typename Fn>
  void for_each_indexed(Fn&& fn) const {
    for (int cls = 0; cls < kMaxClasses; ++cls)
      for (std::uint32_t i = heads_[static_cast<std::size_t>(cls)]; i != kNil; i = at(i).lru_next)
        fn(i, at(i));
  }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t index = kNil;
  };
  void grow_index();
  void place(std::uint32_t hash32, std::uint32_t index);
  void unlink(std::uint32_t index);
  void append(std::uint32_t index, std::uint8_t cls);
  std::uint32_t fresh_index();

  // The slab is chunks of 4096 records (1 MB), allocated as the table first
  // fills them: one vector grown by doubling held the old and the new copy at
  // once, so a table of 100k flows peaked at twice its size; reserving
  // max_flows records up front instead asks for gigabytes of address space
  // when --max-flows is large.
  static constexpr std::uint32_t kChunkBits = 12;
  static constexpr std::uint32_t kChunkMask = (1u << kChunkBits) - 1;

  std::uint32_t max_flows_;
  std::uint64_t seed_;
  std::vector<std::unique_ptr<Connection[]>> chunks_;
  std::vector<std::unique_ptr<RateWindow[]>> rate_chunks_;  // parallel to chunks_, or empty
  bool with_rates_;
  std::uint32_t used_ = 0;  // records ever handed out: the next fresh index
  std::vector<std::uint32_t> free_;
  std::vector<Slot> slots_;
  std::uint32_t mask_ = 0;
  std::uint32_t live_ = 0;
  std::array<std::uint32_t, kMaxClasses> heads_, tails_;
};

}  // namespace wiretop::flow
