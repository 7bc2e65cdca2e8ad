#include "flow/tracker.h"

#include "core/hash.h"
#include "flow/tcp_tracker.h"

namespace wiretop::flow {
namespace {

constexpr std::uint8_t kProtoTcp = 6;
constexpr std::uint8_t kProtoIcmp = 1;
constexpr std::uint8_t kProtoIcmpV6 = 58;

bool is_dns_port(std::uint16_t port) { return port == 53 || port == 5353 || port == 5355; }

bool is_service_port(const std::bitset<65536>* services, std::uint16_t port) {
  if (services != nullptr) return services->test(port);
  return port < 1024;
}

// Which side of a port pair is the client: the side not on a service port;
// the higher port when both or neither are.
bool sender_is_client_by_ports(const std::bitset<65536>* services, std::uint16_t sport,
                               std::uint16_t dport) {
  const bool s_svc = is_service_port(services, sport), d_svc = is_service_port(services, dport);
  if (s_svc != d_svc) return d_svc;
  if (sport == dport) return true;
  return dport < sport;
}

}  // namespace

Tracker::Tracker(TrackerConfig config, EndSink on_end)
    : config_(std::move(config)),
      on_end_(std::move(on_end)),
      table_(config_.max_flows, config_.hash_seed, config_.track_rates),
      next_id_(config_.first_id),
      fragments_(kFragmentSlots) {}

bool Tracker::is_local(const core::IpAddress& a) const {
  for (const auto& l : config_.local_addresses)
    if (l == a) return true;
  return false;
}

void Tracker::start_record(Connection& c, const KeyedPacket& kp, const proto::DecodedPacket& p) {
  using namespace proto::tcp_flag;
  bool sender_is_client = true;  // default: the first sender
  if (p.dst.is_multicast() || p.dst.is_broadcast()) {
    sender_is_client = true;
  } else if (p.ip_proto == kProtoTcp && p.has_ports) {
    const std::uint8_t syn_ack = p.tcp_flags & (kSyn | kAck);
    if (syn_ack == kSyn) sender_is_client = true;
    else if (syn_ack == (kSyn | kAck)) sender_is_client = false;
    else sender_is_client = sender_is_client_by_ports(config_.tcp_service_ports, p.src_port, p.dst_port);
  } else if (p.has_ports) {
    if (p.src_port == 68 && p.dst_port == 67) sender_is_client = true;  // DHCP
    else if (p.src_port == 67 && p.dst_port == 68) sender_is_client = false;
    else sender_is_client = sender_is_client_by_ports(config_.udp_service_ports, p.src_port, p.dst_port);
  } else if (p.icmp_is_echo) {
    sender_is_client = p.icmp_type == 8 || p.icmp_type == 128;  // a request
  }
  c.client_is_a = sender_is_client == kp.sender_is_a;
  if (kp.key.ip_proto != kProtoTcp) c.echo = EchoTrack{};  // its part of the union
  c.id = next_id_;
  next_id_ += config_.id_stride;
  c.has_vlan = p.has_vlan;
  c.vlan = p.vlan;
  c.icmp_code = p.icmp_code;
  c.state = State::New;
  if (!config_.local_addresses.empty()) {
    c.locality_known = true;
    c.client_local = is_local(c.client_ip());
    c.server_local = is_local(c.server_ip());
  }
}

std::uint32_t Tracker::lookup_or_create(const KeyedPacket& kp, const proto::DecodedPacket& p,
                                        std::uint64_t hash) {
  std::uint32_t idx = table_.find(kp.key, hash);
  if (idx != FlowTable::kNil && p.ip_proto == kProtoTcp && p.has_ports &&
      starts_new_tcp_connection(table_.at(idx), p)) {
    const State s = table_.at(idx).state;
    end_record(idx, s == State::Reset ? EndReason::Reset
                    : (s == State::TimeWait || s == State::Closed) ? EndReason::Closed
                                                                   : EndReason::Timeout);
    idx = FlowTable::kNil;
  }
  if (idx != FlowTable::kNil) return idx;
  if (table_.size() >= table_.capacity()) {
    const std::uint32_t victim = stalest();
    if (victim != FlowTable::kNil) {
      ++stats_.evictions;
      end_record(victim, EndReason::Evicted);
    }
  }
  idx = table_.insert(kp.key, hash, kOther);
  Connection& c = table_.at(idx);
  c.lru_second = static_cast<std::uint32_t>(now_.usec / 1'000'000);
  // The record starts at the clock, and so does its last packet: live capture
  // (TPACKET_V3 blocks filled on several CPUs) can hand over a packet stamped a
  // little before one already seen, which otherwise ended a connection before
  // it began (a negative duration in test_netns).
  c.first_seen = now_;
  c.last_seen = now_;
  start_record(c, kp, p);
  return idx;
}

Tracker::Touched Tracker::process(const proto::DecodedPacket& p, core::Timestamp ts,
                                  std::uint32_t frame_len) {
  Touched touched;
  if (ts > now_) now_ = ts;
  if (p.has_neighbor && neighbors_.learn(p.neighbor_ip, p.neighbor_mac)) ++stats_.neighbor_updates;
  if (p.l3 != proto::L3::Ipv4 && p.l3 != proto::L3::Ipv6) return touched;

  if (p.is_fragment && !p.first_fragment) {
    account_fragment(p, ts);
  } else {
    const KeyedPacket kp = key_for_packet(p);
    const std::uint32_t idx = lookup_or_create(kp, p, table_.hash(kp.key));
    Connection& c = table_.at(idx);
    const int dir = c.direction(kp.sender_is_a);
    const auto d = static_cast<std::size_t>(dir);
    ++c.packets[d];
    c.bytes[d] += p.ip_length;
    c.frame_bytes[d] += frame_len;
    if (ts > c.last_seen) c.last_seen = ts;
    if (RateWindow* rate = table_.rate(idx)) rate->add(ts.usec, dir, frame_len);

    if (p.ip_proto == kProtoTcp && p.has_transport) {
      track_tcp_segment(c, dir, p, ts.usec);
    } else if (c.packets[kC2S] != 0 && c.packets[kS2C] != 0) {
      c.state = State::Active;
    }
    if (p.icmp_is_echo) account_echo(c, dir, p, ts.usec);
    if (p.icmp_is_error && p.quoted.present) account_quoted_error(p);
    if (p.is_fragment) remember_first_fragment(p, idx);
    touch(idx, timeout_class_of(c));
    mark_changed(idx);
    touched = Touched{&c, dir};
  }
  if (now_.usec - last_expire_usec_ >= kExpireEveryUsec) expire();
  return touched;
}

const RateWindow* Tracker::rate_of(const Connection& c) const {
  if (!config_.track_rates) return nullptr;
  const std::uint32_t idx = table_.find(c.key, table_.hash(c.key));
  return idx == FlowTable::kNil ? nullptr : table_.rate(idx);
}

void Tracker::process_quoted_error(const proto::DecodedPacket& p, core::Timestamp ts) {
  if (ts > now_) now_ = ts;
  if (p.icmp_is_error && p.quoted.present) account_quoted_error(p);
}

void Tracker::account_quoted_error(const proto::DecodedPacket& p) {
  const KeyedPacket kq = key_for_quoted(p.quoted);
  const std::uint32_t idx = table_.find(kq.key, table_.hash(kq.key));
  if (idx == FlowTable::kNil) return;
  ++table_.at(idx).icmp_errors;
  mark_changed(idx);
}

void Tracker::account_echo(Connection& c, int dir, const proto::DecodedPacket& p,
                           std::int64_t usec) {
  EchoTrack& e = c.echo;
  const bool request = p.icmp_type == 8 || p.icmp_type == 128;
  if (request && dir == kC2S) {
    e.pending = true;
    e.pending_seq = p.icmp_seq;
    e.request_usec32 = static_cast<std::uint32_t>(usec);
  } else if (!request && dir == kS2C && e.pending && p.icmp_seq == e.pending_seq) {
    e.pending = false;
    e.rtt_sum_usec += static_cast<std::int32_t>(static_cast<std::uint32_t>(usec) - e.request_usec32);
    ++e.samples;
    c.rtt_usec = static_cast<std::int32_t>(e.rtt_sum_usec / e.samples);
  }
}

static std::size_t fragment_slot(const core::IpAddress& src, const core::IpAddress& dst,
                                 std::uint32_t id, std::uint8_t proto) {
  std::uint8_t buf[16 + 16 + 4 + 1];
  std::size_t n = 0;
  for (auto b : src.bytes()) buf[n++] = b;
  for (auto b : dst.bytes()) buf[n++] = b;
  for (int i = 0; i < 4; ++i) buf[n++] = static_cast<std::uint8_t>(id >> (8 * i));
  buf[n++] = proto;
  return core::hash_bytes(buf, n, 0xf00d) % 4096;
}

void Tracker::remember_first_fragment(const proto::DecodedPacket& p, std::uint32_t index) {
  FragmentEntry& e = fragments_[fragment_slot(p.src, p.dst, p.frag_id, p.ip_proto)];
  if (e.index != FlowTable::kNil && !(e.src == p.src && e.dst == p.dst && e.frag_id == p.frag_id))
    ++stats_.fragment_table_overwrites;
  e = FragmentEntry{p.src, p.dst, p.frag_id, p.ip_proto, index, table_.at(index).id};
}

void Tracker::account_fragment(const proto::DecodedPacket& p, core::Timestamp ts) {
  const FragmentEntry& e = fragments_[fragment_slot(p.src, p.dst, p.frag_id, p.ip_proto)];
  const bool match = e.index != FlowTable::kNil && e.src == p.src && e.dst == p.dst &&
                     e.frag_id == p.frag_id && e.ip_proto == p.ip_proto &&
                     table_.at(e.index).id == e.flow_id;
  if (!match) {
    ++stats_.unmatched_fragments;
    return;
  }
  Connection& c = table_.at(e.index);
  ++c.fragments;
  if (ts > c.last_seen) c.last_seen = ts;
  touch(e.index, c.timeout_class);
  mark_changed(e.index);
}

// Moving a record to its list's tail writes to its two neighbours, two cache
// misses per packet in a large table. So a record moves at most once per
// packet-clock second (or when its class changes); expire() re-files records
// whose last_seen ran ahead of their place, which keeps expiry exact.
void Tracker::touch(std::uint32_t index, std::uint8_t cls) {
  Connection& c = table_.at(index);
  const auto second = static_cast<std::uint32_t>(now_.usec / 1'000'000);
  if (cls == c.timeout_class && second == c.lru_second) return;
  c.lru_second = second;
  table_.touch(index, cls);
}

std::uint8_t Tracker::timeout_class_of(const Connection& c) const {
  const std::uint8_t proto = c.key.ip_proto;
  if (proto == kProtoTcp && c.key.kind == KeyKind::Ports) {
    switch (c.state) {
      case State::Established: return kTcpEstablished;
      case State::FinWait:
      case State::CloseWait:
      case State::Closing: return kTcpHalfClosed;
      case State::TimeWait:
      case State::Closed:
      case State::Reset: return kTcpClosed;
      default: return kTcpHandshake;
    }
  }
  if (c.key.kind == KeyKind::Ports)
    return is_dns_port(c.key.port_a) || is_dns_port(c.key.port_b) ? kDns : kUdp;
  if (proto == kProtoIcmp || proto == kProtoIcmpV6) return kIcmp;
  return kOther;
}

core::Duration Tracker::timeout_of(std::uint8_t cls) const {
  const TimeoutPolicy& t = config_.timeouts;
  switch (cls) {
    case kTcpHandshake: return t.tcp_handshake;
    case kTcpEstablished: return t.tcp_established;
    case kTcpHalfClosed: return t.tcp_half_closed;
    case kTcpClosed: return t.tcp_closed;
    case kUdp: return t.udp;
    case kDns: return t.dns;
    case kIcmp: return t.icmp;
    default: return t.other;
  }
}

void Tracker::end_record(std::uint32_t index, EndReason reason) {
  Connection& c = table_.at(index);
  if (reason == EndReason::Closed && c.state == State::TimeWait) c.state = State::Closed;
  on_end_(c, reason);
  table_.erase(index);
}

void Tracker::expire() {
  last_expire_usec_ = now_.usec;
  for (std::uint8_t cls = 0; cls < kClassCount; ++cls) {
    const core::Duration limit = timeout_of(cls);
    for (std::uint32_t i = table_.oldest(cls); i != FlowTable::kNil; i = table_.oldest(cls)) {
      Connection& c = table_.at(i);
      if (now_ - c.last_seen < limit) {
        const auto seen_second = static_cast<std::uint32_t>(c.last_seen.usec / 1'000'000);
        if (seen_second <= c.lru_second) break;  // in its place: every later record is newer
        touch(i, cls);  // seen since it was filed: re-file at the tail
        continue;
      }
      EndReason reason = EndReason::Timeout;
      if (cls == kTcpClosed) reason = c.state == State::Reset ? EndReason::Reset : EndReason::Closed;
      end_record(i, reason);
    }
  }
}

// The least recently seen record, to the second: heads seen since they were
// filed are re-filed first (bounded, so a hostile pattern cannot stall us).
std::uint32_t Tracker::stalest() {
  for (int attempts = 0; attempts < 64; ++attempts) {
    const std::uint32_t i = table_.stalest();
    if (i == FlowTable::kNil) return i;
    Connection& c = table_.at(i);
    if (static_cast<std::uint32_t>(c.last_seen.usec / 1'000'000) <= c.lru_second) return i;
    touch(i, c.timeout_class);
  }
  return table_.stalest();
}

void Tracker::advance(core::Timestamp now) {
  if (now > now_) now_ = now;
  expire();
}

void Tracker::flush(EndReason reason) {
  for (std::uint32_t i = table_.stalest(); i != FlowTable::kNil; i = table_.stalest()) {
    const Connection& c = table_.at(i);
    EndReason r = reason;
    if (c.timeout_class == kTcpClosed) r = c.state == State::Reset ? EndReason::Reset : EndReason::Closed;
    end_record(i, r);
  }
}

}  // namespace wiretop::flow
