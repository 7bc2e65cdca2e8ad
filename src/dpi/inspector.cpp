#include "dpi/inspector.h"

#include <algorithm>
#include <array>

namespace wiretop::dpi {

struct Inspector::Pending {
  std::uint32_t seq = 0;
  std::vector<std::uint8_t> data;
};

// One direction of a flow.
struct Inspector::Stream {
  bool started = false;     // TCP: `next` is valid
  bool closed = false;      // nothing more is fed this way (budget, or a gap that never filled)
  bool probe_failed = false;// TCP, unidentified: this direction's start matched no dissector
  std::uint32_t next = 0;   // TCP: sequence number of the next in-order byte
  std::uint32_t packets = 0;// payload packets seen
  std::vector<std::uint8_t> probe;   // TCP: the stream's start, kept while unidentified
  std::vector<Pending> pending;      // TCP: out-of-order segments ahead of `next`, by seq
  std::uint32_t pending_bytes = 0;
};

struct Inspector::Flow {
  std::array<Stream, 2> streams;
  const Dissector* dissector = nullptr;
  std::unique_ptr<Session> session;
  std::shared_ptr<AppInfo> working;           // while inspecting; becomes `published` when done
  std::shared_ptr<const AppInfo> published;   // last result handed out
  std::uint32_t published_version = 0;        // the slot's version `published` shows
  bool dirty = false;
  bool finished = false;
  int first_dir = -1;  // the direction whose bytes arrived first (feeds buffered starts in order)
};

namespace {

constexpr std::size_t kMaxPendingSegments = 32;
// Slot::parked of a UDP flow no dissector has claimed yet.
const Dissector kNotIdentified{};

int index_of(Direction d) { return static_cast<int>(d); }
Direction other(Direction d) {
  return d == Direction::ToServer ? Direction::ToClient : Direction::ToServer;
}
// Sequence-space comparison (RFC 793): a - b as a signed distance.
std::int32_t seq_diff(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b);
}
bool has_port(const Dissector& d, std::uint16_t port) {
  if (port == 0) return false;
  return std::find(d.ports.begin(), d.ports.end(), port) != d.ports.end();
}

}  // namespace

Inspector::Inspector(InspectConfig config, NameSink& names,
                     std::span<const Dissector* const> registry)
    : config_(config), names_(names), registry_(registry) {}
Inspector::~Inspector() = default;

Inspector::Flow* Inspector::flow_at(std::uint32_t slot) {
  if (slot == 0 || slot > slots_.size()) return nullptr;
  return slots_[slot - 1].live.get();
}

bool Inspector::finished(std::uint32_t slot) const {
  const Slot& s = slots_[slot - 1];
  return !s.live && !s.parked;
}

std::uint32_t Inspector::allocate() {
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slots_.emplace_back();
    slot = static_cast<std::uint32_t>(slots_.size());
  }
  Slot& s = slots_[slot - 1];
  s.live = std::make_unique<Flow>();
  s.live->working = std::make_shared<AppInfo>();
  return slot;
}

void Inspector::release(std::uint32_t& slot) {
  if (slot != 0 && slot <= slots_.size()) {
    Slot& s = slots_[slot - 1];
    if (s.live) drop_buffers(*s.live);
    s = Slot{};
    free_.push_back(slot);
  }
  slot = 0;
}

// The flow's inspection finished (finish() made its result final): keep only
// the compact form. Nobody can hold `published` here except a row built
// earlier, which keeps its own copy alive.
void Inspector::retire(std::uint32_t slot) {
  Slot& s = slots_[slot - 1];
  ++s.version;  // finish() replaced the published result
  if (s.live->published) s.done = AppRecord(*s.live->published, pool_);
  s.live.reset();
}

// A UDP flow of a DNS-like dissector is inspected for as long as it lives,
// one datagram at a time, and its session keeps nothing between datagrams
// (dissector.h); a UDP flow nobody claimed yet keeps only its packet counts
// (each datagram is probed alone). Between datagrams their slots hold just
// that, so the many short DNS (or unknown UDP) flows of a busy network or a
// scan do not each keep ~1.5 KB of state.
bool Inspector::parkable(const Flow& f, const FlowInfo& info) const {
  if (info.transport != Transport::Udp) return false;
  if (f.dissector) return f.dissector->every_packet && f.session;
  constexpr std::uint32_t kMaxCount = 0xffff;  // Slot::parked_packets
  return f.streams[0].packets <= kMaxCount && f.streams[1].packets <= kMaxCount;
}

