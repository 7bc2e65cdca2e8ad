#include "flow/tcp_tracker.h"

namespace wiretop::flow {
namespace {

using namespace proto::tcp_flag;

// Serial-number arithmetic (RFC 1982) for 32-bit sequence numbers.
bool seq_lt(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }
bool seq_le(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) <= 0; }

// A reordered segment counts as out-of-order (not a retransmission) when it
// fills a gap within this long of the gap opening: about one RTT, as
// Wireshark's tcp.analysis does; 3 ms when no RTT is known yet.
std::int64_t reorder_window_usec(const Connection& c) {
  return c.rtt_usec > 0 ? c.rtt_usec : 3000;
}

void update_state(Connection& c, int dir, std::uint8_t flags, const proto::DecodedPacket& p) {
  if (flags & kRst) {
    c.state = State::Reset;
    return;
  }
  const bool syn = flags & kSyn, ack = flags & kAck, fin = flags & kFin;
  auto& me = c.tcp.seq[static_cast<std::size_t>(dir)];
  auto& peer = c.tcp.seq[static_cast<std::size_t>(1 - dir)];
  switch (c.state) {
    case State::New:
      if (syn && !ack) {
        c.state = State::SynSent;
      } else if (syn && ack) {
        c.state = State::SynReceived;
      } else {
        c.state = State::Established;  // picked up mid-stream
      }
      break;
    case State::SynSent:
      if (syn && ack && dir == kS2C) c.state = State::SynReceived;
      else if (!syn && dir == kC2S && ack) c.state = State::Established;  // SYN-ACK not captured
      break;
    case State::SynReceived:
      if (!syn && ack && dir == kC2S) c.state = State::Established;
      else if (!syn && dir == kS2C && p.payload_wire_length > 0) c.state = State::Established;
      break;
    default:
      break;
  }
  if (fin && !me.fin_sent) {
    me.fin_sent = true;
    me.fin_seq = p.seq + p.payload_wire_length;
    if (!peer.fin_sent) {
      c.state = dir == kC2S ? State::FinWait : State::CloseWait;
    } else {
      c.state = State::Closing;
    }
    return;
  }
  // The second FIN is acknowledged: the connection is closed from the wire's view.
  if (c.state == State::Closing && ack && peer.fin_sent && me.fin_sent &&
      seq_lt(peer.fin_seq, p.ack)) {
    c.state = State::TimeWait;
  }
}

void update_rtt(Connection& c, int dir, std::uint8_t flags, const proto::DecodedPacket& p,
                std::int64_t usec) {
  const bool syn = flags & kSyn, ack = flags & kAck;
  // A clock reading of 0 counts as no mark (the stamps once were the marks).
  if (syn && !ack && dir == kC2S) {
    c.has_syn_seq = true;
    c.tcp.syn_seq = p.seq;
    if (!c.syn_ack_seen) {  // a retransmitted SYN restarts the clock
      c.tcp.syn_usec32 = static_cast<std::uint32_t>(usec);
      c.syn_marked = usec != 0;
    }
  } else if (syn && ack && dir == kS2C) {
    if (c.syn_marked && !c.syn_ack_seen) c.syn_ack_seen = usec != 0;
  } else if (!syn && ack && dir == kC2S && c.syn_ack_seen && c.rtt_usec < 0) {
    const auto& server = c.tcp.seq[kS2C];
    if (p.ack == server.next || server.next == 0)
      c.rtt_usec = static_cast<std::int32_t>(static_cast<std::uint32_t>(usec) - c.tcp.syn_usec32);
  }
}

void update_sequence(Connection& c, int dir, std::uint8_t flags, const proto::DecodedPacket& p,
                     std::int64_t usec) {
  auto& t = c.tcp.seq[static_cast<std::size_t>(dir)];
  const std::uint32_t seg_len =
      p.payload_wire_length + ((flags & kSyn) ? 1u : 0u) + ((flags & kFin) ? 1u : 0u);
  const std::uint32_t end = p.seq + seg_len;

  if (!t.started) {
    t.started = true;
    t.next = end;
  } else if (seg_len == 0) {
    // RFC 5681 section 2: a duplicate ACK carries no data, does not change the
    // window, and acknowledges the same sequence as the previous ACK.
    const bool pure_ack = (flags & (kSyn | kFin | kRst)) == 0 && (flags & kAck);
    if (pure_ack && t.has_ack && p.ack == t.last_ack && p.window == t.last_window &&
        c.tcp.seq[static_cast<std::size_t>(1 - dir)].started &&
        seq_lt(p.ack, c.tcp.seq[static_cast<std::size_t>(1 - dir)].next)) {
      ++c.dup_acks[static_cast<std::size_t>(dir)];
    }
  } else if (seq_lt(t.next, end)) {
    if (seq_lt(t.next, p.seq)) {
      // Data beyond what we saw: a gap opened (loss before the capture point, or reordering).
      t.has_hole = true;
      t.hole_start = t.next;
      t.hole_end = p.seq;
      t.hole_usec32 = static_cast<std::uint32_t>(usec);
    } else if (seq_lt(p.seq, t.next)) {
      ++c.retransmits[static_cast<std::size_t>(dir)];  // overlaps data already sent
    }
    t.next = end;
  } else {
    const bool keepalive = seg_len <= 1 && p.seq + 1 == t.next;
    if (!keepalive) {
      const bool fills_hole = t.has_hole && seq_le(t.hole_start, p.seq) &&
                              seq_le(end, t.hole_end) &&
                              static_cast<std::uint32_t>(usec) - t.hole_usec32 <=
                                  static_cast<std::uint32_t>(reorder_window_usec(c));
      if (fills_hole) {
        ++c.out_of_order[static_cast<std::size_t>(dir)];
      } else {
        ++c.retransmits[static_cast<std::size_t>(dir)];
      }
    }
  }
  if (flags & kAck) {
    t.has_ack = true;
    t.last_ack = p.ack;
    t.last_window = p.window;
  }
}

}  // namespace

void track_tcp_segment(Connection& c, int dir, const proto::DecodedPacket& p, std::int64_t usec) {
  const std::uint8_t flags = p.tcp_flags;
  update_rtt(c, dir, flags, p, usec);
  update_sequence(c, dir, flags, p, usec);
  update_state(c, dir, flags, p);
}

bool starts_new_tcp_connection(const Connection& c, const proto::DecodedPacket& p) {
  const bool bare_syn = (p.tcp_flags & (kSyn | kAck | kRst)) == kSyn;
  if (!bare_syn) return false;
  switch (c.state) {
    case State::TimeWait:
    case State::Closed:
    case State::Reset:
      return true;
    case State::SynSent:
    case State::New:
      return false;  // a retransmitted SYN
    default:
      // Past the handshake: the same SYN again is a retransmission, another
      // initial sequence number (or a SYN we never saw before) a new connection.
      return !c.has_syn_seq || p.seq != c.tcp.syn_seq;
  }
}

}  // namespace wiretop::flow
