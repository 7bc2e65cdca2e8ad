#include "dpi/inspector.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/name_table.h"

namespace wiretop::dpi {
namespace {

// A toy protocol: a stream toward the server starting "HELLO". Its session
// appends what it is fed to http_path (toward the server) or http_host (toward
// the client), and finishes when the client sends "BYE". "EXPECT" makes it
// announce a data flow to the client's address, port 2000.
Match probe_hello(const FlowInfo&, Direction dir, core::Bytes start) {
  static constexpr std::string_view kMagic = "HELLO";
  if (dir != Direction::ToServer) return Match::No;
  const std::size_t n = std::min(start.size(), kMagic.size());
  for (std::size_t i = 0; i < n; ++i)
    if (start[i] != static_cast<std::uint8_t>(kMagic[i])) return Match::No;
  return n < kMagic.size() ? Match::Maybe : Match::Yes;
}
class HelloSession : public Session {
 public:
  Progress feed(const Context& ctx, core::Bytes data) override {
    std::string text(data.begin(), data.end());
    if (ctx.dir == Direction::ToServer) ctx.out.http_path += text;
    else ctx.out.http_host += text;
    if (text.find("EXPECT") != std::string::npos)
      ctx.expectations.expect(ctx.ts, ctx.flow.client_ip, 2000, "HELLO_DATA");
    return ctx.out.http_path.find("BYE") != std::string::npos ? Progress::Done : Progress::More;
  }
};
const Dissector kHello{"HELLO", kTcpUdp, {7}, false, probe_hello,
                       [] { return std::unique_ptr<Session>(new HelloSession); }};

// A DNS-like one: every packet, counts datagrams into dns_queries_overflow.
Match probe_q(const FlowInfo&, Direction, core::Bytes start) {
  return !start.empty() && start[0] == 'Q' ? Match::Yes : Match::No;
}
class CountSession : public Session {
 public:
  Progress feed(const Context& ctx, core::Bytes) override {
    ++ctx.out.dns_queries_overflow;
    return Progress::More;
  }
};
const Dissector kCount{"COUNT", kUdp, {53}, true, probe_q,
                       [] { return std::unique_ptr<Session>(new CountSession); }};
// Two probes that both say yes to 'Q': the port decides.
const Dissector kCountOn99{"COUNT99", kUdp, {99}, true, probe_q,
                           [] { return std::unique_ptr<Session>(new CountSession); }};

const Dissector* const kRegistry[] = {&kHello, &kCount, &kCountOn99};

class InspectorTest : public ::testing::Test {
 protected:
  InspectorTest() : inspector_(config(), names_, kRegistry) {
    flow_.transport = Transport::Tcp;
    flow_.client_ip = *core::IpAddress::parse("10.0.0.1");
    flow_.server_ip = *core::IpAddress::parse("10.0.0.2");
    flow_.client_port = 40000;
    flow_.server_port = 7;
  }
  static InspectConfig config() {
    InspectConfig c;
    c.packets_per_direction = 4;
    c.max_flow_buffer = 64;
    return c;
  }
  // One TCP segment with `text` as payload at sequence number `seq`.
  void tcp(Direction dir, std::uint32_t seq, std::string_view text, std::uint8_t flags = 0) {
    frame_.assign(text.begin(), text.end());
    proto::DecodedPacket p;
    p.has_transport = true;
    p.has_ports = true;
    p.seq = seq;
    p.tcp_flags = flags;
    p.payload_offset = 0;
    p.payload_length = static_cast<std::uint32_t>(frame_.size());
    inspector_.on_packet(slot_, flow_, dir, p, frame_, core::Timestamp{++clock_});
  }
  void udp(Direction dir, std::string_view text) {
    flow_.transport = Transport::Udp;
    tcp(dir, 0, text);
  }
  std::shared_ptr<const AppInfo> result() { return inspector_.result(slot_); }

