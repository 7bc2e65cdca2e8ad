#include "host/owner_table.h"
#include "host/listener_record.h"

#include <gtest/gtest.h>

#include <cstring>

namespace wiretop::host {
namespace {

core::IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return core::IpAddress::v4((std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d);
}

OwnerRecord record(std::uint32_t pid, const char* name, std::uint16_t lport, std::uint16_t rport = 0) {
  OwnerRecord r{};
  r.ip_proto = 6;
  r.family = 4;
  r.source = OwnerSource::kSockDiag;
  r.confidence = 90;
  r.local_ip = {127, 0, 0, 1};
  if (rport) r.remote_ip = {127, 0, 0, 2};
  r.local_port = lport;
  r.remote_port = rport;
  r.pid = pid;
  std::strncpy(r.name.data(), name, r.name.size() - 1);
  r.parents[0] = 1;
  std::strncpy(r.parent_names[0].data(), "init", 15);
  return r;
}

TEST(OwnerRecordCheck, ValidRecord_Passes) { EXPECT_EQ(check_record(record(5, "curl", 4000, 80)), RecordCheck::kOk); }

TEST(OwnerRecordCheck, EachBrokenField_IsRejected) {
  auto r = record(5, "curl", 4000, 80);
  r.magic = 0;
  EXPECT_EQ(check_record(r), RecordCheck::kBadMagic);
  r = record(5, "curl", 4000, 80);
  r.ip_proto = 1;
  EXPECT_EQ(check_record(r), RecordCheck::kBadEnum);
  r = record(5, "curl", 4000, 80);
  r.source = static_cast<OwnerSource>(9);
  EXPECT_EQ(check_record(r), RecordCheck::kBadEnum);
  r = record(5, "curl", 4000, 80);
  r.family = 5;
  EXPECT_EQ(check_record(r), RecordCheck::kBadEnum);
  r = record(5, "curl", 4000, 80);
  std::memset(r.exe.data(), 'A', r.exe.size());  // no NUL anywhere
  EXPECT_EQ(check_record(r), RecordCheck::kBadText);
  r = record(5, "curl", 4000, 80);
  std::memset(r.parent_names[7].data(), 'A', 16);
  EXPECT_EQ(check_record(r), RecordCheck::kBadText);
  r = record(5, "curl", 4000, 80);
  r.local_ip[8] = 1;  // IPv4 with bytes past the first four
  EXPECT_EQ(check_record(r), RecordCheck::kBadAddress);
  r = record(5, "curl", 0, 80);
  EXPECT_EQ(check_record(r), RecordCheck::kBadAddress);
  r = record(5, "curl", 4000, 0);
  r.remote_ip[0] = 10;  // a remote address without a port
  EXPECT_EQ(check_record(r), RecordCheck::kBadAddress);
}

TEST(OwnerTable, ConnectedSocket_FoundByItsTuple_OnlyFromItsSide) {
  OwnerTable t;
  t.apply(record(5, "curl", 4000, 80), 1);
  const auto p = t.find(6, v4(127, 0, 0, 1), 4000, v4(127, 0, 0, 2), 80, false);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->pid, 5u);
  EXPECT_EQ(p->name, "curl");
  ASSERT_EQ(p->parents.size(), 1u);
  EXPECT_EQ(p->parents[0].name, "init");
  EXPECT_FALSE(t.find(6, v4(127, 0, 0, 2), 80, v4(127, 0, 0, 1), 4000, true));
  EXPECT_FALSE(t.find(17, v4(127, 0, 0, 1), 4000, v4(127, 0, 0, 2), 80, false));
}

TEST(OwnerTable, Listener_FallbackIncludingWildcardAddresses) {
  OwnerTable t;
  t.apply(record(9, "nginx", 80), 1);
  auto any = record(10, "sshd", 22);
  any.local_ip = {};
  t.apply(any, 1);
  auto any6 = record(11, "dual", 8443);
  any6.family = 6;
  any6.local_ip = {};
  t.apply(any6, 1);
  EXPECT_EQ(t.find(6, v4(127, 0, 0, 1), 80, v4(127, 0, 0, 2), 5555, true)->pid, 9u);
  EXPECT_FALSE(t.find(6, v4(127, 0, 0, 1), 80, v4(127, 0, 0, 2), 5555, false));
  EXPECT_EQ(t.find(6, v4(10, 1, 1, 1), 22, v4(10, 1, 1, 2), 5555, true)->pid, 10u);
  EXPECT_EQ(t.find(6, v4(10, 1, 1, 1), 8443, v4(10, 1, 1, 2), 5555, true)->pid, 11u);
}

TEST(OwnerTable, EndedEntry_KeptForGrace_ThenExpired) {
  OwnerTable t;
  t.apply(record(5, "curl", 4000, 80), 1);
  auto ended = record(5, "curl", 4000, 80);
  ended.ended = 1;
  t.apply(ended, 1'000'000);
  t.expire(1'000'000 + OwnerTable::kEndedGraceUsec);
  EXPECT_TRUE(t.find(6, v4(127, 0, 0, 1), 4000, v4(127, 0, 0, 2), 80, false));
  t.expire(1'000'001 + OwnerTable::kEndedGraceUsec);
  EXPECT_FALSE(t.find(6, v4(127, 0, 0, 1), 4000, v4(127, 0, 0, 2), 80, false));
  EXPECT_EQ(t.size(), 0u);
}

TEST(OwnerTable, EndOfAReplacedSocket_DoesNotEndItsSuccessor) {
  OwnerTable t;
  auto old_socket = record(5, "srv", 53);
  old_socket.inode = 100;
  t.apply(old_socket, 1);
  auto new_socket = record(5, "srv", 53);
  new_socket.inode = 101;
  t.apply(new_socket, 2);
  old_socket.ended = 1;
  t.apply(old_socket, 3);
  t.expire(4 + OwnerTable::kEndedGraceUsec);
  EXPECT_TRUE(t.find(6, v4(127, 0, 0, 1), 53, v4(127, 0, 0, 2), 999, true));
}

TEST(OwnerTable, WorseSource_DoesNotReplaceBetterForSamePid_ButNewPidWins) {
  OwnerTable t;
  auto ebpf = record(5, "curl", 4000, 80);
  ebpf.source = OwnerSource::kEbpf;
  t.apply(ebpf, 1);
  t.apply(record(5, "curl", 4000, 80), 2);
  EXPECT_EQ(t.find(6, v4(127, 0, 0, 1), 4000, v4(127, 0, 0, 2), 80, false)->source, OwnerSource::kEbpf);
  t.apply(record(6, "wget", 4000, 80), 3);  // the port was reused by another process
  EXPECT_EQ(t.find(6, v4(127, 0, 0, 1), 4000, v4(127, 0, 0, 2), 80, false)->pid, 6u);
}

}  // namespace
}  // namespace wiretop::host

