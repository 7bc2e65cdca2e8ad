#pragma once
// Turns a FlowPlan into timed packet events: TCP handshakes, requests, responses sent
// in slow-start bursts with delayed ACKs, closes; QUIC and DNS exchanges. An event holds
// what the writer needs to build the frame later, not the frame itself.

#include <cstdint>
#include <vector>

#include "gen/names.h"
#include "gen/plan.h"

namespace wiretop::bench {

// TCP header flags (RFC 9293 3.1).
namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;
}

enum class Content : std::uint8_t {
  None,  // SYN, pure ACK, FIN, RST
  TlsClientHello,
  TlsServerFlight,
  TlsClientRequest,
  HttpRequest,
  Response,  // a slice [offset, offset + length) of a `total`-byte server response
  DnsQuery,
  DnsAnswer,
  QuicClientInitial,
  QuicServerInitial,
  QuicShort,
};

struct Event {
  std::int64_t ts_us = 0;  // from the start of the capture
  std::uint32_t flow = 0;
  std::uint32_t index = 0;  // order of creation within the flow
  std::uint32_t seq = 0, ack = 0;
  std::uint32_t offset = 0, length = 0, total = 0;
  std::uint16_t round = 0;
  std::uint8_t tcp_flags = 0;
  Content content = Content::None;
  bool from_client = true;
};

// Appends the events of `flow` (index `flow_id` in the plan) to `out`.
void schedule_flow(const FlowPlan& flow, std::uint32_t flow_id, const NameCatalogue& names,
                   std::vector<Event>& out);

// Sort order of the capture: time, then flow and creation order for equal times.
inline bool event_before(const Event& a, const Event& b) {
  if (a.ts_us != b.ts_us) return a.ts_us < b.ts_us;
  if (a.flow != b.flow) return a.flow < b.flow;
  return a.index < b.index;
}

}  // namespace wiretop::bench