  NameTable names_;
  Inspector inspector_;
  FlowInfo flow_;
  std::uint32_t slot_ = 0;
  std::vector<std::uint8_t> frame_;
  std::int64_t clock_ = 1'000'000;
};

TEST_F(InspectorTest, NoPayloadNoState) {
  tcp(Direction::ToServer, 100, "", proto::tcp_flag::kSyn);
  EXPECT_EQ(slot_, 0u);
  EXPECT_EQ(result(), nullptr);
}

TEST_F(InspectorTest, InOrderSegmentsReachTheSessionInOrder) {
  tcp(Direction::ToServer, 1, "HELLO ");
  tcp(Direction::ToClient, 500, "hi ");
  tcp(Direction::ToServer, 7, "there ");
  tcp(Direction::ToClient, 503, "back");
  auto r = result();
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->proto, "HELLO");
  EXPECT_EQ(r->http_path, "HELLO there ");
  EXPECT_EQ(r->http_host, "hi back");
}

TEST_F(InspectorTest, SynConsumesOneSequenceNumber) {
  tcp(Direction::ToServer, 99, "HELLO", proto::tcp_flag::kSyn);  // TCP Fast Open: data on the SYN
  tcp(Direction::ToServer, 105, " more");
  EXPECT_EQ(result()->http_path, "HELLO more");
}

TEST_F(InspectorTest, OutOfOrderSegmentsAreReordered) {
  tcp(Direction::ToServer, 1, "HELLO");
  tcp(Direction::ToServer, 9, "CCC");   // ahead of a gap
  tcp(Direction::ToServer, 12, "DD");
  EXPECT_EQ(result()->http_path, "HELLO");
  tcp(Direction::ToServer, 6, "BBB");  // fills it
  EXPECT_EQ(result()->http_path, "HELLOBBBCCCDD");
  EXPECT_EQ(inspector_.buffered_bytes(), 0u);
}

TEST_F(InspectorTest, RetransmittedBytesAreFedOnce) {
  tcp(Direction::ToServer, 1, "HELLO");
  tcp(Direction::ToServer, 1, "HELLO");      // whole retransmission
  tcp(Direction::ToServer, 4, "LOWORLD");    // overlaps, brings new bytes
  tcp(Direction::ToServer, 8, "RLD!");       // overlaps, one new byte
  EXPECT_EQ(result()->http_path, "HELLOWORLD!");
}

TEST_F(InspectorTest, AStartTooShortToTellWaitsForMoreBytes) {
  tcp(Direction::ToServer, 1, "HEL");
  EXPECT_EQ(result(), nullptr);  // nothing known yet
  tcp(Direction::ToServer, 4, "LO!");
  EXPECT_EQ(result()->http_path, "HELLO!");
}

TEST_F(InspectorTest, ServerBytesBeforeIdentificationAreFedFirst) {
  tcp(Direction::ToClient, 50, "banner");  // server speaks first; no probe accepts it
  tcp(Direction::ToServer, 1, "HELLO");
  auto r = result();
  EXPECT_EQ(r->http_host, "banner");
  EXPECT_EQ(r->http_path, "HELLO");
}

TEST_F(InspectorTest, UnrecognisedPayloadBothWaysIsUnknown) {
  tcp(Direction::ToServer, 1, "GARBAGE");
  EXPECT_EQ(result(), nullptr);
  tcp(Direction::ToClient, 1, "MORE GARBAGE");
  ASSERT_NE(result(), nullptr);
  EXPECT_EQ(result()->proto, "UNKNOWN");
  EXPECT_FALSE(inspector_.wants(slot_));
}

TEST_F(InspectorTest, SessionDoneStopsInspection) {
  tcp(Direction::ToServer, 1, "HELLO BYE");
  EXPECT_FALSE(inspector_.wants(slot_));
  tcp(Direction::ToServer, 10, "ignored");
  EXPECT_EQ(result()->http_path, "HELLO BYE");
}

TEST_F(InspectorTest, BudgetStopsEachDirection) {
  std::uint32_t seq = 1;
  for (std::string_view s : {"HELLO", "1", "2", "3", "4", "5"}) {
    tcp(Direction::ToServer, seq, s);
    seq += static_cast<std::uint32_t>(s.size());
  }
  EXPECT_EQ(result()->http_path, "HELLO123");  // 4 packets toward the server
  EXPECT_TRUE(inspector_.wants(slot_));        // the client side may still speak
  for (std::uint32_t i = 0; i < 4; ++i) tcp(Direction::ToClient, 100 + i, "x");
  EXPECT_FALSE(inspector_.wants(slot_));
  EXPECT_EQ(result()->http_host, "xxxx");
}

TEST_F(InspectorTest, AGapThatNeverFillsIsBoundedAndGivenUp) {
  tcp(Direction::ToServer, 1, "HELLO");
  const std::string chunk(40, 'z');
  tcp(Direction::ToServer, 100, chunk);
  EXPECT_EQ(inspector_.buffered_bytes(), 40u);
  tcp(Direction::ToServer, 200, chunk);  // 80 > max_flow_buffer (64): give the direction up
  EXPECT_EQ(inspector_.buffered_bytes(), 0u);
  EXPECT_EQ(inspector_.stats().reassembly_gaps, 1u);
  tcp(Direction::ToServer, 6, "late");
  EXPECT_EQ(result()->http_path, "HELLO");
}

TEST_F(InspectorTest, ReleaseFreesEverythingAndReusesTheSlot) {
  tcp(Direction::ToServer, 1, "HELLO");
  tcp(Direction::ToServer, 50, "pending");
  EXPECT_GT(inspector_.buffered_bytes(), 0u);
  const std::uint32_t old = slot_;
  inspector_.release(slot_);
  EXPECT_EQ(slot_, 0u);
  EXPECT_EQ(inspector_.buffered_bytes(), 0u);
  tcp(Direction::ToServer, 1, "HELLO again");
  EXPECT_EQ(slot_, old);
  EXPECT_EQ(result()->http_path, "HELLO again");
}

TEST_F(InspectorTest, ExpectedFlowsAreLabelledWithoutProbing) {
  tcp(Direction::ToServer, 1, "HELLO EXPECT");
  std::uint32_t control = slot_;
  slot_ = 0;
  flow_.server_ip = flow_.client_ip;  // the data connection comes to the client's port 2000
  flow_.server_port = 2000;
  flow_.client_port = 20;
  tcp(Direction::ToServer, 1, "binary data");
  EXPECT_EQ(result()->proto, "HELLO_DATA");
  EXPECT_FALSE(inspector_.wants(slot_));
  inspector_.release(control);
}

TEST_F(InspectorTest, UdpProbesEachDatagramAndPortsBreakTies) {
  flow_.server_port = 99;
  udp(Direction::ToServer, "junk");
  EXPECT_EQ(result(), nullptr);
  udp(Direction::ToServer, "Query");
  EXPECT_EQ(result()->proto, "COUNT99");  // COUNT is first in the table, but port 99 is COUNT99's
}

TEST_F(InspectorTest, EveryPacketDissectorsIgnoreTheBudget) {
  for (int i = 0; i < 20; ++i) udp(i % 2 ? Direction::ToClient : Direction::ToServer, "Q");
  EXPECT_EQ(result()->proto, "COUNT");
  EXPECT_EQ(result()->dns_queries_overflow, 20u);
  EXPECT_TRUE(inspector_.wants(slot_));
}

TEST_F(InspectorTest, ResultIsCopiedOnlyWhenChanged) {
  tcp(Direction::ToServer, 1, "HELLO");
  auto a = result();
  auto b = result();
  EXPECT_EQ(a.get(), b.get());
  tcp(Direction::ToServer, 6, "!");
  auto c = result();
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(a->http_path, "HELLO");  // earlier snapshots are immutable
  EXPECT_EQ(c->http_path, "HELLO!");
}

TEST_F(InspectorTest, FinishedFlowKeepsItsResultCompactly) {
  tcp(Direction::ToServer, 1, "HELLO ");
  tcp(Direction::ToClient, 500, "hi");
  tcp(Direction::ToServer, 7, "BYE");
  EXPECT_FALSE(inspector_.wants(slot_));
  auto a = result();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->proto, "HELLO");
  EXPECT_EQ(a->http_path, "HELLO BYE");
  EXPECT_EQ(a->http_host, "hi");
  EXPECT_EQ(result().get(), a.get());  // rebuilt only when nobody holds the last one
  const std::weak_ptr<const AppInfo> gone = a;
  a.reset();
  EXPECT_TRUE(gone.expired());  // the inspector itself does not keep it alive
  EXPECT_EQ(result()->http_path, "HELLO BYE");
  const Inspector::Names names = inspector_.names(slot_);
  EXPECT_EQ(names.proto, "HELLO");
  EXPECT_EQ(names.http_host, "hi");
  EXPECT_EQ(names.sni, "");
}

