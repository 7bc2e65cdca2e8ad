#include "flow/rate.h"

#include <gtest/gtest.h>

namespace wiretop::flow {
namespace {

constexpr std::int64_t kSec = 1'000'000;

TEST(RateWindow, SteadyStream_AveragesOverCompleteSeconds) {
  RateWindow r;
  for (int s = 100; s < 110; ++s) r.add(s * kSec + 10, 0, 3000);
  EXPECT_DOUBLE_EQ(r.bytes_per_second(110 * kSec, 0), 3000.0);
  EXPECT_DOUBLE_EQ(r.bytes_per_second(110 * kSec, 1), 0.0);
}

TEST(RateWindow, IdleFlow_DecaysToZero) {
  RateWindow r;
  r.add(100 * kSec, 1, 9000);
  EXPECT_DOUBLE_EQ(r.bytes_per_second(101 * kSec, 1), 3000.0);
  EXPECT_DOUBLE_EQ(r.bytes_per_second(105 * kSec, 1), 0.0);
}

TEST(RateWindow, LongGap_OldBucketsAreCleared) {
  RateWindow r;
  r.add(100 * kSec, 0, 1000);
  r.add(200 * kSec, 0, 600);
  EXPECT_DOUBLE_EQ(r.bytes_per_second(201 * kSec, 0), 200.0);
}

}  // namespace
}  // namespace wiretop::flow
