#include "tracker_fixture.h"

namespace wiretop::flow::test {
namespace {

constexpr const char* kC = "10.0.0.1";
constexpr const char* kS = "10.0.0.2";

TEST_F(TrackerTest, TcpHandshake_SynSenderIsClientAndRttIsSynToAck) {
  feed(tcp4(kC, 40000, kS, 443, tf::kSyn, 100, 0), 0);
  feed(tcp4(kS, 443, kC, 40000, tf::kSyn | tf::kAck, 500, 101), 20);
  feed(tcp4(kC, 40000, kS, 443, tf::kAck, 101, 501), 21);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  const Connection& c = out[0].conn;
  EXPECT_EQ(c.client_ip().to_string(), kC);
  EXPECT_EQ(c.client_port(), 40000);
  EXPECT_EQ(c.server_port(), 443);
  EXPECT_EQ(c.state, State::Established);
  EXPECT_EQ(c.rtt_usec, 21'000);
  EXPECT_EQ(c.packets[kC2S], 2u);
  EXPECT_EQ(c.packets[kS2C], 1u);
  EXPECT_EQ(out[0].reason, EndReason::EndOfInput);
}

TEST_F(TrackerTest, TcpFirstPacketSynAck_ReceiverIsClient) {
  feed(tcp4(kS, 443, kC, 40000, tf::kSyn | tf::kAck, 500, 101), 0);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.client_ip().to_string(), kC);
  EXPECT_EQ(out[0].conn.state, State::SynReceived);
}

TEST_F(TrackerTest, TcpMidStream_ServerIsTheServicePort) {
  feed(tcp4(kS, 443, kC, 50000, tf::kAck | tf::kPsh, 1000, 2000, 100), 0);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.server_port(), 443);
  EXPECT_EQ(out[0].conn.state, State::Established);
  EXPECT_EQ(out[0].conn.packets[kS2C], 1u);
}

TEST_F(TrackerTest, TcpCleanClose_EndsClosedAfterLinger) {
  feed(tcp4(kC, 40000, kS, 80, tf::kSyn, 100, 0), 0);
  feed(tcp4(kS, 80, kC, 40000, tf::kSyn | tf::kAck, 500, 101), 10);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 101, 501), 11);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck | tf::kPsh, 101, 501, 50), 12);
  feed(tcp4(kS, 80, kC, 40000, tf::kAck | tf::kPsh, 501, 151, 200), 22);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck | tf::kFin, 151, 701), 23);
  EXPECT_EQ(ended_.size(), 0u);
  feed(tcp4(kS, 80, kC, 40000, tf::kAck | tf::kFin, 701, 152), 33);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 152, 702), 34);
  // Nothing ends before the closing linger passes on the packet clock.
  tracker_->advance(core::Timestamp{kBase + 5'000'000});
  EXPECT_EQ(ended_.size(), 0u);
  tracker_->advance(core::Timestamp{kBase + 11'000'000});
  ASSERT_EQ(ended_.size(), 1u);
  const Connection& c = ended_[0].conn;
  EXPECT_EQ(ended_[0].reason, EndReason::Closed);
  EXPECT_EQ(c.state, State::Closed);
  EXPECT_EQ(c.packets[kC2S], 5u);
  EXPECT_EQ(c.packets[kS2C], 3u);
  // bytes = IP header + TCP header + payload: 40 per empty segment here.
  EXPECT_EQ(c.bytes[kC2S], 5u * 40 + 50);
  EXPECT_EQ(c.bytes[kS2C], 3u * 40 + 200);
  EXPECT_EQ(c.retransmits[kC2S] + c.retransmits[kS2C], 0u);
}

TEST_F(TrackerTest, TcpFinFromServerFirst_IsCloseWait) {
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1, 1, 10), 0);
  feed(tcp4(kS, 80, kC, 40000, tf::kAck | tf::kFin, 1, 11), 1);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.state, State::CloseWait);
}

TEST_F(TrackerTest, TcpReset_EndsWithReasonReset) {
  feed(tcp4(kC, 40000, kS, 80, tf::kSyn, 100, 0), 0);
  feed(tcp4(kS, 80, kC, 40000, tf::kRst | tf::kAck, 0, 101), 1);
  tracker_->advance(core::Timestamp{kBase + 20'000'000});
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].reason, EndReason::Reset);
  EXPECT_EQ(ended_[0].conn.state, State::Reset);
}

TEST_F(TrackerTest, TcpRetransmittedData_IsCountedPerDirection) {
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1000, 1, 100), 0);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1100, 1, 100), 1);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1100, 1, 100), 300);  // same segment again
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1150, 1, 100), 301);   // partial overlap
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.retransmits[kC2S], 2u);
  EXPECT_EQ(out[0].conn.retransmits[kS2C], 0u);
}

