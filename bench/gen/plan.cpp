#include "gen/plan.h"

#include <algorithm>
#include <cmath>

#include "gen/payloads.h"

namespace wiretop::bench {
namespace {

// Share of flows by kind. DNS lookups precede other flows; the rest is web traffic,
// mostly TLS over TCP, a good part QUIC, a little plain HTTP.
constexpr double kDnsShare = 0.22;
constexpr double kQuicShare = 0.12;
constexpr double kHttpShare = 0.07;
constexpr double kIpv6ShareOfDualStack = 0.34;  // x 60% dual-stack hosts = ~20% of flows
// Flow sizes are heavy-tailed (Crovella & Bestavros): Pareto with a shape just above 1.
constexpr double kSizeShape = 1.15;
constexpr double kMaxSizeWeight = 20000;

std::uint32_t rounds(Rng& rng, double more, std::uint32_t cap) {
  std::uint32_t n = 1;
  while (n < cap && rng.chance(more)) ++n;
  return n;
}

Ending pick_ending(Rng& rng) {
  const double u = rng.unit();
  if (u < 0.62) return Ending::ClientFin;
  if (u < 0.80) return Ending::ServerFin;
  if (u < 0.90) return Ending::ClientRst;
  return Ending::Open;
}

FlowKind pick_web_kind(Rng& rng) {
  const double web = 1.0 - kDnsShare;
  const double u = rng.unit() * web;
  if (u < kQuicShare) return FlowKind::Quic;
  if (u < kQuicShare + kHttpShare) return FlowKind::Http;
  return FlowKind::Tls;
}

FlowPlan plan_web_flow(Rng& rng, const PlanConfig& cfg, const NameCatalogue& names,
                       const Network& network) {
  FlowPlan f;
  f.kind = pick_web_kind(rng);
  f.seed = rng.next();
  f.client = network.pick_client(rng);
  const Client& c = network.client(f.client);
  f.ipv6 = !c.v6.empty() && rng.chance(kIpv6ShareOfDualStack);
  f.client_ip = f.ipv6 ? c.v6 : c.v4;
  f.name = f.kind == FlowKind::Http ? names.pick_plain_http(rng) : names.pick(rng);
  const std::string& host = names.name(f.name);
  f.server_ip = f.ipv6 ? server_ipv6_text(host) : server_ipv4_text(host);
  // Leave room before the first flow for the DNS lookup that precedes it.
  f.start_us = static_cast<std::int64_t>((0.05 + rng.unit() * (cfg.duration_s * 0.97)) * 1e6);
  f.rtt_us = static_cast<std::uint32_t>(rng.log_uniform(1'000, 100'000));
  f.bandwidth_kbps = static_cast<std::uint32_t>(rng.log_uniform(5'000, 500'000));
  switch (f.kind) {
    case FlowKind::Tls:
      f.server_port = rng.chance(0.02) ? 8443 : 443;
      f.ending = pick_ending(rng);
      f.response_packets.assign(rounds(rng, 0.5, 8), 1);
      break;
    case FlowKind::Http:
      f.server_port = rng.chance(0.05) ? 8080 : 80;
      f.ending = pick_ending(rng);
      f.response_packets.assign(rounds(rng, 0.35, 4), 1);
      break;
    case FlowKind::Quic:
      f.server_port = 443;
      f.response_packets.assign(rounds(rng, 0.5, 6), 1);
      break;
    case FlowKind::Dns:
      break;
  }
  return f;
}

// The lookup a client makes just before connecting to `web`.
FlowPlan plan_dns_flow(Rng& rng, const FlowPlan& web, const Network& network) {
  FlowPlan f;
  f.kind = FlowKind::Dns;
  f.seed = rng.next();
  f.client = web.client;
  f.ipv6 = web.ipv6;
  f.client_ip = web.client_ip;
  f.name = web.name;
  const Client& c = network.client(f.client);
  f.server_ip = f.ipv6 ? c.resolver_v6 : c.resolver_v4;
  f.server_port = 53;
  const bool local_resolver = f.server_ip.find("1.1.1.1") == std::string::npos &&
                              f.server_ip.find("2606:") == std::string::npos;
  f.rtt_us = static_cast<std::uint32_t>(local_resolver ? rng.log_uniform(300, 4'000)
                                                       : rng.log_uniform(4'000, 40'000));
  f.start_us = web.start_us - f.rtt_us - rng.between(100, 2'000);
  return f;
}

// Gives the packets left over after every flow's minimum to the web flows, in
// heavy-tailed shares, then tops up one segment at a time to reach the target exactly.
void size_flows(Rng& rng, std::vector<FlowPlan>& flows, std::uint64_t target) {
  std::uint64_t total = 0;
  for (const auto& f : flows) total += packet_count(f);
  if (total >= target) return;
  std::vector<std::size_t> web;
  std::vector<double> weight;
  double weight_sum = 0;
  for (std::size_t i = 0; i < flows.size(); ++i) {
    if (flows[i].kind == FlowKind::Dns) continue;
    web.push_back(i);
    weight.push_back(std::min(rng.pareto(kSizeShape), kMaxSizeWeight));
    weight_sum += weight.back();
  }
  if (web.empty()) return;
  const double extra = static_cast<double>(target - total);
  for (std::size_t k = 0; k < web.size(); ++k) {
    FlowPlan& f = flows[web[k]];
    // Two segments cost three packets (one ACK per two segments).
    const auto segments = static_cast<std::uint64_t>(extra * weight[k] / weight_sum * 2.0 / 3.0);
    // One response per flow is usually the big one (the video, the bundle); the rest are small.
    const std::size_t big = static_cast<std::size_t>(rng.between(0, f.response_packets.size() - 1));
    std::uint64_t left = segments;
    for (std::size_t r = 0; r < f.response_packets.size() && left > 0; ++r) {
      if (r == big) continue;
      const auto share = static_cast<std::uint64_t>(static_cast<double>(left) * rng.unit() * 0.2);
      f.response_packets[r] += static_cast<std::uint32_t>(share);
      left -= share;
    }
    f.response_packets[big] += static_cast<std::uint32_t>(left);
  }
  total = 0;
  for (const auto& f : flows) total += packet_count(f);
  while (total < target) {
    FlowPlan& f = flows[web[static_cast<std::size_t>(rng.between(0, web.size() - 1))]];
    std::uint32_t& s = f.response_packets.back();
    total += transfer_packets(s + 1) - transfer_packets(s);
    ++s;
  }
}

}  // namespace

std::uint32_t tcp_segment_payload(const FlowPlan& f) {
  // 1500-byte MTU less IP header, 20-byte TCP header and the 12-byte timestamps option.
  return f.ipv6 ? 1500 - 40 - 32 : 1500 - 20 - 32;
}

std::uint64_t packet_count(const FlowPlan& f) {
  std::uint64_t n = 0;
  for (auto s : f.response_packets) n += 1 + transfer_packets(s);  // request + answer
  switch (f.kind) {
    case FlowKind::Dns:
      return 2;
    case FlowKind::Quic:
      return 2 + n;  // the two Initials, then 1-RTT rounds
    case FlowKind::Tls: {
      const std::uint64_t flight = tls_server_flight(f).size();
      const std::uint64_t mss = tcp_segment_payload(f);
      n += 1 + transfer_packets((flight + mss - 1) / mss);  // ClientHello, server flight
      break;
    }
    case FlowKind::Http:
      break;
  }
  n += 3;  // three-way handshake
  switch (f.ending) {
    case Ending::ClientFin:
    case Ending::ServerFin:
      return n + 3;
    case Ending::ClientRst:
      return n + 1;
    case Ending::Open:
      return n;
  }
  return n;
}

std::vector<FlowPlan> plan_flows(const PlanConfig& cfg, const NameCatalogue& names,
                                 Network& network) {
  Rng rng(cfg.seed);
  const auto dns_count = static_cast<std::uint64_t>(static_cast<double>(cfg.flows) * kDnsShare);
  const std::uint64_t web_count = std::max<std::uint64_t>(1, cfg.flows - dns_count);
  std::vector<FlowPlan> flows;
  flows.reserve(cfg.flows);
  for (std::uint64_t i = 0; i < web_count; ++i) {
    flows.push_back(plan_web_flow(rng, cfg, names, network));
  }
  for (std::uint64_t i = 0; i < dns_count; ++i) {
    const auto& web = flows[static_cast<std::size_t>(rng.between(0, web_count - 1))];
    flows.push_back(plan_dns_flow(rng, web, network));
  }
  size_flows(rng, flows, cfg.packets);
  std::stable_sort(flows.begin(), flows.end(),
                   [](const FlowPlan& a, const FlowPlan& b) { return a.start_us < b.start_us; });
  // Ports are handed out in the order connections open, as a client's stack does.
  for (auto& f : flows) f.client_port = network.take_port(f.client);
  return flows;
}

}  // namespace wiretop::bench
