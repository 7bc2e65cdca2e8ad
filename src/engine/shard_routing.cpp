// The capture thread's shard choice: a hash of the unordered address pair (see shard_routing.h).
#include "engine/shard_routing.h"

#include <cstdint>

#include "core/hash.h"

namespace wiretop::engine {
namespace {

unsigned shard_for_pair(const core::IpAddress& x, const core::IpAddress& y, unsigned shards) {
  const core::IpAddress& lo = x < y ? x : y;
  const core::IpAddress& hi = x < y ? y : x;
  std::uint8_t buf[32];
  for (int i = 0; i < 16; ++i) {
    buf[i] = lo.bytes()[static_cast<std::size_t>(i)];
    buf[16 + i] = hi.bytes()[static_cast<std::size_t>(i)];
  }
  return static_cast<unsigned>(core::hash_bytes(buf, sizeof buf, 0x5a4d) % shards);
}

}  // namespace

ShardRoute route_packet(const proto::DecodedPacket& p, proto::DecodeError err, unsigned shards) {
  ShardRoute r;
  r.quoted_shard = shards;
  if (err != proto::DecodeError::None) return r;
  r.to_every_shard = p.has_neighbor && shards > 1;
  if (p.src.empty()) return r;
  r.shard = shard_for_pair(p.src, p.dst, shards);
  if (p.icmp_is_error && p.quoted.present) {
    const unsigned q = shard_for_pair(p.quoted.src, p.quoted.dst, shards);
    if (q != r.shard) r.quoted_shard = q;
  }
  return r;
}

}  // namespace wiretop::engine
