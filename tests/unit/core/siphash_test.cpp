#include "core/siphash.h"

#include <gtest/gtest.h>

namespace wiretop::core {
namespace {

// The reference implementation's vectors: key 00 01 .. 0f, message 00 01 .. (n-1).
std::uint64_t reference(std::size_t n) {
  const std::array<std::uint64_t, 2> key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  unsigned char msg[64]{};
  for (std::size_t i = 0; i < n; ++i) msg[i] = static_cast<unsigned char>(i);
  return siphash24(key, msg, n);
}

TEST(SipHash, ReferenceVectors) {
  EXPECT_EQ(reference(0), 0x726fdb47dd0e0e31ULL);
  EXPECT_EQ(reference(15), 0xa129ca6149be45e5ULL);
}

TEST(SipHash, KeyChangesOutput) {
  const char msg[] = "example.com";
  EXPECT_NE(siphash24({1, 2}, msg, sizeof msg - 1), siphash24({1, 3}, msg, sizeof msg - 1));
  EXPECT_EQ(siphash24({1, 2}, msg, sizeof msg - 1), siphash24({1, 2}, msg, sizeof msg - 1));
}

}  // namespace
}  // namespace wiretop::core
