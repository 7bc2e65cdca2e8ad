// --history's store and recorder on a temporary database: upserts into minute
// buckets, roll-up into hours and days with totals kept, the age and row
// bounds, file modes, and the recorder's 10 s flush cadence.
#include "export/history_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "export/history_recorder.h"

namespace wiretop::exporting {
namespace {

constexpr std::int64_t kNow = 1'700'000'000 - 1'700'000'000 % 86400 + 12 * 3600;  // noon UTC
constexpr std::int64_t kDay = 86400;

class HistoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/history_test_" + std::to_string(::getpid()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::system(("rm -rf '" + dir_ + "'").c_str());
    path_ = dir_ + "/state/history.sqlite";
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::unique_ptr<HistoryStore> open(HistoryBounds bounds = {}) {
    auto store = HistoryStore::open(path_, bounds);
    EXPECT_TRUE(store) << (store ? "" : store.error());
    return store ? std::move(*store) : nullptr;
  }

  static UsageEntry entry(std::int64_t t, UsageKind kind, const std::string& name, std::uint64_t in,
                          std::uint64_t out) {
    return UsageEntry{t - t % 60, kind, name, UsageCounts{in, out, 1}};
  }

  static UsageCounts total_of(HistoryStore& store, const std::string& name, std::int64_t since = INT64_MIN) {
    for (const auto& t : store.totals(since))
      if (t.name == name) return t.counts;
    return {};
  }

  std::string dir_, path_;
};

TEST_F(HistoryStoreTest, Open_CreatesPrivateFilesAndDirectory) {
  const mode_t old = ::umask(0);
  auto store = open();
  ::umask(old);
  ASSERT_TRUE(store);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ + "/state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    ASSERT_EQ(::stat((path_ + suffix).c_str(), &st), 0) << suffix << " exists before any write";
    EXPECT_EQ(st.st_mode & 0777, 0600u) << suffix;
  }
}

TEST_F(HistoryStoreTest, Add_SameMinuteAndName_SumsIntoOneRow) {
  auto store = open();
  ASSERT_TRUE(store->add({entry(kNow, UsageKind::kProcess, "curl", 100, 10)}));
  ASSERT_TRUE(store->add({entry(kNow + 5, UsageKind::kProcess, "curl", 50, 5),
                          entry(kNow, UsageKind::kHost, "10.0.0.2", 150, 15)}));
  EXPECT_EQ(store->rows(60), 2);
  const UsageCounts c = total_of(*store, "curl");
  EXPECT_EQ(c.bytes_in, 150u);
  EXPECT_EQ(c.bytes_out, 15u);
  EXPECT_EQ(c.connections, 2u);
}

TEST_F(HistoryStoreTest, Totals_SurviveReopen) {
  ASSERT_TRUE(open()->add({entry(kNow, UsageKind::kProcess, "curl", 100, 10)}));
  auto again = open();
  ASSERT_TRUE(again->add({entry(kNow + 60, UsageKind::kProcess, "curl", 1, 1)}));
  EXPECT_EQ(total_of(*again, "curl").bytes_in, 101u);
  EXPECT_EQ(total_of(*again, "curl", kNow + 60).bytes_in, 1u) << "--since leaves older buckets out";
}

TEST_F(HistoryStoreTest, RollUp_FoldsOldMinutesIntoHoursAndDaysKeepingTotals) {
  auto store = open();
  std::vector<UsageEntry> entries;
  // Recent (kept as minutes), 3 days old (hours), 40 days old (days).
  for (std::int64_t age : {std::int64_t{0}, std::int64_t{600}, 3 * kDay, 3 * kDay - 60, 3 * kDay + 7200,
                           40 * kDay, 40 * kDay + 3600})
    entries.push_back(entry(kNow - age, UsageKind::kHost, "h", 1000, 1));
  ASSERT_TRUE(store->add(entries));
  ASSERT_EQ(store->rows(60), 7);
  ASSERT_TRUE(store->roll_up(kNow));
  EXPECT_EQ(store->rows(60), 2) << "minutes of the last two days stay";
  EXPECT_EQ(store->rows(3600), 2) << "3 days ago: two distinct hours";
  EXPECT_EQ(store->rows(86400), 1) << "40 days ago: one day";
  const UsageCounts c = total_of(*store, "h");
  EXPECT_EQ(c.bytes_in, 7000u);
  EXPECT_EQ(c.connections, 7u);
  ASSERT_TRUE(store->roll_up(kNow)) << "rolling up again changes nothing";
  EXPECT_EQ(total_of(*store, "h").bytes_in, 7000u);
  EXPECT_EQ(store->rows(3600) + store->rows(86400) + store->rows(60), 5);
}

