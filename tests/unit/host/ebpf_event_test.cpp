#include "host/ebpf_event.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace wiretop::host {
namespace {

wt_event tcp_event(std::uint8_t kind) {
  wt_event e{};
  e.ts_ns = 5'000'000'000ULL;
  e.cookie = 77;
  e.inode = 4242;
  e.pid = 1234;
  e.tid = 1235;
  e.uid = 1000;
  e.gid = 100;
  const std::uint8_t local[4] = {127, 0, 0, 1}, remote[4] = {10, 1, 2, 3};
  std::memcpy(e.laddr, local, 4);
  std::memcpy(e.raddr, remote, 4);
  e.lport = 40000;
  e.rport = 443;
  e.kind = kind;
  e.family = 4;
  e.proto = 6;
  std::memcpy(e.comm, "curl", 5);
  return e;
}

TEST(EbpfEvent, ActiveTcp_BecomesRecordFromProcessContext) {
  const auto r = owner_record_from_event(tcp_event(WT_EV_TCP_ACTIVE), 1'000'000);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->source, OwnerSource::kEbpf);
  EXPECT_EQ(r->confidence, kConfidenceProcessContext);
  EXPECT_EQ(r->ip_proto, 6);
  EXPECT_EQ(r->family, 4);
  EXPECT_EQ(r->local_ip[0], 127);
  EXPECT_EQ(r->remote_ip[3], 3);
  EXPECT_EQ(r->local_port, 40000);
  EXPECT_EQ(r->remote_port, 443);
  EXPECT_EQ(r->pid, 1234u);
  EXPECT_EQ(r->uid, 1000u);
  EXPECT_EQ(r->gid, 100u);
  EXPECT_EQ(r->inode, 4242u);
  EXPECT_EQ(r->seen_usec, 5'000'000 + 1'000'000);
  EXPECT_EQ(r->ended, 0);
  EXPECT_STREQ(r->name.data(), "curl");
}

TEST(EbpfEvent, PassiveTcp_HasListenerConfidence) {
  const auto r = owner_record_from_event(tcp_event(WT_EV_TCP_PASSIVE), 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->confidence, kConfidenceFromListener);
}

TEST(EbpfEvent, TcpClose_IsMarkedEnded) {
  const auto r = owner_record_from_event(tcp_event(WT_EV_TCP_CLOSE), 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ended, 1);
  EXPECT_EQ(r->confidence, kConfidenceProcessContext);
}

TEST(EbpfEvent, CloseOfAnAcceptedSocket_KeepsListenerConfidence) {
  auto e = tcp_event(WT_EV_TCP_CLOSE);
  e.flags = WT_FLAG_FROM_LISTENER;
  const auto r = owner_record_from_event(e, 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ended, 1);
  EXPECT_EQ(r->confidence, kConfidenceFromListener);
}

TEST(EbpfEvent, UnknownKindFamilyProtocolOrNoLocalPort_AreRejected) {
  auto e = tcp_event(0);
  EXPECT_FALSE(owner_record_from_event(e, 0));
  e = tcp_event(99);
  EXPECT_FALSE(owner_record_from_event(e, 0));
  e = tcp_event(WT_EV_BIND);
  e.family = 2;
  EXPECT_FALSE(owner_record_from_event(e, 0));
  e = tcp_event(WT_EV_BIND);
  e.proto = 1;
  EXPECT_FALSE(owner_record_from_event(e, 0));
  e = tcp_event(WT_EV_CONNECT);
  e.lport = 0;
  EXPECT_FALSE(owner_record_from_event(e, 0));
}

TEST(EbpfEvent, V4MappedDualStackSocket_BecomesIpv4) {
  auto e = tcp_event(WT_EV_UDP_SEND);
  e.family = 6;
  e.proto = 17;
  std::memset(e.laddr, 0, 16);  // unbound local end of a connected dual-stack socket
  const std::uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 7};
  std::memcpy(e.raddr, mapped, 16);
  const auto r = owner_record_from_event(e, 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->family, 4);
  EXPECT_EQ(r->remote_ip[0], 192);
  EXPECT_EQ(r->remote_ip[3], 7);
  EXPECT_EQ(r->remote_ip[4], 0);
}

