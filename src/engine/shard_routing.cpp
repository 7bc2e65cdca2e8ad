// The capture thread's shard choice: a hash of the unordered address pair (see shard_routing.h).
#include "engine/shard_routing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/byte_reader.h"
#include "core/hash.h"

namespace wiretop::engine {
namespace {

unsigned shard_for_pair(const core::IpAddress& x, const core::IpAddress& y, const ShardMap& map) {
  const core::IpAddress& lo = x < y ? x : y;
  const core::IpAddress& hi = x < y ? y : x;
  std::uint8_t buf[32];
  for (int i = 0; i < 16; ++i) {
    buf[i] = lo.bytes()[static_cast<std::size_t>(i)];
    buf[16 + i] = hi.bytes()[static_cast<std::size_t>(i)];
  }
  return map.shard_of(core::hash_bytes(buf, sizeof buf, 0x5a4d));
}

}  // namespace

ShardMap::ShardMap(unsigned shards, double first_weight) : shards_(shards == 0 ? 1 : shards) {
  const auto first = static_cast<unsigned>(
      std::lround(std::clamp(first_weight, 0.0, 1.0) * kBucketsPerShard));
  if (shards_ == 1 || first == kBucketsPerShard) return;
  buckets_.assign(first, 0);
  for (unsigned s = 1; s < shards_; ++s) buckets_.insert(buckets_.end(), kBucketsPerShard, s);
}

std::optional<unsigned> quick_shard(proto::LinkType link, core::Bytes frame, const ShardMap& map) {
  constexpr std::uint16_t kVlan = 0x8100, kIpv4 = 0x0800, kIpv6 = 0x86DD;
  constexpr std::uint8_t kTcp = 6, kUdp = 17;
  if (link != proto::LinkType::Ethernet) return std::nullopt;
  core::ByteReader r(frame);
  r.skip(12);  // MAC addresses
  auto type = r.be16();
  if (type == kVlan) {
    r.skip(2);  // TCI
    type = r.be16();
  }
  if (type == kIpv4) {
    const auto version = r.u8();
    if (!version || (*version >> 4) != 4 || !r.skip(8)) return std::nullopt;  // to the protocol field
    const auto proto = r.u8();
    if (!proto || (*proto != kTcp && *proto != kUdp) || !r.skip(2)) return std::nullopt;
    const auto src = r.bytes(4), dst = r.bytes(4);
    if (!src || !dst) return std::nullopt;
    return shard_for_pair(core::IpAddress::v4_bytes(*src), core::IpAddress::v4_bytes(*dst), map);
  }
  if (type == kIpv6) {
    const auto version = r.u8();
    if (!version || (*version >> 4) != 6 || !r.skip(5)) return std::nullopt;  // to the next header
    const auto next = r.u8();
    if (!next || (*next != kTcp && *next != kUdp) || !r.skip(1)) return std::nullopt;
    const auto src = r.bytes(16), dst = r.bytes(16);
    if (!src || !dst) return std::nullopt;
    return shard_for_pair(core::IpAddress::v6_bytes(*src), core::IpAddress::v6_bytes(*dst), map);
  }
  return std::nullopt;
}

ShardRoute route_packet(const proto::DecodedPacket& p, proto::DecodeError err, const ShardMap& map) {
  const unsigned shards = map.shards();
  ShardRoute r;
  r.quoted_shard = shards;
  if (err != proto::DecodeError::None) return r;
  r.to_every_shard = p.has_neighbor && shards > 1;
  if (p.src.empty()) return r;
  r.shard = shard_for_pair(p.src, p.dst, map);
  if (p.icmp_is_error && p.quoted.present) {
    const unsigned q = shard_for_pair(p.quoted.src, p.quoted.dst, map);
    if (q != r.shard) r.quoted_shard = q;
  }
  return r;
}

}  // namespace wiretop::engine
