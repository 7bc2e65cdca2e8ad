#include "app/flow_budget.h"

#include <gtest/gtest.h>

namespace wiretop::app {
namespace {

constexpr std::string_view kMeminfo =
    "MemTotal:        8036340 kB\n"
    "MemFree:          512000 kB\n"
    "MemAvailable:    4194304 kB\n"
    "Buffers:          100000 kB\n";

TEST(FlowBudget, ParsesMemAvailableInBytes) {
  EXPECT_EQ(parse_mem_available(kMeminfo), std::uint64_t{4194304} * 1024);
}

TEST(FlowBudget, MissingOrMalformedMemAvailableIsNone) {
  EXPECT_FALSE(parse_mem_available("MemTotal: 8036340 kB\n").has_value());
  EXPECT_FALSE(parse_mem_available("MemAvailable: lots\n").has_value());
  EXPECT_FALSE(parse_mem_available("MemAvailable: 12 MB\n").has_value());
  EXPECT_FALSE(parse_mem_available("XMemAvailable: 12 kB\n").has_value());
  EXPECT_FALSE(parse_mem_available("").has_value());
}

TEST(FlowBudget, AQuarterOfAvailableMemoryPerFlowCost) {
  // 4 GiB available: 1 GiB for flows at kBytesPerFlow each.
  EXPECT_EQ(default_max_flows(std::uint64_t{4} << 30), (std::uint64_t{1} << 30) / kBytesPerFlow);
}

TEST(FlowBudget, ClampedAndAFallbackWithoutAFigure) {
  EXPECT_EQ(default_max_flows(std::uint64_t{16} << 20), kMinDefaultFlows);
  EXPECT_EQ(default_max_flows(std::uint64_t{1} << 40), kMaxDefaultFlows);
  EXPECT_EQ(default_max_flows(std::nullopt), kFallbackFlows);
}

}  // namespace
}  // namespace wiretop::app
