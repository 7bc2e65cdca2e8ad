#include "engine/spsc_ring.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace wiretop::engine {
namespace {

RecordHeader header(std::int64_t ts, std::uint32_t caplen) { return RecordHeader{ts, caplen, caplen, 0, 0}; }

TEST(SpscRing, RecordsComeOutInOrderWithTheirBytes) {
  SpscRing ring(4096);
  const std::uint8_t a[] = {1, 2, 3}, b[] = {9, 8, 7, 6, 5};
  ASSERT_TRUE(ring.push(header(1, 3), a));
  ASSERT_TRUE(ring.push(header(2, 5), b));
  RecordHeader h{};
  const std::uint8_t* data = nullptr;
  ASSERT_TRUE(ring.peek(h, data));
  EXPECT_EQ(h.ts_usec, 1);
  EXPECT_EQ(std::vector<std::uint8_t>(data, data + h.caplen), std::vector<std::uint8_t>(a, a + 3));
  ring.pop(h);
  ASSERT_TRUE(ring.peek(h, data));
  EXPECT_EQ(h.ts_usec, 2);
  EXPECT_EQ(data[4], 5);
  ring.pop(h);
  EXPECT_FALSE(ring.peek(h, data));
}

TEST(SpscRing, FullRingRefusesInsteadOfOverwriting) {
  SpscRing ring(256);
  std::vector<std::uint8_t> frame(100, 0xab);
  int pushed = 0;
  while (ring.push(header(pushed, 100), frame.data())) ++pushed;
  EXPECT_GE(pushed, 1);
  EXPECT_LE(pushed, 2);
  RecordHeader h{};
  const std::uint8_t* data = nullptr;
  ASSERT_TRUE(ring.peek(h, data));
  EXPECT_EQ(h.ts_usec, 0);
}

TEST(SpscRing, OversizedRecordIsRefused) {
  SpscRing ring(128);
  std::vector<std::uint8_t> frame(200, 1);
  EXPECT_FALSE(ring.push(header(0, 200), frame.data()));
}

TEST(SpscRing, WrapsAroundManyTimesAcrossThreads) {
  SpscRing ring(1000);  // not a multiple of the record size: exercises wrap markers
  constexpr int kCount = 200000;
  std::thread producer([&] {
    std::uint8_t buf[64];
    for (int i = 0; i < kCount; ++i) {
      const auto len = static_cast<std::uint32_t>(1 + i % 60);
      for (std::uint32_t k = 0; k < len; ++k) buf[k] = static_cast<std::uint8_t>(i + k);
      while (!ring.push(header(i, len), buf)) std::this_thread::yield();
    }
  });
  int expected = 0;
  bool ok = true;
  while (expected < kCount) {
    RecordHeader h{};
    const std::uint8_t* data = nullptr;
    if (!ring.peek(h, data)) {
      std::this_thread::yield();
      continue;
    }
    ok = ok && h.ts_usec == expected && h.caplen == static_cast<std::uint32_t>(1 + expected % 60);
    for (std::uint32_t k = 0; ok && k < h.caplen; ++k) ok = data[k] == static_cast<std::uint8_t>(expected + k);
    ring.pop(h);
    ++expected;
  }
  producer.join();
  EXPECT_TRUE(ok);
}

}  // namespace
}  // namespace wiretop::engine
