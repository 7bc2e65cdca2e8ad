#pragma once
// A small, fully specified PRNG (xoshiro256**, seeded by splitmix64) and the few
// distributions the generator needs. Written out here rather than taken from
// <random> because the standard distributions are implementation-defined: the
// same seed must give the same capture with any standard library.

#include <cmath>
#include <cstdint>

namespace wiretop::bench {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [lo, hi] (inclusive).
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(next() % span);
  }
  bool chance(double p) { return unit() < p; }
  // Log-uniform in [lo, hi]: right for quantities spread over decades (RTTs, bandwidths).
  double log_uniform(double lo, double hi) {
    return lo * std::exp(unit() * std::log(hi / lo));
  }
  // Exponential with the given mean (gaps of a Poisson process).
  double exponential(double mean) { return -mean * std::log1p(-unit()); }
  // Pareto with minimum 1 and shape alpha: the heavy tail of flow sizes.
  double pareto(double alpha) { return std::pow(1.0 - unit(), -1.0 / alpha); }

  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4]{};
};

// A stateless mix of a few numbers into one seed (for per-flow, per-segment filler).
inline std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b, std::uint64_t c = 0) {
  std::uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL) ^ (c << 32 | c >> 32);
  return Rng::splitmix64(x);
}

}  // namespace wiretop::bench
