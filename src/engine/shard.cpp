#include "engine/shard.h"

#include <chrono>
#include <thread>
#include <tuple>
#include <utility>

namespace wiretop::engine {

namespace {

constexpr std::uint8_t kProtoTcp = 6, kProtoUdp = 17;

// The SNI, else the HTTP Host (without its port), else the newest name a DNS
// answer gave the server's address before the connection began.
void name_server(model::ConnectionRow& row, const dpi::NameTable& names) {
  if (row.app && !row.app->sni.empty()) {
    row.server_name = row.app->sni;
    row.server_name_source = "sni";
    return;
  }
  if (row.app && !row.app->http_host.empty()) {
    std::string_view host = row.app->http_host;
    if (host.front() == '[') {  // [v6]:port
      const auto close = host.find(']');
      if (close != std::string_view::npos) host = host.substr(1, close - 1);
    } else if (host.find(':') == host.rfind(':') && host.find(':') != std::string_view::npos) {
      host = host.substr(0, host.find(':'));
    }
    row.server_name = std::string(host);
    row.server_name_source = "http_host";
    return;
  }
  std::string learned = names.lookup(row.server_ip, row.first_seen);
  if (!learned.empty()) {
    row.server_name = std::move(learned);
    row.server_name_source = "dns";
  }
}

using ProcessPtr = std::shared_ptr<const host::ProcessInfo>;

// The owners of a connection's local ends (issue 6): client's, server's. The
// server side falls back to the listening socket; the client side too for UDP,
// whose clients often send from an unconnected socket. A side known to be
// remote is not looked up.
std::pair<ProcessPtr, ProcessPtr> owners_of(const flow::Connection& c, const host::OwnerTable& owners) {
  const std::uint8_t proto = c.key.ip_proto;
  if (c.key.kind != flow::KeyKind::Ports || (proto != kProtoTcp && proto != kProtoUdp)) return {};
  std::pair<ProcessPtr, ProcessPtr> found;
  if (!c.locality_known || c.client_local)
    found.first = owners.find(proto, c.client_ip(), c.client_port(), c.server_ip(), c.server_port(),
                              proto == kProtoUdp);
  if (!c.locality_known || c.server_local)
    found.second = owners.find(proto, c.server_ip(), c.server_port(), c.client_ip(), c.client_port(), true);
  return found;
}

void attach_processes(model::ConnectionRow& row, const flow::Connection& c, const host::OwnerTable& owners) {
  std::tie(row.process, row.server_process) = owners_of(c, owners);
  const auto& local = row.process ? row.process : row.server_process;
  if (local) {
    row.pid = local->pid;
    row.process_name = local->name;
  }
}

}  // namespace

Shard::Shard(flow::TrackerConfig config, proto::LinkType link, dpi::InspectConfig inspect,
             dpi::NameTable& names, RowSink sink)
    : names_(names),
      inspector_(inspect, names),
      tracker_(std::move(config),
               [this](const flow::Connection& c, flow::EndReason reason) {
                 ++counters_.connections;
                 if (events_) announced_.erase(c.id);
                 if (deltas_on_ && !serve_full_) note_ended(c.id);
                 const auto owners = attribution_ ? attribution_->current() : nullptr;
                 model::ConnectionRow row = make_row(c, reason, owners.get());
                 count_attribution(row);
                 sink_(row);
               }),
      link_(link),
      sink_(std::move(sink)) {}

void Shard::handle(core::Timestamp ts, std::uint32_t len, core::Bytes frame, std::uint32_t flags) {
  if (flags & kRecordTick) {
    tracker_.advance(ts);
    if (outputs_) outputs_->on_tick(ts);
    return;
  }
  handle_decoded(ts, len, frame, flags, decode(frame));
}

void Shard::handle_decoded(core::Timestamp ts, std::uint32_t len, core::Bytes frame, std::uint32_t flags,
                           proto::DecodeError err) {
  if (err == proto::DecodeError::None && packet_.has_neighbor &&
      neighbors_.learn(packet_.neighbor_ip, packet_.neighbor_mac))
    note_new_neighbor(packet_.neighbor_ip);
  if (flags & kRecordNeighborOnly) return;
  if (flags & kRecordQuotedOnly) {
    if (err == proto::DecodeError::None) tracker_.process_quoted_error(packet_, ts);
    return;
  }
  if (err != proto::DecodeError::None) {
    ++counters_.parse_failures[static_cast<std::size_t>(err)];
    if (outputs_) note_packet(nullptr, 0, len, frame, ts);
    return;
  }
  if (packet_.transport_error != proto::DecodeError::None) ++counters_.partial_transport;
  if (packet_.l3 == proto::L3::Ipv4 || packet_.l3 == proto::L3::Ipv6) ++counters_.ip_packets;
  else ++counters_.non_ip;
  const flow::Tracker::Touched t = tracker_.process(packet_, ts, len);
  bool inspected = false;
  if (t.connection && packet_.has_ports &&
      (packet_.ip_proto == kProtoTcp || packet_.ip_proto == kProtoUdp)) {
    inspected = inspector_.wants(t.connection->app_slot);
    inspect(*t.connection, t.direction, frame, ts);
  }
  if (events_ && t.connection) report_events(*t.connection, inspected, ts);
  if (outputs_) note_packet(t.connection, t.direction, len, frame, ts);
}

// Cheap on the steady path: a hash lookup; a row is built only on the first
// packet, when the DPI result changed, or (live, once a second for the first
// ten seconds) to look for the processes of a connection that lacks them.
void Shard::report_events(const flow::Connection& c, bool inspected, core::Timestamp ts) {
  constexpr std::int64_t kProcessRecheckUsec = 1'000'000;
  constexpr std::uint8_t kMaxProcessChecks = 10;
  const auto [it, fresh] = announced_.try_emplace(c.id);
  Announced& a = it->second;
  const std::uint32_t app_version = inspected ? inspector_.version(c.app_slot) : a.app_version;
  const bool app_changed = app_version != a.app_version;
  const bool check_process = attribution_ && a.processes != 3 && a.process_checks < kMaxProcessChecks &&
                             ts.usec >= a.next_process_check;
  if (!fresh && !app_changed && !check_process) return;
  const auto owners = attribution_ ? attribution_->current() : nullptr;
  const model::ConnectionRow row = make_row(c, flow::EndReason::None, owners.get());
  const std::string key = row.app ? row.app->proto + "|" + row.server_name : std::string("|") + row.server_name;
  const std::uint64_t key_hash = std::hash<std::string>{}(key);
  const std::uint8_t processes = (row.process ? 1 : 0) | (row.server_process ? 2 : 0);
  const bool update = !fresh && (key_hash != a.app_key || (processes & ~a.processes) != 0);
  a.app_version = app_version;
  a.app_key = key_hash;
  a.processes |= processes;
  if (check_process) {
    ++a.process_checks;
    a.next_process_check = ts.usec + kProcessRecheckUsec;
  }
  if (fresh || update) events_(fresh ? "new" : "update", row);
  else if (app_changed && every_change_) events_("change", row);
}

// The process owning the packet's local end as the attribution map knows it
// now (the same lookup as attach_processes, per packet for the exports).
std::shared_ptr<const host::ProcessInfo> Shard::local_owner(const flow::Connection& c,
                                                            const exporting::PacketNote& n) const {
  if (!attribution_ || (n.ip_proto != kProtoTcp && n.ip_proto != kProtoUdp)) return nullptr;
  const auto owners = attribution_->current();
  if (!owners) return nullptr;
  std::shared_ptr<const host::ProcessInfo> owner;
  if (!c.locality_known || c.client_local)
    owner = owners->find(n.ip_proto, n.client_ip, n.client_port, n.server_ip, n.server_port,
                         n.ip_proto == kProtoUdp);
  if (!owner && (!c.locality_known || c.server_local))
    owner = owners->find(n.ip_proto, n.server_ip, n.server_port, n.client_ip, n.client_port, true);
  return owner;
}

void Shard::note_packet(const flow::Connection* c, int direction, std::uint32_t len, core::Bytes frame,
                        core::Timestamp ts) {
  exporting::PacketNote note;
  note.ts = ts;
  std::shared_ptr<const host::ProcessInfo> owner;  // keeps the note's process name alive
  if (c) {
    note.connection_id = c->id;
    note.direction = direction;
    note.first_seen = c->first_seen;
    note.ip_proto = packet_.ip_proto;
    note.tcp_flags = packet_.ip_proto == kProtoTcp ? packet_.tcp_flags : 0;
    note.client_ip = c->client_ip();
    note.server_ip = c->server_ip();
    note.client_port = c->client_port();
    note.server_port = c->server_port();
    note.packets = c->packets;
    note.bytes = c->bytes;
    owner = local_owner(*c, note);
    if (owner) {
      note.pid = owner->pid;
      note.process_name = owner->name;
    }
    // Views into the inspector's result, valid until its next call; no
    // AppInfo is built per packet.
    const dpi::Inspector::Names names = inspector_.names(c->app_slot);
    note.app = names.proto;
    note.sni = names.sni;
    note.http_host = names.http_host;
  }
  std::array<std::string, 2> redacted;  // the note's names under --redact
  if (redactor_) redactor_->apply(note, redacted);
  outputs_->on_packet(note, len, frame);
}

void Shard::inspect(flow::Connection& c, int direction, core::Bytes frame, core::Timestamp ts) {
  if (!inspector_.wants(c.app_slot)) return;
  dpi::FlowInfo info;
  info.transport = packet_.ip_proto == kProtoTcp ? dpi::Transport::Tcp : dpi::Transport::Udp;
  info.client_ip = c.client_ip();
  info.server_ip = c.server_ip();
  info.client_port = c.client_port();
  info.server_port = c.server_port();
  inspector_.on_packet(c.app_slot, info, static_cast<dpi::Direction>(direction), packet_, frame, ts);
}

void Shard::count_attribution(const model::ConnectionRow& row) {
  if (!attribution_ || !row.has_ports || !row.locality_known || !(row.client_local || row.server_local))
    return;
  if (row.ip_proto != kProtoTcp && row.ip_proto != kProtoUdp) return;
  ++counters_.attribution_local_rows;
  if (row.process || row.server_process) ++counters_.attribution_attributed_rows;
}

model::ConnectionRow Shard::make_row(const flow::Connection& c, flow::EndReason reason,
                                     const host::OwnerTable* owners) {
  model::ConnectionRow row = model::to_row(c, reason, tracker_.now(), tracker_.rate_of(c));
  row.app = inspector_.result(c.app_slot);
  row.idle_timeout_s = static_cast<double>(tracker_.idle_timeout(c).usec) / 1e6;
  // On-link ends, as ARP / neighbour discovery showed them: their MAC names a vendor (issue 8).
  for (model::EndpointInfo& end : row.ends) {
    const flow::NeighborTable::Mac* mac =
        neighbors_.find(&end == &row.ends[0] ? row.client_ip : row.server_ip);
    end.has_mac = mac != nullptr;
    if (mac) end.mac = *mac;
  }
  if (reason != flow::EndReason::None) {
    std::uint32_t slot = c.app_slot;
    inspector_.release(slot);
    // A name from DNS may come from a packet another shard has not handled yet.
    if (progress_ && !(row.app && (!row.app->sni.empty() || !row.app->http_host.empty())))
      progress_->wait_for_others(index_, row.first_seen.usec);
  }
  name_server(row, names_);
  if (owners) attach_processes(row, c, *owners);
  if (redactor_) redactor_->apply(row);
  return row;
}

void Shard::run(SpscRing& ring, const std::atomic<bool>& producer_done) {
  RecordHeader h{};
  const std::uint8_t* data = nullptr;
  int idle_spins = 0;
  for (;;) {
    if (ring.peek(h, data)) {
      if (progress_) progress_->starting(index_, h.ts_usec);
      handle(core::Timestamp{h.ts_usec}, h.len, core::Bytes(data, h.caplen), h.flags);
      ring.pop(h);
      idle_spins = 0;
      // Under sustained load the ring never runs dry: serve views every so often anyway.
      if ((++served_since_ & 4095) == 0) serve_snapshot_if_requested();
      continue;
    }
    serve_snapshot_if_requested();
    if (producer_done.load(std::memory_order_acquire)) {
      if (!ring.peek(h, data)) break;
      continue;
    }
    // Back off: spin briefly for low latency under load, then sleep (1 ms of
    // added latency is invisible in a monitor; waking 5000 times a second is not).
    if (++idle_spins < 256) std::this_thread::yield();
    else std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void Shard::finish(flow::EndReason reason) {
  tracker_.flush(reason);
  serve_snapshot_if_requested();
}

void Shard::serve_snapshot_if_requested() {
  if (!snapshot_requested_.load(std::memory_order_acquire)) return;
  snapshot_requested_.store(false, std::memory_order_relaxed);
  auto owners = attribution_ ? attribution_->current() : nullptr;
  RowDelta delta = serve_delta(owners);
  served_owners_ = std::move(owners);
  const Summary copy = counters();
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  pending_.append(std::move(delta));
  snapshot_counters_ = copy;
}

// A row changes when a packet changes its connection (the tracker lists
// those), when its connection's processes become known or change (the owner
// table is re-published; rows are made from it), or when a new MAC binding
// names an end (their rows are found by address). Time alone changes only the
// rates, which the view recomputes from each row's rate window (row_map.h).
RowDelta Shard::serve_delta(const std::shared_ptr<const host::OwnerTable>& owners) {
  RowDelta delta;
  delta.now = tracker_.now();
  if (!deltas_on_ || serve_full_) {
    deltas_on_ = true;
    serve_full_ = false;
    new_neighbors_.clear();
    tracker_.track_changes();
    tracker_.drain_changed([](const flow::Connection&) {});
    ended_ids_.clear();
    delta.full = true;
    delta.rows.reserve(tracker_.size());
    tracker_.for_each([&](const flow::Connection& c) {
      delta.rows.push_back(make_row(c, flow::EndReason::None, owners.get()));
    });
    return delta;
  }
  if (owners != served_owners_) mark_new_owners(served_owners_.get(), owners.get());
  if (!new_neighbors_.empty()) mark_new_neighbors();
  tracker_.drain_changed([&](const flow::Connection& c) {
    delta.rows.push_back(make_row(c, flow::EndReason::None, owners.get()));
  });
  delta.ended.swap(ended_ids_);
  return delta;
}

// Marks the connections whose processes differ between two published owner
// tables: a lookup per local end, no row made. Tables share the ProcessInfo
// of an unchanged socket, and both tables are alive here (no address reused),
// so equal pointers mean the very same, immutable, process description.
void Shard::mark_new_owners(const host::OwnerTable* before, const host::OwnerTable* now) {
  const host::OwnerTable empty;
  const host::OwnerTable& old_table = before ? *before : empty;
  const host::OwnerTable& new_table = now ? *now : empty;
  tracker_.for_each_indexed([&](std::uint32_t index, const flow::Connection& c) {
    if (owners_of(c, old_table) != owners_of(c, new_table)) tracker_.mark_changed(index);
  });
}

// The ids that ended since the last served snapshot. A view that stops asking
// (the TUI paused) must not make the list grow without end: past the cap the
// next snapshot is a full one, which needs no ids.
void Shard::note_ended(std::uint64_t id) {
  if (ended_ids_.size() >= max_ended_ids_) {
    serve_full_ = true;
    std::vector<std::uint64_t>().swap(ended_ids_);
    return;
  }
  ended_ids_.push_back(id);
}

void Shard::note_new_neighbor(const core::IpAddress& ip) {
  if (!deltas_on_ || serve_full_) return;
  if (new_neighbors_.size() == kNewNeighborsCap) {
    serve_full_ = true;
    return;
  }
  new_neighbors_.push_back(ip);
}

void Shard::mark_new_neighbors() {
  tracker_.for_each_indexed([&](std::uint32_t index, const flow::Connection& c) {
    for (const core::IpAddress& ip : new_neighbors_) {
      if (ip == c.key.a || ip == c.key.b) {
        tracker_.mark_changed(index);
        return;
      }
    }
  });
  new_neighbors_.clear();
}

void Shard::take_delta(RowDelta& out, Summary& counters) {
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  out = std::move(pending_);
  pending_ = RowDelta{};
  counters.merge_shard(snapshot_counters_);
}

Summary Shard::counters() const {
  Summary s = counters_;
  s.evictions = tracker_.stats().evictions;
  s.unmatched_fragments = tracker_.stats().unmatched_fragments;
  s.dpi_flows = inspector_.stats().flows;
  s.dpi_identified = inspector_.stats().identified;
  s.dpi_reassembly_gaps = inspector_.stats().reassembly_gaps;
  return s;
}

}  // namespace wiretop::engine
