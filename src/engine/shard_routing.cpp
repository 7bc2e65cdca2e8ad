// The capture thread's shard choice: a hash of the unordered address pair (see shard_routing.h).
#include "engine/shard_routing.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

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
