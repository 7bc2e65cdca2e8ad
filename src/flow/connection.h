#pragma once
// One connection record: fixed size, no heap, everything the views and the
// JSON contract report about a flow.

#include <array>
#include <cstdint>
#include <string_view>

#include "core/timestamp.h"
#include "flow/key.h"

namespace wiretop::flow {

enum class State : std::uint8_t {
  New,          // non-TCP, one direction seen so far
  Active,       // non-TCP, both directions seen
  SynSent,
  SynReceived,
  Established,
  FinWait,      // the client closed first
  CloseWait,    // the server closed first
  Closing,      // both sides sent FIN, the last one not yet acknowledged
  TimeWait,     // both FINs acknowledged
  Closed,
  Reset,
};
std::string_view state_name(State s);

enum class EndReason : std::uint8_t { None, Closed, Reset, Timeout, Evicted, EndOfInput, Shutdown };
std::string_view end_reason_name(EndReason r);

// Directions index per-direction counters: client to server, server to client.
inline constexpr int kC2S = 0;
inline constexpr int kS2C = 1;

// Per-direction TCP sequence tracking (RFC 793 sequence space, wrap-aware).
struct SeqTrack {
  std::uint32_t next = 0;          // highest sequence end seen
  std::uint32_t last_ack = 0;
  std::uint32_t hole_start = 0, hole_end = 0;  // the newest gap ahead of which data arrived
  std::uint32_t fin_seq = 0;       // sequence number of this side's FIN
  std::uint32_t hole_usec32 = 0;   // when the gap opened: low 32 bits of the µs clock (wraps in 71 min)
  std::uint16_t last_window = 0;
  bool started : 1 = false;
  bool fin_sent : 1 = false;
  bool has_hole : 1 = false;
  bool has_ack : 1 = false;
};

// TCP-only state: both directions' sequence tracking and the handshake.
struct TcpTrack {
  std::array<SeqTrack, 2> seq{};
  std::uint32_t syn_seq = 0;       // the client's initial sequence number
  // When the SYN was seen: the low 32 bits of the µs clock. A difference of two
  // such stamps is exact below 35 minutes, far beyond the handshake timeout.
  std::uint32_t syn_usec32 = 0;
};

// ICMP echo-only state: the pending request and the running sum of round
// trips (their mean is Connection::rtt_usec). Trivially constructible: it
// shares storage with TcpTrack and is started by Tracker::start_record.
struct EchoTrack {
  std::int64_t rtt_sum_usec;
  std::uint32_t request_usec32;    // when the pending request was seen (as syn_usec32)
  std::uint32_t samples;
  std::uint16_t pending_seq;       // sequence number of the request awaiting its reply
  bool pending;
};

// The flow table holds one of these per tracked flow, so at a million flows
// every byte here is a megabyte: booleans are bits, the state only TCP or only
// ICMP echo needs shares storage (a record is never both), and the rate window
// only views show lives beside the record (FlowTable::rate).
struct Connection {
  FlowKey key;
  std::uint64_t id = 0;            // unique per run; stable handle for views
  core::Timestamp first_seen, last_seen;

  std::array<std::uint64_t, 2> packets{};
  std::array<std::uint64_t, 2> bytes{};        // IP header + payload
  std::array<std::uint64_t, 2> frame_bytes{};  // pcap original length
  std::array<std::uint32_t, 2> retransmits{};
  std::array<std::uint32_t, 2> out_of_order{};
  std::array<std::uint32_t, 2> dup_acks{};
  std::uint32_t fragments = 0;
  std::uint32_t icmp_errors = 0;

  // TCP records (ip_proto 6) use `tcp`, the others `echo` (ICMP echo round trips).
  union {
    TcpTrack tcp{};
    EchoTrack echo;
  };

  // Intrusive links for the per-timeout-class idle lists (indices into the table),
  // and the packet-clock second the record last moved to its list's tail.
  std::uint32_t lru_prev = 0, lru_next = 0;
  std::uint32_t lru_second = 0;

  // Opaque handle owned by the layer above (the engine's DPI state); 0 = none.
  std::uint32_t app_slot = 0;

  // RTT: TCP handshake (SYN to the client's ACK of the SYN-ACK), or mean ICMP
  // echo RTT; -1 = none. 32 bits: a sample is a difference of 32-bit stamps.
  std::int32_t rtt_usec = -1;

  std::uint16_t vlan = 0;
  State state = State::New;
  std::uint8_t timeout_class = 0;
  std::uint8_t icmp_code = 0;
  bool has_vlan : 1 = false;
  bool client_is_a : 1 = true;     // which key endpoint is the client
  bool client_local : 1 = false;
  bool server_local : 1 = false;
  bool locality_known : 1 = false; // live capture: the host's own addresses were known
  bool syn_marked : 1 = false;     // tcp.syn_usec32 holds a SYN's time
  bool syn_ack_seen : 1 = false;   // and the SYN-ACK after it was seen
  bool has_syn_seq : 1 = false;    // tcp.syn_seq is set

  const core::IpAddress& client_ip() const { return client_is_a ? key.a : key.b; }
  const core::IpAddress& server_ip() const { return client_is_a ? key.b : key.a; }
  std::uint16_t client_port() const { return client_is_a ? key.port_a : key.port_b; }
  std::uint16_t server_port() const { return client_is_a ? key.port_b : key.port_a; }
  // Direction index (kC2S / kS2C) of a packet whose sender is key endpoint "a" or not.
  int direction(bool sender_is_a) const { return sender_is_a == client_is_a ? kC2S : kS2C; }
};
static_assert(sizeof(Connection) <= 256, "Connection grew: see the note above it");

}  // namespace wiretop::flow