TEST_F(InspectorTest, VersionChangesExactlyWhenTheResultDoes) {
  EXPECT_EQ(inspector_.version(slot_), 0u);
  tcp(Direction::ToServer, 1, "HEL");
  EXPECT_EQ(inspector_.version(slot_), 0u);  // nothing known yet
  tcp(Direction::ToServer, 4, "LO");
  const std::uint32_t v1 = inspector_.version(slot_);
  EXPECT_NE(v1, 0u);
  const auto a = result();
  EXPECT_EQ(inspector_.version(slot_), v1);
  EXPECT_EQ(result().get(), a.get());
  tcp(Direction::ToServer, 6, " more");
  const std::uint32_t v2 = inspector_.version(slot_);
  EXPECT_NE(v2, v1);
  EXPECT_NE(result().get(), a.get());
  tcp(Direction::ToServer, 11, "BYE");  // finishes
  const std::uint32_t v3 = inspector_.version(slot_);
  EXPECT_NE(v3, v2);
  tcp(Direction::ToServer, 14, "ignored");
  EXPECT_EQ(inspector_.version(slot_), v3);
  EXPECT_EQ(result()->http_path, "HELLO moreBYE");
}

TEST_F(InspectorTest, ReleasingAFinishedFlowReusesItsSlot) {
  tcp(Direction::ToServer, 1, "HELLO BYE");
  const std::uint32_t old = slot_;
  inspector_.release(slot_);
  EXPECT_EQ(inspector_.version(old), 0u);
  tcp(Direction::ToServer, 1, "HELLO again");
  EXPECT_EQ(slot_, old);
  EXPECT_TRUE(inspector_.wants(slot_));
  EXPECT_EQ(result()->http_path, "HELLO again");
}

