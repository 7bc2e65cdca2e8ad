#pragma once
// TCP per-connection logic: the state machine as seen from the wire, the
// handshake RTT, and retransmission / out-of-order / duplicate-ACK counting.

#include <cstdint>

#include "flow/connection.h"
#include "proto/decoded_packet.h"

namespace wiretop::flow {

// Updates state, RTT and sequence counters for one TCP segment travelling in
// direction `dir` (kC2S or kS2C).
void track_tcp_segment(Connection& c, int dir, const proto::DecodedPacket& p, std::int64_t usec);

// True when a segment on an existing record starts a new connection that
// reuses the 5-tuple: a bare SYN after the old one closed or reset, or a bare
// SYN with a different initial sequence number once past the handshake.
bool starts_new_tcp_connection(const Connection& c, const proto::DecodedPacket& p);

}  // namespace wiretop::flow
