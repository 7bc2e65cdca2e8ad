#pragma once
// Which shard a decoded packet goes to (the capture thread's only decision).
//
// Choice: the shard is a hash of the UNORDERED ADDRESS PAIR, not of the 5-tuple.
// Both directions of a connection share it, and so does every packet that has
// no ports of its own but belongs to a connection between the same two hosts:
// non-first IPv4/IPv6 fragments land with their first fragment without a
// first-fragment table in the capture thread (no state, no cap, no eviction,
// nothing an attacker's fragment flood could fill). An ICMP error goes to its
// own pair's shard (it is a flow between the router and the host) and a copy
// goes to the shard of the pair its quoted header names, which counts it on the
// connection it reports. ARP and NDP packets also go to every other shard: each
// shard names the ends of its rows' MACs from them.
//
// The price is balance: all connections between two hosts share one shard.
// Measured with bench/shard_skew.cpp (bench/RESULTS.md, "Shard balance"): on
// bench/data/replay.pcap (1M packets, 60k flows, 600 clients) the busiest
// shard gets 1.018x an even share of the packets with 2 shards, 1.047x with 4,
// 1.074x with 8; on the 1M-flow scan file 1.002x with 4. Traffic concentrated
// on one address pair (a backup between two hosts) stays on one shard.

#include <cstdint>
#include <optional>
#include <vector>

#include "proto/decoded_packet.h"

namespace wiretop::engine {

// How a pair's hash picks a shard: evenly (hash % shards), or with a smaller
// share of the pairs for shard 0 when the capture thread handles that shard
// besides reading and routing every packet (engine.cpp run_sharded): it then
// gets about as much work as each worker, and the pipeline runs at the pace of
// its busiest thread.
class ShardMap {
 public:
  explicit ShardMap(unsigned shards) : ShardMap(shards, 1.0) {}
  // Shard 0 gets `first_weight` (0..1) of an even share, in steps of 1/kBucketsPerShard.
  ShardMap(unsigned shards, double first_weight);
  unsigned shards() const { return shards_; }
  unsigned shard_of(std::uint64_t hash) const {
    return buckets_.empty() ? static_cast<unsigned>(hash % shards_)
                            : buckets_[static_cast<std::size_t>(hash % buckets_.size())];
  }

  static constexpr unsigned kBucketsPerShard = 32;

 private:
  unsigned shards_;
  std::vector<unsigned> buckets_;  // bucket -> shard; empty: even split
};

struct ShardRoute {
  unsigned shard = 0;         // the packet's own shard
  unsigned quoted_shard = 0;  // ICMP error: the quoted flow's shard; == shards when none or == shard
  bool to_every_shard = false;  // ARP/NDP binding: a copy for every other shard as well
};

// The capture thread's cheap path, without a full decode: an Ethernet frame
// (at most one 802.1Q tag) carrying IPv4 or IPv6 with TCP or UDP directly
// after the IP header. Its route is its address pair's shard, what
// route_packet gives once it is decoded (a frame the decoder would reject may
// land on any shard: it only counts as a parse failure there). Anything else
// (ICMP errors, ARP/NDP, other link types, IPv6 extension headers): nullopt,
// decode and route_packet.
std::optional<unsigned> quick_shard(proto::LinkType link, core::Bytes frame, const ShardMap& map);

// `shards` >= 1. Undecodable and non-IP packets go to shard 0.
ShardRoute route_packet(const proto::DecodedPacket& p, proto::DecodeError err, const ShardMap& map);
inline ShardRoute route_packet(const proto::DecodedPacket& p, proto::DecodeError err, unsigned shards) {
  return route_packet(p, err, ShardMap(shards));
}

}  // namespace wiretop::engine
