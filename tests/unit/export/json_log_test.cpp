#include "export/json_log.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace wiretop::exporting {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

model::ConnectionRow sample_row() {
  model::ConnectionRow row;
  row.id = 7;
  row.ip_proto = 6;
  row.client_ip = *core::IpAddress::parse("10.0.0.1");
  row.server_ip = *core::IpAddress::parse("10.0.0.2");
  row.first_seen = core::Timestamp{1'700'000'000'000'000};
  row.last_seen = core::Timestamp{1'700'000'001'500'000};
  row.state = "ESTABLISHED";
  return row;
}

class JsonLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/json_log_test_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0700);
    path_ = dir_ + "/events.jsonl";
    for (const char* suffix : {"", ".1", ".2", ".3", ".4", ".5", ".6"}) ::unlink((path_ + suffix).c_str());
  }
  std::string dir_, path_;
  const ServiceNames names_ = ServiceNames::load("/nonexistent", "/nonexistent");
};

TEST_F(JsonLogTest, Event_IsTheRecordWithEventAndTsInFront) {
  auto log = JsonLog::open(path_, 0);
  ASSERT_TRUE(log) << log.error();
  log->write("new", sample_row(), names_);
  log->write("closed", sample_row(), names_);
  const std::string text = read_all(path_);
  EXPECT_EQ(text.rfind(R"({"event":"new","ts":"2023-11-14T22:13:20.000000Z","kind":"connection",)", 0), 0u) << text;
  EXPECT_NE(text.find(R"({"event":"closed","ts":"2023-11-14T22:13:21.500000Z","kind":"connection",)"),
            std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(JsonLogTest, PastTheCap_RotatesAndKeepsFiveOldFiles) {
  auto log = JsonLog::open(path_, 1);  // one line per file
  ASSERT_TRUE(log);
  for (int i = 0; i < 8; ++i) log->write("update", sample_row(), names_);
  EXPECT_EQ(log->rotations(), 7u);
  EXPECT_EQ(log->failures(), 0u);
  for (const char* suffix : {"", ".1", ".2", ".3", ".4", ".5"}) {
    const std::string text = read_all(path_ + suffix);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << suffix;
  }
  EXPECT_NE(::access((path_ + ".6").c_str(), F_OK), 0);
}

TEST_F(JsonLogTest, UnwritablePath_IsAnErrorNamingIt) {
  const auto log = JsonLog::open(dir_ + "/missing/dir/events.jsonl", 0);
  ASSERT_FALSE(log);
  EXPECT_NE(log.error().find("missing/dir/events.jsonl"), std::string::npos);
}

TEST(JsonLog, DirectoryOf_IsWhereRotationCreatesFiles) {
  EXPECT_EQ(JsonLog::directory_of("/var/log/wiretop/ev.jsonl"), "/var/log/wiretop");
  EXPECT_EQ(JsonLog::directory_of("ev.jsonl"), ".");
  EXPECT_EQ(JsonLog::directory_of("/ev.jsonl"), "/");
}

}  // namespace
}  // namespace wiretop::exporting
