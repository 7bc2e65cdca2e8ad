#pragma once
// Bytes per second over a sliding window of whole seconds on the packet clock.

#include <array>
#include <cstdint>

namespace wiretop::flow {

class RateWindow {
 public:
  static constexpr int kWindowSeconds = 3;

  void add(std::int64_t usec, int dir, std::uint32_t bytes) {
    advance(usec / 1'000'000);
    auto& b = buckets_[dir][static_cast<std::size_t>(second_ % kSlots)];
    b = b + bytes < b ? UINT32_MAX : b + bytes;  // saturate rather than wrap
  }
  // Mean bytes/second over the last kWindowSeconds complete seconds before `usec`.
  double bytes_per_second(std::int64_t usec, int dir) const {
    const std::int64_t now = usec / 1'000'000;
    const std::int64_t newest = second_;
    std::uint64_t sum = 0;
    for (std::int64_t s = now - kWindowSeconds; s < now; ++s) {
      if (s > newest || s <= newest - kSlots) continue;
      sum += buckets_[dir][static_cast<std::size_t>(((s % kSlots) + kSlots) % kSlots)];
    }
    return static_cast<double>(sum) / kWindowSeconds;
  }

 private:
  static constexpr int kSlots = kWindowSeconds + 1;
  void advance(std::int64_t sec) {
    const std::int64_t newest = second_;
    if (sec <= newest) return;
    const std::int64_t steps = sec - newest >= kSlots ? kSlots : sec - newest;
    for (std::int64_t i = 1; i <= steps; ++i) {
      const auto slot = static_cast<std::size_t>(((newest + i) % kSlots + kSlots) % kSlots);
      buckets_[0][slot] = 0;
      buckets_[1][slot] = 0;
    }
    second_ = static_cast<std::uint32_t>(sec);
  }
  std::array<std::array<std::uint32_t, kSlots>, 2> buckets_{};
  // Newest bucket's second on the packet clock: 32 bits last until 2106, and
  // keep the window (one per connection) at 36 bytes.
  std::uint32_t second_ = 0;
};

}  // namespace wiretop::flow
