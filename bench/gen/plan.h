#pragma once
// The flows of a generated capture, decided up front: who talks to whom, when, over
// what, and how much. Sizes are planned in packets so the capture reaches the
// requested packet count with the requested number of flows.

#include <cstdint>
#include <string>
#include <vector>

#include "gen/names.h"
#include "gen/network.h"

namespace wiretop::bench {

enum class FlowKind : std::uint8_t { Tls, Http, Quic, Dns };
enum class Ending : std::uint8_t { ClientFin, ServerFin, ClientRst, Open };

struct FlowPlan {
  FlowKind kind = FlowKind::Tls;
  Ending ending = Ending::Open;
  bool ipv6 = false;
  std::uint32_t client = 0;
  std::uint32_t name = 0;  // index into the NameCatalogue
  std::uint16_t client_port = 0, server_port = 0;
  std::string client_ip, server_ip;
  std::int64_t start_us = 0;  // from the start of the capture
  std::uint32_t rtt_us = 0;
  std::uint32_t bandwidth_kbps = 0;  // bottleneck rate: spacing of back-to-back segments
  std::uint64_t seed = 0;            // everything else about the flow derives from this
  // Server packets answering each request round (TCP segments or QUIC 1-RTT packets).
  std::vector<std::uint32_t> response_packets;
};

struct PlanConfig {
  std::uint64_t packets = 1'000'000;
  std::uint64_t flows = 60'000;
  double duration_s = 180;
  std::uint64_t seed = 0x77697265746f70ULL;  // "wiretop"
};

// Flows sorted by start time whose packet counts sum to at least cfg.packets.
std::vector<FlowPlan> plan_flows(const PlanConfig& cfg, const NameCatalogue& names,
                                 Network& network);

// TCP payload per full-size segment: MSS less the 12-byte timestamps option.
std::uint32_t tcp_segment_payload(const FlowPlan& f);
// The packets this flow's schedule produces (see schedule.h), exactly.
std::uint64_t packet_count(const FlowPlan& f);
// Packets a response of `segments` server packets costs, with one ACK per two segments.
constexpr std::uint64_t transfer_packets(std::uint64_t segments) {
  return segments + (segments + 1) / 2;
}

}  // namespace wiretop::bench
