#include "engine/attribution.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

namespace wiretop::engine {
namespace {

bool wait_for(const std::function<bool()>& cond, int ms) {
  for (int i = 0; i < ms / 10; ++i) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

TEST(Attribution, HelperRuns_AndTheTableIsNeverNull) {
  HelperConfig config;
  config.ebpf = false;
  config.refresh_s = 0.2;
  std::string error;
  auto a = Attribution::start(config, error);
  ASSERT_TRUE(a) << error;
  EXPECT_GT(a->helper_pid(), 0);
  EXPECT_TRUE(a->current());
  a->start_receiving();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(a->stats().lost) << a->stats().status;
  EXPECT_EQ(a->stats().rejected, 0u);
}  // the destructor closes the socket: the helper exits on EOF

TEST(Attribution, HelperKilled_IsReportedLostWithTheSignal) {
  HelperConfig config;
  config.ebpf = false;
  std::string error;
  auto a = Attribution::start(config, error);
  ASSERT_TRUE(a) << error;
  a->start_receiving();
  ASSERT_EQ(::kill(a->helper_pid(), SIGKILL), 0);
  ASSERT_TRUE(wait_for([&] { return a->stats().lost; }, 3000));
  EXPECT_NE(a->stats().status.find("lost: the helper was killed by signal"), std::string::npos)
      << a->stats().status;
  EXPECT_TRUE(a->current());  // the last table stays readable
}

}  // namespace
}  // namespace wiretop::engine
