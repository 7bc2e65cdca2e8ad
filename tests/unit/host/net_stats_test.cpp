#include "host/net_stats.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace wiretop::host {
namespace {

namespace fs = std::filesystem;

// A throwaway /sys/class/net look-alike: root/<if>/statistics/<counter>.
class FakeSysClassNet : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "wiretop-netstats-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& iface, const std::string& counter, const std::string& text) {
    const fs::path dir = root_ / iface / "statistics";
    fs::create_directories(dir);
    std::ofstream(dir / counter) << text;
  }
  void write_all(const std::string& iface, std::uint64_t rx_bytes, std::uint64_t tx_bytes) {
    write(iface, "rx_bytes", std::to_string(rx_bytes) + "\n");
    write(iface, "tx_bytes", std::to_string(tx_bytes) + "\n");
    write(iface, "rx_packets", "10\n");
    write(iface, "tx_packets", "20\n");
    write(iface, "rx_errors", "1\n");
    write(iface, "tx_errors", "2\n");
    write(iface, "rx_dropped", "3\n");
    write(iface, "tx_dropped", "4\n");
  }

  fs::path root_;
};

TEST(NetStats, ParseCounter_AcceptsDigitsAndOneNewline) {
  EXPECT_EQ(parse_counter("12345\n"), 12345u);
  EXPECT_EQ(parse_counter("0"), 0u);
  EXPECT_EQ(parse_counter("18446744073709551615\n"), 18446744073709551615ull);
}

TEST(NetStats, ParseCounter_RejectsEmptyGarbageAndOverflow) {
  EXPECT_FALSE(parse_counter(""));
  EXPECT_FALSE(parse_counter("\n"));
  EXPECT_FALSE(parse_counter("-1\n"));
  EXPECT_FALSE(parse_counter("12 34\n"));
  EXPECT_FALSE(parse_counter("0x10"));
  EXPECT_FALSE(parse_counter("18446744073709551616"));
}

TEST_F(FakeSysClassNet, ReadsEveryCounterOfEveryInterfaceSortedByName) {
  write_all("eth0", 1000, 2000);
  write_all("lo", 5, 6);
  fs::create_directories(root_ / "bonding_masters_dir");  // no statistics: not an interface
  const auto all = read_net_counters(root_.string());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "eth0");
  EXPECT_EQ(all[0].rx_bytes, 1000u);
  EXPECT_EQ(all[0].tx_bytes, 2000u);
  EXPECT_EQ(all[0].rx_packets, 10u);
  EXPECT_EQ(all[0].tx_packets, 20u);
  EXPECT_EQ(all[0].rx_errors, 1u);
  EXPECT_EQ(all[0].tx_errors, 2u);
  EXPECT_EQ(all[0].rx_dropped, 3u);
  EXPECT_EQ(all[0].tx_dropped, 4u);
  EXPECT_EQ(all[1].name, "lo");
}

TEST_F(FakeSysClassNet, MissingOrGarbledCounterReadsZero) {
  write("wlan0", "rx_bytes", "not a number\n");
  write("wlan0", "tx_bytes", std::string(100, '7'));
  const auto all = read_net_counters(root_.string());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].rx_bytes, 0u);
  EXPECT_EQ(all[0].tx_bytes, 0u);
  EXPECT_EQ(all[0].rx_packets, 0u);
}

TEST_F(FakeSysClassNet, MissingRootGivesNoInterfaces) {
  EXPECT_TRUE(read_net_counters((root_ / "nosuch").string()).empty());
}

TEST_F(FakeSysClassNet, InterfacesBeyondTheCapAreLeftOut) {
  for (std::size_t i = 0; i < kMaxInterfaces + 5; ++i)
    write("veth" + std::to_string(1000 + i), "rx_bytes", "1");
  EXPECT_EQ(read_net_counters(root_.string()).size(), kMaxInterfaces);
}

TEST_F(FakeSysClassNet, Sampler_ReadsEveryIntervalAndComputesRates) {
  write_all("eth0", 1000, 500);
  NetStatsSampler sampler(root_.string(), 2.0);
  ASSERT_TRUE(sampler.poll(100.0));
  ASSERT_EQ(sampler.latest().size(), 1u);
  EXPECT_FALSE(sampler.latest()[0].has_rates);  // one reading: no rate yet
  write_all("eth0", 5000, 1500);
  EXPECT_FALSE(sampler.poll(101.0));  // within the interval: the old reading stays
  EXPECT_EQ(sampler.latest()[0].counters.rx_bytes, 1000u);
  ASSERT_TRUE(sampler.poll(102.0));
  EXPECT_TRUE(sampler.latest()[0].has_rates);
  EXPECT_DOUBLE_EQ(sampler.latest()[0].rx_bytes_per_s, 2000);
  EXPECT_DOUBLE_EQ(sampler.latest()[0].tx_bytes_per_s, 500);
}

TEST_F(FakeSysClassNet, Sampler_CounterThatWentBackwardsHasNoRate) {
  write_all("eth0", 1000, 500);
  NetStatsSampler sampler(root_.string(), 2.0);
  sampler.poll(0);
  write_all("eth0", 10, 600);  // the interface was re-created
  sampler.poll(2);
  EXPECT_FALSE(sampler.latest()[0].has_rates);
  EXPECT_EQ(sampler.latest()[0].rx_bytes_per_s, 0);
}

TEST_F(FakeSysClassNet, Sampler_NewInterfaceStartsWithoutRate) {
  write_all("eth0", 1000, 500);
  NetStatsSampler sampler(root_.string(), 2.0);
  sampler.poll(0);
  write_all("veth1", 10, 10);
  sampler.poll(2);
  ASSERT_EQ(sampler.latest().size(), 2u);
  EXPECT_TRUE(sampler.latest()[0].has_rates);
  EXPECT_FALSE(sampler.latest()[1].has_rates);
}

TEST(NetStats, TheHostsLoopbackHasStatistics) {
  const auto all = read_net_counters();
  const auto lo =
      std::find_if(all.begin(), all.end(), [](const NetCounters& c) { return c.name == "lo"; });
  if (all.empty()) GTEST_SKIP() << "no /sys/class/net here";
  EXPECT_NE(lo, all.end());
}

}  // namespace
}  // namespace wiretop::host
