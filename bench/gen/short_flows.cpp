// A port scan against a large network, as a capture: 64 scanners probe random
// addresses of 10.0.0.0/8 (and 10% of the time 2001:db8::/32) on random ports.
// Each probe is one flow of one of three shapes, the ones a SYN scan leaves:
//   40%  SYN, no answer (filtered)                      1 packet
//   35%  SYN, RST+ACK (closed port)                     2 packets
//   25%  SYN, SYN+ACK, RST from the scanner (open port) 3 packets
// Deterministic: the same configuration gives the same bytes.
#include "gen/short_flows.h"

#include <algorithm>
#include <vector>

#include "gen/rng.h"
#include "proto/decoded_packet.h"
#include "support/packet_builder.h"
#include "support/pcap_file.h"

namespace wiretop::bench {
namespace {

constexpr std::int64_t kCaptureStartUs = 1'715'679'000'000'000;  // as the replay file
constexpr int kScanners = 64;

struct Probe {
  std::int64_t ts_us;
  std::uint32_t flow;
  std::uint8_t step;  // 0 SYN, 1 answer, 2 scanner's RST
};

struct FlowShape {
  bool ipv6;
  std::uint8_t packets;
  std::uint32_t scanner, target;
  std::uint16_t sport, dport;
  std::int32_t rtt_us;
};

FlowShape shape_of(std::uint64_t seed, std::uint32_t i) {
  Rng rng(mix_seed(seed, i));
  FlowShape f{};
  f.ipv6 = rng.chance(0.1);
  const double shape = rng.unit();
  f.packets = shape < 0.40 ? 1 : shape < 0.75 ? 2 : 3;
  f.scanner = static_cast<std::uint32_t>(rng.between(0, kScanners - 1));
  f.target = static_cast<std::uint32_t>(rng.next() & 0xFFFFFF);
  f.sport = static_cast<std::uint16_t>(rng.between(32768, 60999));
  f.dport = static_cast<std::uint16_t>(rng.between(1, 65535));
  f.rtt_us = static_cast<std::int32_t>(rng.log_uniform(200, 50'000));
  return f;
}

std::string v4(std::uint32_t host24, std::uint8_t net) {
  return std::to_string(net) + "." + std::to_string(host24 >> 16 & 255) + "." +
         std::to_string(host24 >> 8 & 255) + "." + std::to_string(host24 & 255);
}

std::string v6(std::uint32_t host24, bool scanner) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "2001:db8:%x::%x:%x", scanner ? 0xffffu : 1u, host24 >> 16, host24 & 0xFFFF);
  return buf;
}

testing::Frame frame_of(const FlowShape& f, std::uint32_t i, std::uint8_t step) {
  namespace flag = proto::tcp_flag;
  const std::string scanner = f.ipv6 ? v6(f.scanner, true) : v4(f.scanner, 198) ;
  const std::string target = f.ipv6 ? v6(f.target, false) : v4(f.target, 10);
  const std::uint32_t iss = i * 2654435761u, irs = ~iss;
  const bool from_scanner = step != 1;
  testing::PacketBuilder b;
  b.ethernet(from_scanner ? testing::kMacA : testing::kMacB, from_scanner ? testing::kMacB : testing::kMacA);
  if (f.ipv6) b.ipv6(from_scanner ? scanner : target, from_scanner ? target : scanner);
  else b.ipv4(from_scanner ? scanner : target, from_scanner ? target : scanner);
  if (step == 0) b.tcp(f.sport, f.dport, flag::kSyn, iss);
  else if (step == 2) b.tcp(f.sport, f.dport, flag::kRst, iss + 1);
  else if (f.packets == 2) b.tcp(f.dport, f.sport, flag::kRst | flag::kAck, 0, iss + 1);
  else b.tcp(f.dport, f.sport, flag::kSyn | flag::kAck, irs, iss + 1);
  return b.build();
}

}  // namespace

bool write_short_flows(const std::string& out, const ShortFlowsConfig& config, ShortFlowsSummary& sum) {
  std::vector<FlowShape> flows;
  std::vector<Probe> probes;
  flows.reserve(config.flows);
  probes.reserve(config.flows * 2);
  const double gap_us = config.duration_s * 1e6 / static_cast<double>(config.flows);
  for (std::uint32_t i = 0; i < config.flows; ++i) {
    const FlowShape f = shape_of(config.seed, i);
    const auto start = static_cast<std::int64_t>(gap_us * i);
    for (std::uint8_t step = 0; step < f.packets; ++step)
      probes.push_back(Probe{start + step * f.rtt_us, i, step});
    flows.push_back(f);
    ++sum.flows;
    sum.syn_only += f.packets == 1;
    sum.refused += f.packets == 2;
    sum.half_open += f.packets == 3;
    sum.ipv6 += f.ipv6;
  }
  std::stable_sort(probes.begin(), probes.end(),
                   [](const Probe& a, const Probe& b) { return a.ts_us < b.ts_us; });
  testing::PcapWriter writer(out, testing::kLinkEthernet);
  if (!writer.ok()) return false;
  std::int64_t last = 0;
  for (const Probe& p : probes) {
    const std::int64_t ts = std::max(kCaptureStartUs + p.ts_us, last + 1);  // strictly increasing
    last = ts;
    const testing::Frame frame = frame_of(flows[p.flow], p.flow, p.step);
    writer.write(ts, frame);
    ++sum.packets;
    sum.bytes += frame.size();
  }
  writer.close();
  return true;
}

}  // namespace wiretop::bench
