#include "engine/shard_progress.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace wiretop::engine {
namespace {

const std::uint8_t kByte = 0;

void push(SpscRing& ring, std::int64_t ts) {
  ASSERT_TRUE(ring.push(RecordHeader{ts, 1, 1, 0, 0}, &kByte));
}

TEST(ShardProgress, IdleShards_DoNotHoldOthersBack) {
  SpscRing a(4096), b(4096);
  ShardProgress progress({&a, &b});
  const auto start = std::chrono::steady_clock::now();
  progress.wait_for_others(0, 1'000);  // b has nothing to handle
  EXPECT_LT(std::chrono::steady_clock::now() - start, ShardProgress::kMaxWait);
}

TEST(ShardProgress, WaitsUntilTheOtherShardIsPastTheTime) {
  SpscRing a(4096), b(4096);
  ShardProgress progress({&a, &b});
  push(b, 500);  // b has a packet of time 500 still to handle
  std::atomic<bool> waited{false};
  std::thread emitter([&] {
    progress.wait_for_others(0, 600);
    waited = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(waited.load());  // b has not started on 500 yet
  RecordHeader h{};
  const std::uint8_t* data = nullptr;
  ASSERT_TRUE(b.peek(h, data));
  progress.starting(1, h.ts_usec);
  b.pop(h);  // handled, ring drained
  emitter.join();
  EXPECT_TRUE(waited.load());
}

TEST(ShardProgress, AShardHandlingALaterPacket_IsPastEarlierTimes) {
  SpscRing a(4096), b(4096);
  ShardProgress progress({&a, &b});
  push(b, 900);
  push(b, 950);
  progress.starting(1, 900);  // handling 900: everything before it is done
  const auto start = std::chrono::steady_clock::now();
  progress.wait_for_others(0, 800);
  EXPECT_LT(std::chrono::steady_clock::now() - start, ShardProgress::kMaxWait);
}

TEST(ShardProgress, TheWaitIsBounded) {
  SpscRing a(4096), b(4096);
  ShardProgress progress({&a, &b});
  push(b, 100);  // never handled
  const auto start = std::chrono::steady_clock::now();
  progress.wait_for_others(0, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, ShardProgress::kMaxWait);
}

// The capture thread handles shard 0 itself (no ring): between records it has handled all it was sent.
TEST(ShardProgress, AShardWithoutRing_IsPastEveryTimeBetweenRecords) {
  SpscRing b(4096);
  ShardProgress progress({nullptr, &b});
  const auto start = std::chrono::steady_clock::now();
  progress.wait_for_others(1, 1'000);  // shard 0 has not started on anything
  progress.starting(0, 500);
  progress.finished(0);
  progress.wait_for_others(1, 1'000);  // done with 500
  EXPECT_LT(std::chrono::steady_clock::now() - start, ShardProgress::kMaxWait);
}

TEST(ShardProgress, AShardWithoutRing_HandlingAnEarlierRecord_HoldsOthersBack) {
  SpscRing b(4096);
  ShardProgress progress({nullptr, &b});
  progress.starting(0, 500);
  std::atomic<bool> waited{false};
  std::thread emitter([&] {
    progress.wait_for_others(1, 600);
    waited = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(waited.load());  // shard 0 is still handling 500
  progress.finished(0);
  emitter.join();
  EXPECT_TRUE(waited.load());
}

}  // namespace
}  // namespace wiretop::engine