namespace wiretop::host {
namespace {

ListenerRecord listener_record() {
  ListenerRecord l;
  l.ip_proto = 6;
  l.family = 4;
  l.local_ip = {10, 0, 0, 1};
  l.local_port = 22;
  l.pid = 812;
  std::strncpy(l.name.data(), "sshd", l.name.size() - 1);
  return l;
}

TEST(ListenerRecordCheck, ValidRecordAndEmptyBatch_Pass) {
  EXPECT_TRUE(listener_record_ok(listener_record()));
  ListenerRecord empty;
  empty.flags = ListenerRecord::kEmpty | ListenerRecord::kLast;
  EXPECT_TRUE(listener_record_ok(empty));
}

TEST(ListenerRecordCheck, EachBrokenField_IsRejected) {
  const auto broken = [](auto change) {
    ListenerRecord l = listener_record();
    change(l);
    return listener_record_ok(l);
  };
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.magic = OwnerRecord::kMagic; }));
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.ip_proto = 1; }));
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.family = 5; }));
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.flags = 4; }));
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.flags = ListenerRecord::kEmpty; }));  // empty must end its batch
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.local_port = 0; }));
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.local_ip[4] = 1; }));  // IPv4 in 4 bytes
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.name.fill('x'); }));
  EXPECT_FALSE(broken([](ListenerRecord& l) { l.user.fill('x'); }));
}

TEST(ListenerRecord, IsListener_TcpListenAndUnconnectedBoundUdpOnly) {
  EXPECT_TRUE(is_listener(6, 10, 22, 0));
  EXPECT_FALSE(is_listener(6, 1, 22, 40000));  // established
  EXPECT_FALSE(is_listener(6, 7, 22, 0));      // bound, not listening
  EXPECT_TRUE(is_listener(17, 7, 53, 0));
  EXPECT_FALSE(is_listener(17, 1, 53, 53));    // connected UDP
  EXPECT_FALSE(is_listener(17, 7, 0, 0));      // unbound
}

}  // namespace
}  // namespace wiretop::host