TEST_F(InspectorTest, EveryPacketUdpFlowsResumeFromTheirResult) {
  udp(Direction::ToServer, "Q1");
  const std::uint32_t v1 = inspector_.version(slot_);
  EXPECT_NE(v1, 0u);
  EXPECT_EQ(inspector_.version(slot_), v1);
  auto a = result();
  EXPECT_EQ(a->dns_queries_overflow, 1u);
  EXPECT_EQ(result().get(), a.get());
  EXPECT_EQ(inspector_.names(slot_).proto, "COUNT");
  udp(Direction::ToClient, "Q2");  // a new session continues from the kept result
  EXPECT_NE(inspector_.version(slot_), v1);
  EXPECT_EQ(a->dns_queries_overflow, 1u);  // what was handed out does not change
  EXPECT_EQ(result()->dns_queries_overflow, 2u);
  EXPECT_TRUE(inspector_.wants(slot_));
  udp(Direction::ToClient, "");  // no payload: nothing changes
  EXPECT_EQ(result()->dns_queries_overflow, 2u);
  inspector_.release(slot_);
  EXPECT_EQ(result(), nullptr);
}

TEST_F(InspectorTest, UnidentifiedUdpFlowsKeepTheirBudgetBetweenDatagrams) {
  for (int i = 0; i < 3; ++i) udp(Direction::ToServer, "junk");
  for (int i = 0; i < 3; ++i) udp(Direction::ToClient, "junk");
  EXPECT_TRUE(inspector_.wants(slot_));
  EXPECT_EQ(result(), nullptr);
  udp(Direction::ToServer, "junk");  // the 4th each way: one direction closes
  EXPECT_TRUE(inspector_.wants(slot_));
  udp(Direction::ToClient, "junk");  // both closed: done
  EXPECT_FALSE(inspector_.wants(slot_));
  EXPECT_EQ(result()->proto, "UNKNOWN");
}

TEST_F(InspectorTest, OneWayUnidentifiedUdpFlowEndsAfterTwiceTheBudget) {
  for (int i = 0; i < 7; ++i) udp(Direction::ToServer, "junk");
  EXPECT_TRUE(inspector_.wants(slot_));
  udp(Direction::ToServer, "junk");
  EXPECT_FALSE(inspector_.wants(slot_));
  EXPECT_EQ(result()->proto, "UNKNOWN");
}

TEST_F(InspectorTest, UnidentifiedUdpFlowIsStillProbedAfterBeingParked) {
  udp(Direction::ToServer, "junk");
  udp(Direction::ToServer, "junk");
  udp(Direction::ToServer, "Query");
  EXPECT_EQ(result()->proto, "COUNT");
  EXPECT_EQ(result()->dns_queries_overflow, 1u);
}

TEST(NameTable, NewestNameLearnedBeforeTheInstant) {
  NameTable t;
  const auto a = *core::IpAddress::parse("93.184.216.34");
  t.learned_name(core::Timestamp{100}, a, "old.example");
  t.learned_name(core::Timestamp{300}, a, "new.example");
  EXPECT_EQ(t.lookup(a, core::Timestamp{50}), "");
  EXPECT_EQ(t.lookup(a, core::Timestamp{100}), "old.example");
  EXPECT_EQ(t.lookup(a, core::Timestamp{299}), "old.example");
  EXPECT_EQ(t.lookup(a, core::Timestamp{1000}), "new.example");
  EXPECT_EQ(t.lookup(*core::IpAddress::parse("::1"), core::Timestamp{1000}), "");
}

TEST(NameTable, BoundedInAddressesAndNamesPerAddress) {
  NameTable t(2);
  for (int i = 0; i < 5; ++i)
    t.learned_name(core::Timestamp{i}, *core::IpAddress::parse("10.0.0." + std::to_string(i + 1)), "n");
  EXPECT_EQ(t.size(), 2u);
  const auto a = *core::IpAddress::parse("10.0.0.5");
  for (int i = 0; i < 10; ++i) t.learned_name(core::Timestamp{10 + i}, a, "name" + std::to_string(i));
  EXPECT_EQ(t.lookup(a, core::Timestamp{100}), "name9");
  EXPECT_EQ(t.lookup(a, core::Timestamp{12}), "");  // the oldest names made room
}

}  // namespace
}  // namespace wiretop::dpi
