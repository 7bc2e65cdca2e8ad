#include "engine/attribution_helper.h"

#include <gtest/gtest.h>

namespace wiretop::engine {
namespace {

host::OwnerRecord rec(std::uint32_t pid, std::uint16_t lport, std::uint64_t inode) {
  host::OwnerRecord r{};
  r.ip_proto = 6;
  r.family = 4;
  r.source = host::OwnerSource::kSockDiag;
  r.local_port = lport;
  r.pid = pid;
  r.inode = inode;
  return r;
}

TEST(DumpDiff, OnlyNewOrChangedSockets_AreSent) {
  DumpDiff d;
  std::vector<host::OwnerRecord> changes;
  d.update({rec(1, 80, 100), rec(2, 81, 101)}, changes);
  EXPECT_EQ(changes.size(), 2u);
  changes.clear();
  d.update({rec(1, 80, 100), rec(2, 81, 101)}, changes);
  EXPECT_TRUE(changes.empty());
  d.update({rec(1, 80, 100), rec(3, 81, 101)}, changes);  // another pid now owns it
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].pid, 3u);
}

TEST(DumpDiff, SocketMissingTwice_IsSentAsEnded) {
  DumpDiff d;
  std::vector<host::OwnerRecord> changes;
  d.update({rec(1, 80, 100), rec(2, 81, 101)}, changes);
  changes.clear();
  d.update({rec(1, 80, 100)}, changes);  // one miss: maybe a dump that failed half-way
  EXPECT_TRUE(changes.empty());
  d.update({rec(1, 80, 100)}, changes);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].pid, 2u);
  EXPECT_EQ(changes[0].ended, 1);
  EXPECT_EQ(d.size(), 1u);
}

TEST(HelperSources, WithoutEbpf_SockDiagOrProcNetIsChosen) {
  HelperConfig config;
  config.ebpf = false;
  std::vector<std::string> notes;
  const auto sources = make_owner_sources(config, notes);
  ASSERT_FALSE(sources.empty());
  EXPECT_TRUE(sources[0]->name() == "sock_diag" || sources[0]->name() == "procfs");
}

}  // namespace
}  // namespace wiretop::engine
