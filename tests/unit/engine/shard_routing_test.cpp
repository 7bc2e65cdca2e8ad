#include "engine/shard_routing.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <string>
#include <vector>

#include "support/packet_builder.h"

namespace wiretop::engine {
namespace {

using testing::Frame;
using testing::PacketBuilder;

ShardRoute route(const Frame& f, const ShardMap& map) {
  proto::DecodedPacket p;
  const proto::DecodeError err = proto::decode_packet(proto::LinkType::Ethernet, f, p);
  return route_packet(p, err, map);
}
ShardRoute route(const Frame& f, unsigned shards) { return route(f, ShardMap(shards)); }

Frame udp4(const std::string& a, const std::string& b, std::uint16_t sp, std::uint16_t dp) {
  return PacketBuilder().ethernet().ipv4(a, b).udp(sp, dp).payload("x").build();
}

std::string host(int n) { return "10." + std::to_string(n / 250) + "." + std::to_string(n % 250) + ".1"; }

// Many client addresses talking to one server: every shard is used, both
// directions agree, and every port pair of one address pair shares a shard.
TEST(ShardRouting, BothDirectionsAndAllPortsOfAPairShareAShard) {
  constexpr unsigned kShards = 4;
  std::set<unsigned> used;
  for (int n = 0; n < 200; ++n) {
    const unsigned s = route(udp4(host(n), "192.0.2.1", 40000, 53), kShards).shard;
    EXPECT_EQ(route(udp4("192.0.2.1", host(n), 53, 40000), kShards).shard, s);
    EXPECT_EQ(route(udp4(host(n), "192.0.2.1", 40001 + n, 443), kShards).shard, s);
    EXPECT_LT(s, kShards);
    used.insert(s);
  }
  EXPECT_EQ(used.size(), kShards);
}

TEST(ShardRouting, NonFirstIpv4FragmentsGoWithTheirFlow) {
  for (int n = 0; n < 64; ++n) {
    const unsigned flow = route(udp4(host(n), "198.51.100.7", 5000, 5001), 4).shard;
    testing::Ipv4Spec spec;
    spec.src = host(n);
    spec.dst = "198.51.100.7";
    spec.id = 77;
    spec.frag_offset_bytes = 1480;
    spec.proto = 17;
    const Frame frag = PacketBuilder().ethernet().ipv4(spec).payload("rest of the datagram").build();
    proto::DecodedPacket p;
    ASSERT_EQ(proto::decode_packet(proto::LinkType::Ethernet, frag, p), proto::DecodeError::None);
    EXPECT_FALSE(p.has_ports);  // what makes it a non-first fragment
    EXPECT_EQ(route_packet(p, proto::DecodeError::None, 4).shard, flow);
  }
}

TEST(ShardRouting, NonFirstIpv6FragmentsGoWithTheirFlow) {
  for (int n = 0; n < 64; ++n) {
    const std::string client = "2001:db8::" + std::to_string(n + 1);
    const Frame whole = PacketBuilder().ethernet().ipv6(client, "2001:db8:ff::1").udp(5000, 5001).build();
    const Frame frag = PacketBuilder()
                           .ethernet()
                           .ipv6("2001:db8:ff::1", client)
                           .ipv6_fragment(9, 1232, false)
                           .payload("tail")
                           .build();
    EXPECT_EQ(route(frag, 4).shard, route(whole, 4).shard);
  }
}

// The error travels between a router and the client; its quoted header names
// the client's flow, whose shard gets a copy unless it is the same shard.
TEST(ShardRouting, IcmpErrorsReachTheQuotedFlowsShard) {
  int copies = 0;
  for (int n = 0; n < 64; ++n) {
    const Frame inner = PacketBuilder().ipv4(host(n), "203.0.113.9").udp(40000, 33434).build();
    const unsigned flow = route(udp4(host(n), "203.0.113.9", 40000, 33434), 4).shard;
    const ShardRoute r =
        route(PacketBuilder().ethernet().ipv4("192.0.2.254", host(n)).icmp_error(3, 3, inner).build(), 4);
    if (r.shard == flow) {
      EXPECT_EQ(r.quoted_shard, 4u);  // no copy needed
    } else {
      EXPECT_EQ(r.quoted_shard, flow);
      ++copies;
    }
  }
  EXPECT_GT(copies, 0);
}

TEST(ShardRouting, NeighbourBindingsGoToEveryShard) {
  const Frame arp = PacketBuilder()
                        .ethernet()
                        .arp(2, testing::kMacA, "192.168.1.10", testing::kMacB, "192.168.1.1")
                        .build();
  EXPECT_TRUE(route(arp, 4).to_every_shard);
  EXPECT_FALSE(route(arp, 1).to_every_shard);
  const Frame na = PacketBuilder().ethernet().ipv6("fe80::1", "ff02::1").ndp(136, "fe80::1", 2, testing::kMacA).build();
  EXPECT_TRUE(route(na, 4).to_every_shard);
  EXPECT_FALSE(route(udp4("10.0.0.1", "10.0.0.2", 1, 2), 4).to_every_shard);
}

TEST(ShardRouting, UndecodablePacketsGoToShardZero) {
  const Frame runt{0x00, 0x01};
  const ShardRoute r = route(runt, 4);
  EXPECT_EQ(r.shard, 0u);
  EXPECT_EQ(r.quoted_shard, 4u);
  EXPECT_FALSE(r.to_every_shard);
}

TEST(ShardMap, EvenMap_IsTheHashModuloTheShards) {
  const ShardMap map(3);
  for (std::uint64_t n = 0; n < 1000; ++n) {
    const std::uint64_t hash = n * 0x9e3779b97f4a7c15ULL;
    EXPECT_EQ(map.shard_of(hash), hash % 3);
  }
}

// The capture thread handling shard 0 gets a smaller share of the pairs (engine.cpp).
TEST(ShardMap, FirstShardGetsItsWeightOfAnEvenShare) {
  const ShardMap map(2, 1.0 / 3);
  std::array<int, 2> count{};
  for (int n = 0; n < 4000; ++n) ++count[route(udp4(host(n), "192.0.2.1", 40000, 53), map).shard];
  // shard 0: 11 of 43 buckets (0.256), shard 1: 32 of 43
  EXPECT_NEAR(count[0] / 4000.0, 11.0 / 43, 0.03);
  EXPECT_EQ(count[0] + count[1], 4000);
}

TEST(ShardMap, ZeroWeight_LeavesShardZeroOnlyWhatHasNoAddresses) {
  const ShardMap map(3, 0.0);
  for (int n = 0; n < 300; ++n) {
    const unsigned s = route(udp4(host(n), "192.0.2.1", 40000, 53), map).shard;
    EXPECT_TRUE(s == 1 || s == 2);
    EXPECT_EQ(route(udp4("192.0.2.1", host(n), 53, 40000), map).shard, s);
  }
}

// The capture thread's cheap path routes TCP and UDP exactly as the full decode would.
TEST(QuickShard, TcpAndUdpOverIpv4AndIpv6_GoWhereTheDecodedPacketGoes) {
  const ShardMap map(3, 0.5);
  for (int n = 0; n < 200; ++n) {
    const std::string v6 = "2001:db8::" + std::to_string(n + 1);
    const std::vector<Frame> frames = {
        udp4(host(n), "192.0.2.1", 40000, 53),
        PacketBuilder().ethernet().ipv4("192.0.2.1", host(n)).tcp(443, 40001, 0x10).build(),
        PacketBuilder().ethernet().vlan(7).ipv4(host(n), "192.0.2.9").tcp(40002, 80, 0x02).build(),
        PacketBuilder().ethernet().ipv6(v6, "2001:db8::ffff").udp(5000, 443).payload("q").build(),
        PacketBuilder().ethernet().ipv6("2001:db8::ffff", v6).tcp(443, 5000, 0x12).build(),
    };
    for (const Frame& f : frames) {
      const auto quick = quick_shard(proto::LinkType::Ethernet, f, map);
      ASSERT_TRUE(quick.has_value());
      EXPECT_EQ(*quick, route(f, map).shard);
    }
  }
}

TEST(QuickShard, WhatNeedsTheFullDecode_IsLeftToIt) {
  const ShardMap map(2);
  const Frame inner = PacketBuilder().ipv4("10.0.0.1", "198.51.100.7").udp(5000, 53).build();
  const std::vector<Frame> frames = {
      PacketBuilder().ethernet().ipv4("192.0.2.1", "10.0.0.1").icmp_error(3, 3, inner).build(),
      PacketBuilder().ethernet().arp(1, testing::kMacA, "10.0.0.1", testing::Mac{}, "10.0.0.2").build(),
      PacketBuilder().ethernet().ipv6("fe80::1", "ff02::1").ndp(136, "fe80::1", 2, testing::kMacA).build(),
      PacketBuilder().ethernet().ipv6("2001:db8::1", "2001:db8::2").ipv6_ext(0).udp(1, 2).build(),
      PacketBuilder().ethernet().vlan(7).vlan(8).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build(),
  };
  for (const Frame& f : frames) EXPECT_FALSE(quick_shard(proto::LinkType::Ethernet, f, map).has_value());
  const Frame raw = PacketBuilder().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
  EXPECT_FALSE(quick_shard(proto::LinkType::Raw, raw, map).has_value());  // Ethernet only
}

}  // namespace
}  // namespace wiretop::engine