TEST_F(TrackerTest, TcpReorderedSegment_IsOutOfOrderNotRetransmit) {
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1000, 1, 100), 0);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1200, 1, 100), 1);  // 1100..1199 missing
  // The missing segment arrives 1 ms later: within the reordering window.
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1100, 1, 100), 2);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.out_of_order[kC2S], 1u);
  EXPECT_EQ(out[0].conn.retransmits[kC2S], 0u);
}

TEST_F(TrackerTest, TcpDuplicateAcks_AreCounted) {
  feed(tcp4(kS, 80, kC, 40000, tf::kAck, 5000, 1, 100), 0);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1, 5100), 1);
  feed(tcp4(kS, 80, kC, 40000, tf::kAck, 5200, 1, 100), 2);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1, 5100), 3);
  feed(tcp4(kC, 40000, kS, 80, tf::kAck, 1, 5100), 4);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.dup_acks[kC2S], 2u);
}

TEST_F(TrackerTest, TcpNewSynAfterClose_StartsSecondRecord) {
  feed(tcp4(kC, 40000, kS, 80, tf::kSyn, 100, 0), 0);
  feed(tcp4(kS, 80, kC, 40000, tf::kRst | tf::kAck, 0, 101), 1);
  feed(tcp4(kC, 40000, kS, 80, tf::kSyn, 9000, 0), 2);
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].reason, EndReason::Reset);
  auto& out = flush();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].conn.state, State::SynSent);
  EXPECT_NE(out[0].conn.id, out[1].conn.id);
}

TEST_F(TrackerTest, TcpRetransmittedSyn_StaysOneRecord) {
  feed(tcp4(kC, 40000, kS, 80, tf::kSyn, 100, 0), 0);
  feed(tcp4(kC, 40000, kS, 80, tf::kSyn, 100, 0), 1000);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.packets[kC2S], 2u);
}

TEST_F(TrackerTest, UdpDns_ClientIsNotTheServicePortAndTimesOutQuickly) {
  feed(udp4(kS, 53, kC, 33333), 0);  // the answer is captured first
  feed(udp4(kC, 33333, kS, 53), 1);
  EXPECT_EQ(ended_.size(), 0u);
  tracker_->advance(core::Timestamp{kBase + 7'000'000});
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].reason, EndReason::Timeout);
  EXPECT_EQ(ended_[0].conn.client_port(), 33333);
  EXPECT_EQ(ended_[0].conn.state, State::Active);
}

TEST_F(TrackerTest, UdpGeneric_TimesOutAfterTensOfSeconds) {
  feed(udp4(kC, 40000, kS, 40001), 0);
  tracker_->advance(core::Timestamp{kBase + 10'000'000});
  EXPECT_EQ(ended_.size(), 0u);
  tracker_->advance(core::Timestamp{kBase + 31'000'000});
  ASSERT_EQ(ended_.size(), 1u);
  // Neither port is a service: the lower port is the server.
  EXPECT_EQ(ended_[0].conn.server_port(), 40000);
  EXPECT_EQ(ended_[0].conn.state, State::New);
}

TEST_F(TrackerTest, UdpDhcp_Port68SideIsClient) {
  feed(udp4(kS, 67, kC, 68), 0);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.client_port(), 68);
}

TEST_F(TrackerTest, UdpToMulticast_DestinationIsServer) {
  feed(udp4("192.168.1.5", 5353, "224.0.0.251", 5353), 0);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.server_ip().to_string(), "224.0.0.251");
}

TEST_F(TrackerTest, IcmpEcho_OneRecordPerIdentifierWithRtt) {
  for (int i = 0; i < 5; ++i) {
    feed(PacketBuilder().ethernet().ipv4(kC, kS).icmp(8, 0, 77, static_cast<std::uint16_t>(i)).build(), i * 1000);
    feed(PacketBuilder().ethernet().ipv4(kS, kC).icmp(0, 0, 77, static_cast<std::uint16_t>(i)).build(), i * 1000 + 4);
  }
  feed(PacketBuilder().ethernet().ipv4(kC, kS).icmp(8, 0, 78, 0).build(), 6000);
  auto& out = flush();
  ASSERT_EQ(out.size(), 2u);
  const Connection& c = out[0].conn.key.port_a == 77 ? out[0].conn : out[1].conn;
  EXPECT_EQ(c.packets[kC2S], 5u);
  EXPECT_EQ(c.packets[kS2C], 5u);
  EXPECT_EQ(c.rtt_usec, 4000);
  EXPECT_EQ(c.client_ip().to_string(), kC);
}