TEST_F(HistoryStoreTest, RollUp_DeletesDaysOlderThanTheBound) {
  auto store = open();
  ASSERT_TRUE(store->add({entry(kNow - 401 * kDay, UsageKind::kHost, "old", 5, 5),
                          entry(kNow - 399 * kDay, UsageKind::kHost, "kept", 7, 7)}));
  ASSERT_TRUE(store->roll_up(kNow));
  EXPECT_EQ(total_of(*store, "old").bytes_in, 0u);
  EXPECT_EQ(total_of(*store, "kept").bytes_in, 7u);
}

TEST_F(HistoryStoreTest, RollUp_CapsRowsOldestFirst) {
  HistoryBounds bounds;
  bounds.max_rows = 10;
  auto store = open(bounds);
  std::vector<UsageEntry> entries;
  for (int i = 0; i < 25; ++i) entries.push_back(entry(kNow - i * 60, UsageKind::kProcess, "p", 1, 0));
  ASSERT_TRUE(store->add(entries));
  ASSERT_TRUE(store->roll_up(kNow));
  EXPECT_EQ(store->rows(60), 10);
  EXPECT_EQ(total_of(*store, "p", kNow - 9 * 60).bytes_in, 10u) << "the newest ten minutes are the ones kept";
}

TEST_F(HistoryStoreTest, Periods_SplitTodaySevenAndThirtyDays) {
  auto store = open();
  ASSERT_TRUE(store->add({entry(kNow, UsageKind::kProcess, "p", 1, 0), entry(kNow - 3 * kDay, UsageKind::kProcess, "p", 10, 0),
                          entry(kNow - 20 * kDay, UsageKind::kProcess, "p", 100, 0),
                          entry(kNow - 50 * kDay, UsageKind::kProcess, "p", 1000, 0)}));
  const std::int64_t starts[3] = {kNow - kNow % kDay, kNow - 7 * kDay, kNow - 30 * kDay};
  const auto periods = store->periods(starts, 5);
  ASSERT_EQ(periods.size(), 1u);
  EXPECT_EQ(periods[0].bytes[0], 1u);
  EXPECT_EQ(periods[0].bytes[1], 11u);
  EXPECT_EQ(periods[0].bytes[2], 111u);
}

model::ConnectionRow row_at(std::int64_t seconds, std::uint64_t c2s, std::uint64_t s2c) {
  model::ConnectionRow row;
  row.client_ip = *core::IpAddress::parse("10.0.0.1");
  row.server_ip = *core::IpAddress::parse("192.0.2.7");
  row.last_seen = core::Timestamp{seconds * 1'000'000};
  row.bytes = {c2s, s2c};
  return row;
}

TEST_F(HistoryStoreTest, Recorder_WritesEveryTenSecondsOfPacketClockAndAtTheEnd) {
  std::shared_ptr<HistoryStore> store = open();
  HistoryRecorder recorder(store);
  recorder.on_connection_end(row_at(kNow, 100, 1000));
  recorder.on_connection_end(row_at(kNow + 9, 1, 1));
  EXPECT_EQ(store->rows(60), 0) << "nothing written before 10 s of packet clock";
  recorder.on_tick(core::Timestamp{(kNow + 10) * 1'000'000});
  EXPECT_EQ(store->rows(60), 2) << "one process row and one host row";
  recorder.on_connection_end(row_at(kNow + 70, 5, 5));
  recorder.finish();
  const UsageCounts host = total_of(*store, "192.0.2.7");
  EXPECT_EQ(host.bytes_out, 106u) << "offline the client is the local end";
  EXPECT_EQ(host.bytes_in, 1006u);
  EXPECT_EQ(host.connections, 3u);
  EXPECT_EQ(total_of(*store, "(unknown)").bytes_in, 1006u);
  EXPECT_EQ(recorder.failures(), 0u);
}

TEST_F(HistoryStoreTest, LocalView_ServerIsLocal_CountsFromTheServersSide) {
  model::ConnectionRow row = row_at(kNow, 100, 1000);
  row.locality_known = true;
  row.server_local = true;
  row.process_name = "nginx";
  const LocalView v = local_view(row);
  EXPECT_EQ(v.remote_host, "10.0.0.1");
  EXPECT_EQ(v.process, "nginx");
  EXPECT_EQ(v.counts.bytes_in, 100u);
  EXPECT_EQ(v.counts.bytes_out, 1000u);
}

}  // namespace
}  // namespace wiretop::exporting