void Inspector::park(std::uint32_t slot) {
  Slot& s = slots_[slot - 1];
  Flow& f = *s.live;
  if (f.dirty && !f.working->proto.empty()) ++s.version;  // what version() would do next
  // An unidentified flow's AppInfo is still empty: nothing to keep.
  if (f.dissector) s.done = AppRecord(*f.working, pool_);
  s.parked = f.dissector ? f.dissector : &kNotIdentified;
  for (std::size_t d = 0; d < 2; ++d)
    s.parked_packets[d] = f.dissector ? 0 : static_cast<std::uint16_t>(f.streams[d].packets);
  s.live.reset();
}

Inspector::Flow& Inspector::resume(std::uint32_t slot) {
  Slot& s = slots_[slot - 1];
  s.live = std::make_unique<Flow>();
  Flow& f = *s.live;
  f.working = std::make_shared<AppInfo>(s.done.decode(pool_));
  if (s.parked == &kNotIdentified) {
    for (std::size_t d = 0; d < 2; ++d) {
      f.streams[d].packets = s.parked_packets[d];
      // A UDP direction closes exactly when its budget is used (on_packet).
      f.streams[d].closed = f.streams[d].packets >= config_.packets_per_direction;
    }
  } else {
    f.dissector = s.parked;
    f.session = s.parked->make_session();
  }
  s.parked = nullptr;
  s.parked_packets = {};
  s.done = AppRecord();
  s.shared.reset();
  return f;
}

std::uint32_t Inspector::version(std::uint32_t slot) {
  if (slot == 0 || slot > slots_.size()) return 0;
  Slot& s = slots_[slot - 1];
  Flow* f = s.live.get();
  if (f && f->dirty && f->working && !f->working->proto.empty()) {
    ++s.version;
    f->dirty = false;
  }
  return s.version;
}

std::shared_ptr<const AppInfo> Inspector::result(std::uint32_t slot) {
  const std::uint32_t v = version(slot);
  if (v == 0) return nullptr;
  Slot& s = slots_[slot - 1];
  if (Flow* f = s.live.get()) {
    if (f->published_version != v) {
      f->published = std::make_shared<const AppInfo>(*f->working);
      f->published_version = v;
    }
    return f->published;
  }
  if (auto held = s.shared.lock()) return held;
  if (s.done.empty()) return nullptr;
  // Not make_shared: `shared` would keep the whole AppInfo's memory, not just
  // the control block, until the slot is released.
  std::shared_ptr<const AppInfo> app(new AppInfo(s.done.decode(pool_)));
  s.shared = app;
  return app;
}

Inspector::Names Inspector::names(std::uint32_t slot) {
  if (slot == 0 || slot > slots_.size()) return {};
  const Slot& s = slots_[slot - 1];
  if (s.live) {
    const auto app = result(slot);  // the flow keeps it alive
    if (!app) return {};
    return {app->proto, app->sni, app->http_host};
  }
  return {s.done.proto(pool_), s.done.sni(pool_), s.done.http_host(pool_)};
}

void Inspector::on_packet(std::uint32_t& slot, const FlowInfo& info, Direction dir,
                          const proto::DecodedPacket& p, core::Bytes frame, core::Timestamp ts) {
  if (!config_.enabled) return;
  feed_packet(slot, info, dir, p, frame, ts);
  const Flow* f = flow_at(slot);
  if (!f) return;
  if (f->finished) retire(slot);
  else if (parkable(*f, info)) park(slot);
}

void Inspector::feed_packet(std::uint32_t& slot, const FlowInfo& info, Direction dir,
                            const proto::DecodedPacket& p, core::Bytes frame, core::Timestamp ts) {
  Flow* f = flow_at(slot);
  const bool known = slot != 0 && slot <= slots_.size();
  if (!f && known && !slots_[slot - 1].parked) return;  // finished: the steady state
  const bool tcp = info.transport == Transport::Tcp;
  if (tcp && !p.has_transport) return;  // no sequence number to place the bytes
  if (p.payload_offset > frame.size()) return;
  const core::Bytes payload =
      frame.subspan(p.payload_offset, std::min<std::size_t>(p.payload_length,
                                                            frame.size() - p.payload_offset));
  if (payload.empty()) return;  // flows without payload cost nothing

  if (!f && known) {
    f = &resume(slot);
  } else if (!f) {
    slot = allocate();
    f = flow_at(slot);
    ++stats_.flows;
    std::string_view proto;
    if (!expected_.empty() && expected_proto(info, ts, proto)) {
      f->working->proto = std::string(proto);
      ++stats_.identified;
      f->dirty = true;
      finish(*f);
      return;
    }
  }

  Stream& s = f->streams[static_cast<std::size_t>(index_of(dir))];
  const bool every_packet = f->dissector && f->dissector->every_packet;
  ++s.packets;
  if (s.closed && !every_packet) {
    // A one-way flow ends its inspection after twice the budget.
    if (s.packets >= 2 * config_.packets_per_direction) finish(*f);
    return;
  }
  if (f->first_dir < 0) f->first_dir = index_of(dir);
  if (tcp) feed_tcp(*f, info, dir, p, payload, ts);
  else deliver(*f, info, dir, payload, ts);
  if (f->finished) return;

  // The budget: after packets_per_direction payload packets a direction is
  // done; the flow is done when both are, or when a one-way flow used twice that.
  if (!(f->dissector && f->dissector->every_packet) && s.packets >= config_.packets_per_direction) {
    s.closed = true;
    const Stream& o = f->streams[static_cast<std::size_t>(index_of(other(dir)))];
    if (o.closed || s.packets >= 2 * config_.packets_per_direction) finish(*f);
  }
}

