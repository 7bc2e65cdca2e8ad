// wiretop_shard_skew CAPTURE [SHARDS...]
//
// How evenly the capture thread's shard choice (engine/shard_routing.h) spreads
// a capture: for each shard count, the packets and flows (unordered 5-tuples
// with ports, address pairs otherwise) each shard gets, and the busiest shard's
// share relative to a perfect split (1.00 = even; a worker pool runs at the
// pace of its busiest shard).

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unordered_set>
#include <vector>

#include "capture/packet_source.h"
#include "core/hash.h"
#include "engine/link_type.h"
#include "engine/shard_routing.h"

namespace {

using namespace wiretop;

std::uint64_t flow_hash(const proto::DecodedPacket& p) {
  std::uint8_t buf[37] = {};
  const bool forward = p.src < p.dst || (p.src == p.dst && p.src_port <= p.dst_port);
  const core::IpAddress& a = forward ? p.src : p.dst;
  const core::IpAddress& b = forward ? p.dst : p.src;
  for (std::size_t i = 0; i < 16; ++i) {
    buf[i] = a.bytes()[i];
    buf[16 + i] = b.bytes()[i];
  }
  const std::uint16_t pa = p.has_ports ? (forward ? p.src_port : p.dst_port) : 0;
  const std::uint16_t pb = p.has_ports ? (forward ? p.dst_port : p.src_port) : 0;
  buf[32] = static_cast<std::uint8_t>(pa >> 8);
  buf[33] = static_cast<std::uint8_t>(pa);
  buf[34] = static_cast<std::uint8_t>(pb >> 8);
  buf[35] = static_cast<std::uint8_t>(pb);
  buf[36] = p.ip_proto;
  return core::hash_bytes(buf, sizeof buf, 1);
}

void report(const char* what, const std::vector<std::uint64_t>& counts) {
  std::uint64_t total = 0, busiest = 0;
  for (auto c : counts) {
    total += c;
    busiest = std::max(busiest, c);
  }
  std::printf("  %-8s", what);
  for (auto c : counts) std::printf(" %9llu", static_cast<unsigned long long>(c));
  const double even = static_cast<double>(total) / static_cast<double>(counts.size());
  std::printf("   busiest/even %.3f\n", even > 0 ? static_cast<double>(busiest) / even : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: wiretop_shard_skew CAPTURE [SHARDS...]\n");
    return 2;
  }
  std::vector<unsigned> counts;
  for (int i = 2; i < argc; ++i) counts.push_back(static_cast<unsigned>(std::atoi(argv[i])));
  if (counts.empty()) counts = {2, 3, 4, 8};
  auto opened = capture::PacketSource::open_file(argv[1], "");
  if (!opened) {
    std::fprintf(stderr, "wiretop_shard_skew: %s\n", opened.error().c_str());
    return 2;
  }
  const auto link = engine::link_type_for_dlt((*opened)->datalink());
  if (!link) return 2;
  std::vector<std::vector<std::uint64_t>> packets, flows;
  for (unsigned n : counts) {
    packets.emplace_back(n, 0);
    flows.emplace_back(n, 0);
  }
  std::unordered_set<std::uint64_t> seen;
  capture::Packet pkt;
  proto::DecodedPacket p;
  while ((*opened)->next(pkt) == capture::NextStatus::Packet) {
    const proto::DecodeError err = proto::decode_packet(*link, pkt.bytes(), p);
    const bool first = err == proto::DecodeError::None && !p.src.empty() && seen.insert(flow_hash(p)).second;
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const engine::ShardRoute r = engine::route_packet(p, err, counts[i]);
      ++packets[i][r.shard];
      if (first) ++flows[i][r.shard];
    }
  }
  std::printf("%s: %zu flows\n", argv[1], seen.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    std::printf("%u shards\n", counts[i]);
    report("packets", packets[i]);
    report("flows", flows[i]);
  }
  return 0;
}
