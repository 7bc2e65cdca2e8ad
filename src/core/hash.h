#pragma once
// Fast non-cryptographic hashing for flow keys. The table is keyed with a
// per-process random seed so crafted traffic cannot aim at one bucket chain.

#include <cstdint>
#include <cstring>

namespace wiretop::core {

inline std::uint64_t mix64(std::uint64_t x) {
  // splitmix64 finaliser: full avalanche in a few cycles.
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

inline std::uint64_t hash_bytes(const void* data, std::size_t n, std::uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix64(h ^ w);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = mix64(h ^ w ^ 0xff);
  }
  return h;
}

}  // namespace wiretop::core