TEST_F(TrackerTest, RatesTracked_OpenRecordHasItsWindow) {
  feed(udp4(kC, 5000, kS, 53, 58), 0);      // a 100-byte frame
  feed(udp4(kC, 5000, kS, 53, 58), 1000);
  tracker_->advance(core::Timestamp{kBase + 2'000'000});
  const Connection* open = nullptr;
  tracker_->for_each([&](const Connection& c) { open = &c; });
  ASSERT_NE(open, nullptr);
  const RateWindow* rate = tracker_->rate_of(*open);
  ASSERT_NE(rate, nullptr);
  EXPECT_DOUBLE_EQ(rate->bytes_per_second(kBase + 2'000'000, kC2S), 200.0 / 3);
}

TEST_F(TrackerTest, RatesOff_NoWindowAndCountersUnchanged) {
  TrackerConfig cfg;
  cfg.track_rates = false;
  make_tracker(cfg);
  feed(udp4(kC, 5000, kS, 53, 58), 0);
  const Connection* open = nullptr;
  tracker_->for_each([&](const Connection& c) { open = &c; });
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(tracker_->rate_of(*open), nullptr);
  EXPECT_EQ(open->frame_bytes[kC2S], 100u);
}

// The handshake and echo marks keep only the low 32 bits of the µs clock:
// a round trip across their wrap (every 71.6 minutes) must still be exact.
constexpr std::int64_t kMsBeforeClockWrap = 3'890'331;  // (2^32 - kBase mod 2^32) µs, in ms

TEST_F(TrackerTest, TcpHandshakeAcrossLow32BitClockWrap_RttExact) {
  const std::int64_t t = kMsBeforeClockWrap;
  feed(tcp4(kC, 40000, kS, 443, tf::kSyn, 100, 0), t);
  feed(tcp4(kS, 443, kC, 40000, tf::kSyn | tf::kAck, 500, 101), t + 20);
  feed(tcp4(kC, 40000, kS, 443, tf::kAck, 101, 501), t + 21);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.rtt_usec, 21'000);
}

TEST_F(TrackerTest, IcmpEchoAcrossLow32BitClockWrap_MeanRttExact) {
  const std::int64_t t = kMsBeforeClockWrap;
  feed(PacketBuilder().ethernet().ipv4(kC, kS).icmp(8, 0, 9, 1).build(), t);
  feed(PacketBuilder().ethernet().ipv4(kS, kC).icmp(0, 0, 9, 1).build(), t + 4);
  feed(PacketBuilder().ethernet().ipv4(kC, kS).icmp(8, 0, 9, 2).build(), t + 1000);
  feed(PacketBuilder().ethernet().ipv4(kS, kC).icmp(0, 0, 9, 2).build(), t + 1007);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.rtt_usec, 5500);
}

TEST_F(TrackerTest, IcmpEchoToSelf_RequestsAndRepliesAreSeparateDirections) {
  for (int i = 0; i < 2; ++i) {
    feed(PacketBuilder().ethernet().ipv4("127.0.0.1", "127.0.0.1").icmp(8, 0, 5, static_cast<std::uint16_t>(i)).build(), i * 10);
    feed(PacketBuilder().ethernet().ipv4("127.0.0.1", "127.0.0.1").icmp(0, 0, 5, static_cast<std::uint16_t>(i)).build(), i * 10 + 1);
  }
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.packets[kC2S], 2u);
  EXPECT_EQ(out[0].conn.packets[kS2C], 2u);
  EXPECT_EQ(out[0].conn.rtt_usec, 1000);
}

TEST_F(TrackerTest, IcmpError_BumpsQuotedFlowWithoutCountingPackets) {
  feed(udp4(kC, 40000, kS, 9999), 0);
  const auto inner = PacketBuilder().ipv4(kC, kS).udp(40000, 9999).payload("abcd").build();
  feed(PacketBuilder().ethernet().ipv4(kS, kC).icmp_error(3, 3, inner).build(), 1);
  auto& out = flush();
  ASSERT_EQ(out.size(), 2u);
  for (const auto& e : out) {
    if (e.conn.key.kind == KeyKind::Ports) {
      EXPECT_EQ(e.conn.icmp_errors, 1u);
      EXPECT_EQ(e.conn.packets[kC2S] + e.conn.packets[kS2C], 1u);
    } else {
      EXPECT_EQ(e.conn.key.kind, KeyKind::IcmpOther);
      EXPECT_EQ(e.conn.key.port_a, 3);  // type: destination unreachable
      EXPECT_EQ(e.conn.client_ip().to_string(), kS);
    }
  }
}

