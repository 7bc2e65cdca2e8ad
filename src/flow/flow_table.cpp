#include "flow/flow_table.h"

namespace wiretop::flow {

FlowTable::FlowTable(std::uint32_t max_flows, std::uint64_t seed, bool with_rates)
    : max_flows_(max_flows == 0 ? 1 : max_flows), seed_(seed), with_rates_(with_rates) {
  heads_.fill(kNil);
  tails_.fill(kNil);
  slots_.resize(1024);
  mask_ = 1023;
  chunks_.reserve((std::size_t{max_flows_} + kChunkMask) >> kChunkBits);
  if (with_rates_) rate_chunks_.reserve(chunks_.capacity());
}

std::uint32_t FlowTable::find(const FlowKey& key, std::uint64_t hash) const {
  const auto h32 = static_cast<std::uint32_t>(hash);
  for (std::uint32_t pos = h32 & mask_;; pos = (pos + 1) & mask_) {
    const Slot& s = slots_[pos];
    if (s.index == kNil) return kNil;
    if (s.hash == h32 && at(s.index).key == key) return s.index;
  }
}

void FlowTable::place(std::uint32_t hash32, std::uint32_t index) {
  std::uint32_t pos = hash32 & mask_;
  while (slots_[pos].index != kNil) pos = (pos + 1) & mask_;
  slots_[pos] = Slot{hash32, index};
}

void FlowTable::grow_index() {
  std::vector<Slot> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = static_cast<std::uint32_t>(slots_.size() - 1);
  for (const Slot& s : old)
    if (s.index != kNil) place(s.hash, s.index);
}

std::uint32_t FlowTable::insert(const FlowKey& key, std::uint64_t hash, std::uint8_t cls) {
  // Keep the load factor at or below one half: short probe sequences.
  if ((live_ + 1) * 2 > slots_.size()) grow_index();
  std::uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
    at(index) = Connection{};
    if (with_rates_) *rate(index) = RateWindow{};
  } else {
    index = fresh_index();
  }
  at(index).key = key;
  place(static_cast<std::uint32_t>(hash), index);
  ++live_;
  append(index, cls);
  return index;
}

std::uint32_t FlowTable::fresh_index() {
  const std::uint32_t index = used_++;
  // A new chunk's records are value-initialised, like the vector's were.
  if ((index >> kChunkBits) == chunks_.size()) {
    chunks_.push_back(std::make_unique<Connection[]>(std::size_t{kChunkMask} + 1));
    if (with_rates_) rate_chunks_.push_back(std::make_unique<RateWindow[]>(std::size_t{kChunkMask} + 1));
  }
  return index;
}

void FlowTable::erase(std::uint32_t index) {
  const auto h32 = static_cast<std::uint32_t>(hash(at(index).key));
  std::uint32_t pos = h32 & mask_;
  while (slots_[pos].index != index) pos = (pos + 1) & mask_;
  // Backward-shift deletion: pull later entries of the probe run into the hole.
  std::uint32_t hole = pos;
  for (std::uint32_t next = (hole + 1) & mask_; slots_[next].index != kNil;
       next = (next + 1) & mask_) {
    const std::uint32_t ideal = slots_[next].hash & mask_;
    const bool movable = ((next - ideal) & mask_) >= ((next - hole) & mask_);
    if (movable) {
      slots_[hole] = slots_[next];
      hole = next;
    }
  }
  slots_[hole] = Slot{};
  unlink(index);
  at(index).id = 0;  // a stale handle (fragment table) must not match a freed record
  free_.push_back(index);
  --live_;
}

void FlowTable::unlink(std::uint32_t index) {
  Connection& c = at(index);
  const auto cls = c.timeout_class;
  if (c.lru_prev != kNil) at(c.lru_prev).lru_next = c.lru_next;
  else heads_[cls] = c.lru_next;
  if (c.lru_next != kNil) at(c.lru_next).lru_prev = c.lru_prev;
  else tails_[cls] = c.lru_prev;
  c.lru_prev = c.lru_next = kNil;
}

void FlowTable::append(std::uint32_t index, std::uint8_t cls) {
  Connection& c = at(index);
  c.timeout_class = cls;
  c.lru_next = kNil;
  c.lru_prev = tails_[cls];
  if (tails_[cls] != kNil) at(tails_[cls]).lru_next = index;
  else heads_[cls] = index;
  tails_[cls] = index;
}

void FlowTable::touch(std::uint32_t index, std::uint8_t cls) {
  if (tails_[cls] == index) return;
  unlink(index);
  append(index, cls);
}

std::uint32_t FlowTable::stalest() const {
  std::uint32_t best = kNil;
  for (std::uint32_t h : heads_) {
    if (h == kNil) continue;
    if (best == kNil || at(h).last_seen < at(best).last_seen) best = h;
  }
  return best;
}

}  // namespace wiretop::flow