void Inspector::feed_tcp(Flow& f, const FlowInfo& info, Direction dir,
                         const proto::DecodedPacket& p, core::Bytes payload, core::Timestamp ts) {
  Stream& s = f.streams[static_cast<std::size_t>(index_of(dir))];
  std::uint32_t seq = p.seq + ((p.tcp_flags & proto::tcp_flag::kSyn) ? 1u : 0u);
  if (!s.started) {
    s.started = true;
    s.next = seq;
  }
  std::int32_t rel = seq_diff(seq, s.next);
  if (rel < 0) {
    // Starts before what we have: a retransmission, maybe with new bytes at its end.
    const auto overlap = static_cast<std::uint32_t>(-static_cast<std::int64_t>(rel));
    if (overlap >= payload.size()) return;
    payload = payload.subspan(overlap);
    seq = s.next;
    rel = 0;
  }
  if (rel > 0) {
    // Ahead of a gap: hold it (bounded) until the gap fills.
    if (s.pending.size() >= kMaxPendingSegments ||
        s.pending_bytes + payload.size() > config_.max_flow_buffer ||
        buffered_ + payload.size() > config_.max_total_buffer) {
      ++stats_.buffer_limit_hits;
      ++stats_.reassembly_gaps;
      s.closed = true;  // the gap never filled in time: stop reading this direction
      s.pending.clear();
      buffered_ -= s.pending_bytes;
      s.pending_bytes = 0;
      const Stream& o = f.streams[static_cast<std::size_t>(index_of(other(dir)))];
      if (o.closed) finish(f);
      return;
    }
    const auto pos = std::find_if(s.pending.begin(), s.pending.end(), [&](const Pending& q) {
      return seq_diff(q.seq, seq) >= 0;
    });
    if (pos != s.pending.end() && pos->seq == seq && pos->data.size() >= payload.size()) return;
    if (pos != s.pending.end() && pos->seq == seq) {
      s.pending_bytes -= static_cast<std::uint32_t>(pos->data.size());
      buffered_ -= pos->data.size();
      pos->data.assign(payload.begin(), payload.end());
    } else {
      s.pending.insert(pos, Pending{seq, std::vector<std::uint8_t>(payload.begin(), payload.end())});
    }
    s.pending_bytes += static_cast<std::uint32_t>(payload.size());
    buffered_ += payload.size();
    return;
  }
  s.next += static_cast<std::uint32_t>(payload.size());
  deliver(f, info, dir, payload, ts);
  // Segments that the new bytes made contiguous.
  while (!f.finished && !s.pending.empty() && seq_diff(s.pending.front().seq, s.next) <= 0) {
    Pending q = std::move(s.pending.front());
    s.pending.erase(s.pending.begin());
    s.pending_bytes -= static_cast<std::uint32_t>(q.data.size());
    buffered_ -= q.data.size();
    const auto overlap = static_cast<std::uint32_t>(seq_diff(s.next, q.seq));
    if (overlap >= q.data.size()) continue;
    const core::Bytes rest = core::Bytes(q.data).subspan(overlap);
    s.next += static_cast<std::uint32_t>(rest.size());
    deliver(f, info, dir, rest, ts);
  }
}

void Inspector::deliver(Flow& f, const FlowInfo& info, Direction dir, core::Bytes data,
                        core::Timestamp ts) {
  if (f.finished) return;
  if (f.dissector) feed_session(f, info, dir, data, ts);
  else probe_and_feed(f, info, dir, data, ts);
}

const Dissector* Inspector::choose(const FlowInfo& info, Direction dir, core::Bytes start,
                                   bool& maybe) const {
  maybe = false;
  const std::uint8_t bit = info.transport == Transport::Tcp ? kTcp : kUdp;
  // Fast path, same answer: the first Yes among the dissectors that list the
  // server's port is what the full walk below would pick. Most flows use their
  // protocol's port, so they skip the other probes (`maybe` only matters when
  // nothing is chosen).
  for (const Dissector* d : registry_) {
    if ((d->transports & bit) && d->probe && has_port(*d, info.server_port) &&
        d->probe(info, dir, start) == Match::Yes)
      return d;
  }
  const Dissector* first = nullptr;
  const Dissector* by_server_port = nullptr;
  const Dissector* by_client_port = nullptr;
  for (const Dissector* d : registry_) {
    if (!(d->transports & bit) || !d->probe) continue;
    const Match m = d->probe(info, dir, start);
    if (m == Match::Maybe) maybe = true;
    if (m != Match::Yes) continue;
    if (!first) first = d;
    if (!by_server_port && has_port(*d, info.server_port)) by_server_port = d;
    if (!by_client_port && has_port(*d, info.client_port)) by_client_port = d;
  }
  if (by_server_port) return by_server_port;
  if (by_client_port) return by_client_port;
  return first;
}