TEST(EbpfEvent, RealIpv6_StaysIpv6) {
  auto e = tcp_event(WT_EV_TCP_ACTIVE);
  e.family = 6;
  const std::uint8_t loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  std::memcpy(e.laddr, loop6, 16);
  std::memcpy(e.raddr, loop6, 16);
  const auto r = owner_record_from_event(e, 0);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->family, 6);
  EXPECT_EQ(r->local_ip[15], 1);
}

TEST(EbpfEvent, CommWithoutNulOrWithControlBytes_IsCutAndCleaned) {
  auto e = tcp_event(WT_EV_TCP_ACTIVE);
  std::memcpy(e.comm, "abcdefghijklmnop", 16);  // no NUL in 16 bytes
  auto r = owner_record_from_event(e, 0);
  ASSERT_TRUE(r);
  EXPECT_STREQ(r->name.data(), "abcdefghijklmnop");
  std::memcpy(e.comm, "a\x01" "b", 4);
  r = owner_record_from_event(e, 0);
  ASSERT_TRUE(r);
  EXPECT_STREQ(r->name.data(), "a?b");
}

TEST(EbpfEvent, ProcessDetails_FillTheRecordButKeepItsSocketAndIds) {
  auto r = owner_record_from_event(tcp_event(WT_EV_TCP_ACTIVE), 0);
  ASSERT_TRUE(r);
  OwnerRecord details{};
  details.pid = 1234;
  details.uid = 0;  // read later than the event: the event's ids stand
  details.ppid = 1;
  std::strcpy(details.name.data(), "curl-full-name");
  std::strcpy(details.exe.data(), "/usr/bin/curl");
  std::strcpy(details.cmdline.data(), "curl http://x");
  std::strcpy(details.user.data(), "alice");
  std::strcpy(details.container.data(), "docker:abc");
  details.parents[0] = 1;
  std::strcpy(details.parent_names[0].data(), "init");
  take_process_details(*r, details);
  EXPECT_STREQ(r->name.data(), "curl-full-name");
  EXPECT_STREQ(r->exe.data(), "/usr/bin/curl");
  EXPECT_STREQ(r->cmdline.data(), "curl http://x");
  EXPECT_STREQ(r->user.data(), "alice");
  EXPECT_STREQ(r->container.data(), "docker:abc");
  EXPECT_EQ(r->ppid, 1u);
  EXPECT_EQ(r->parents[0], 1u);
  EXPECT_STREQ(r->parent_names[0].data(), "init");
  EXPECT_EQ(r->uid, 1000u);
  EXPECT_EQ(r->local_port, 40000);
  EXPECT_EQ(r->source, OwnerSource::kEbpf);
}

TEST(CgroupMount, Cgroup2Line_GivesItsMountPoint) {
  const std::string text =
      "22 28 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
      "30 25 0:26 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 "
      "rw,nsdelegate\n"
      "31 25 0:27 / /sys/fs/cgroup/systemd rw shared:11 - cgroup cgroup rw,name=systemd\n";
  EXPECT_EQ(cgroup2_mount_point(text), "/sys/fs/cgroup/unified");
}

TEST(CgroupMount, RootOfHierarchy_IsPreferredAndEscapesDecoded) {
  const std::string text =
      "40 25 0:26 /user.slice /mnt/sub rw - cgroup2 cgroup2 rw\n"
      "41 25 0:26 / /mnt/my\\040cgroup rw - cgroup2 cgroup2 rw";
  EXPECT_EQ(cgroup2_mount_point(text), "/mnt/my cgroup");
}

TEST(CgroupMount, NoCgroup2OrGarbage_GivesNothing) {
  EXPECT_FALSE(cgroup2_mount_point(""));
  EXPECT_FALSE(cgroup2_mount_point("31 25 0:27 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw\n"));
  EXPECT_FALSE(cgroup2_mount_point("- cgroup2\n\n  - \nx y z\n"));
  EXPECT_EQ(cgroup2_mount_point("1 2 3 / /a\\09 - cgroup2 x y\n"), "/a\\09");
}

}  // namespace
}  // namespace wiretop::host