TEST_F(TrackerTest, Fragments_NonFirstJoinTheirFlowCounter) {
  testing::Ipv4Spec first;
  first.src = kC;
  first.dst = kS;
  first.id = 4242;
  first.more_fragments = true;
  feed(PacketBuilder().ethernet().ipv4(first).udp(40000, 53).payload(std::string(100, 'a')).build(), 0);
  testing::Ipv4Spec rest;
  rest.src = kC;
  rest.dst = kS;
  rest.id = 4242;
  rest.frag_offset_bytes = 112;
  rest.proto = 17;
  feed(PacketBuilder().ethernet().ipv4(rest).payload(std::string(60, 'b')).build(), 1);
  rest.id = 999;  // no first fragment seen for this datagram
  feed(PacketBuilder().ethernet().ipv4(rest).payload(std::string(60, 'b')).build(), 2);
  EXPECT_EQ(tracker_->stats().unmatched_fragments, 1u);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].conn.fragments, 1u);
  EXPECT_EQ(out[0].conn.packets[kC2S], 1u);
}

TEST_F(TrackerTest, MaxFlows_EvictsTheStalestAndReportsIt) {
  TrackerConfig cfg;
  cfg.max_flows = 2;
  make_tracker(cfg);
  // Staleness is tracked to the second (see Tracker::touch).
  feed(udp4(kC, 1001, kS, 7001), 0);
  feed(udp4(kC, 1002, kS, 7002), 1000);
  feed(udp4(kC, 1001, kS, 7001), 2000);  // flow 1 is now fresher than flow 2
  feed(udp4(kC, 1003, kS, 7003), 3000);
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(ended_[0].reason, EndReason::Evicted);
  EXPECT_EQ(ended_[0].conn.key.port_a, 1002);
  EXPECT_EQ(tracker_->stats().evictions, 1u);
  EXPECT_EQ(tracker_->size(), 2u);
}

TEST_F(TrackerTest, Ipv6AndVlan_AreTrackedWithVlanRecorded) {
  feed(PacketBuilder().ethernet().vlan(42).ipv6("fd00::1", "fd00::2").udp(5000, 53).payload("q").build(), 0);
  feed(PacketBuilder().ethernet().ipv6("fd00::2", "fd00::1").udp(53, 5000).payload("a").build(), 1);
  auto& out = flush();
  ASSERT_EQ(out.size(), 1u);  // the VLAN is recorded, not part of the key
  EXPECT_TRUE(out[0].conn.has_vlan);
  EXPECT_EQ(out[0].conn.vlan, 42);
  EXPECT_EQ(out[0].conn.packets[kC2S] + out[0].conn.packets[kS2C], 2u);
}

TEST_F(TrackerTest, ManyFlows_TableGrowsAndFindsEveryOne) {
  for (int i = 0; i < 5000; ++i)
    feed(udp4(kC, static_cast<std::uint16_t>(10000 + i), kS, 7000), i);
  for (int i = 0; i < 5000; ++i)
    feed(udp4(kS, 7000, kC, static_cast<std::uint16_t>(10000 + i)), 5000 + i);
  auto& out = flush();
  ASSERT_EQ(out.size(), 5000u);
  for (const auto& e : out) EXPECT_EQ(e.conn.packets[kC2S] + e.conn.packets[kS2C], 2u);
}

TEST_F(TrackerTest, ArpReply_LearnsNeighbourWithoutARecord) {
  const testing::Mac mac{0x02, 1, 2, 3, 4, 5};
  feed(PacketBuilder().ethernet().arp(2, mac, "10.0.0.9", testing::kMacA, kC).build(), 0);
  EXPECT_EQ(tracker_->size(), 0u);
  const auto* found = tracker_->neighbors().find(*core::IpAddress::parse("10.0.0.9"));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, mac);
}

}  // namespace
}  // namespace wiretop::flow::test

namespace wiretop::flow {
namespace {

TEST(NeighborTable, UpdatesChangedBindingAndCapsNewOnes) {
  NeighborTable t;
  const NeighborTable::Mac a{1, 2, 3, 4, 5, 6}, b{6, 5, 4, 3, 2, 1};
  const auto ip = *core::IpAddress::parse("10.0.0.1");
  EXPECT_TRUE(t.learn(ip, a));
  EXPECT_FALSE(t.learn(ip, a));
  EXPECT_TRUE(t.learn(ip, b));
  EXPECT_EQ(*t.find(ip), b);
  for (std::uint32_t i = 0; i < NeighborTable::kCapacity + 10; ++i) t.learn(core::IpAddress::v4(0x0b000000u + i), a);
  EXPECT_EQ(t.size(), NeighborTable::kCapacity);
  EXPECT_EQ(t.dropped(), 11u);  // 10.0.0.1 took one place
  EXPECT_EQ(t.find(*core::IpAddress::parse("192.0.2.1")), nullptr);
}

}  // namespace
}  // namespace wiretop::flow