void Inspector::probe_and_feed(Flow& f, const FlowInfo& info, Direction dir, core::Bytes data,
                               core::Timestamp ts) {
  const auto d = static_cast<std::size_t>(index_of(dir));
  Stream& s = f.streams[d];
  if (info.transport == Transport::Udp) {
    // Each datagram stands alone: probe it; unidentified ones are skipped.
    bool maybe = false;
    const Dissector* chosen = choose(info, dir, data, maybe);
    if (!chosen) return;
    start_session(f, *chosen);
    feed_session(f, info, dir, data, ts);
    return;
  }
  if (s.probe_failed) return;
  // TCP: probe the stream's start so far.
  const std::size_t room = config_.probe_window - std::min<std::size_t>(s.probe.size(), config_.probe_window);
  const std::size_t take = std::min(room, data.size());
  s.probe.insert(s.probe.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
  buffered_ += take;
  bool maybe = false;
  const Dissector* chosen = choose(info, dir, s.probe, maybe);
  if (chosen) {
    start_session(f, *chosen);
    // Feed what each direction buffered, the earlier direction first.
    const Direction first = f.first_dir >= 0 ? static_cast<Direction>(f.first_dir) : dir;
    for (Direction way : {first, other(first)}) {
      Stream& w = f.streams[static_cast<std::size_t>(index_of(way))];
      std::vector<std::uint8_t> start = std::move(w.probe);
      w.probe.clear();
      buffered_ -= start.size();
      if (!start.empty() && !f.finished) feed_session(f, info, way, start, ts);
    }
    // Bytes of this segment beyond the probe window.
    if (take < data.size() && !f.finished) feed_session(f, info, dir, data.subspan(take), ts);
    return;
  }
  if (!maybe || s.probe.size() >= config_.probe_window) {
    s.probe_failed = true;
    const Stream& o = f.streams[static_cast<std::size_t>(index_of(other(dir)))];
    if (o.probe_failed) finish(f);
  }
}

void Inspector::start_session(Flow& f, const Dissector& d) {
  f.dissector = &d;
  f.working->proto = std::string(d.proto);
  f.dirty = true;
  ++stats_.identified;
  if (d.make_session) f.session = d.make_session();
  if (!f.session) finish(f);
}

void Inspector::feed_session(Flow& f, const FlowInfo& info, Direction dir, core::Bytes data,
                             core::Timestamp ts) {
  if (f.finished || !f.session) return;
  const Context ctx{info, dir, ts, names_, *this, *f.working};
  const Progress pr = f.session->feed(ctx, data);
  f.dirty = true;
  if (pr == Progress::Done) finish(f);
}

void Inspector::finish(Flow& f) {
  f.session.reset();
  drop_buffers(f);
  f.finished = true;
  if (f.working) {
    if (f.working->proto.empty()) f.working->proto = "UNKNOWN";  // payload, but nothing we know
    f.published = std::move(f.working);  // nobody else holds it: no copy
  }
  f.dirty = false;
}

void Inspector::drop_buffers(Flow& f) {
  for (Stream& s : f.streams) {
    buffered_ -= s.probe.size() + s.pending_bytes;
    std::vector<std::uint8_t>().swap(s.probe);
    std::vector<Pending>().swap(s.pending);
    s.pending_bytes = 0;
  }
}

bool Inspector::expected_proto(const FlowInfo& info, core::Timestamp ts, std::string_view& proto) {
  for (auto it = expected_.begin(); it != expected_.end(); ++it) {
    if (ts.usec - it->ts.usec > kExpectUsec) continue;
    const bool server = it->address == info.server_ip && it->port == info.server_port;
    const bool client = it->address == info.client_ip && it->port == info.client_port;
    if (server || client) {
      proto = it->proto;
      expected_.erase(it);
      return true;
    }
  }
  return false;
}

void Inspector::expect(core::Timestamp ts, const core::IpAddress& address, std::uint16_t port,
                       std::string_view proto) {
  if (port == 0 || address.empty()) return;
  if (expected_.size() >= kMaxExpected) expected_.erase(expected_.begin());
  expected_.push_back(Expected{address, port, proto, ts});
}

}  // namespace wiretop::dpi
