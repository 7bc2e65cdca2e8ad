#include "engine/shard.h"

#include <chrono>
#include <thread>

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

// The owners of the row's local ends (issue 6). The server side falls back to
// the listening socket; the client side too for UDP, whose clients often send
// from an unconnected socket. A side known to be remote is not looked up.
void attach_processes(model::ConnectionRow& row, const host::OwnerTable& owners) {
  if (!row.has_ports || (row.ip_proto != kProtoTcp && row.ip_proto != kProtoUdp)) return;
  if (!row.locality_known || row.client_local)
    row.process = owners.find(row.ip_proto, row.client_ip, row.client_port, row.server_ip,
                              row.server_port, row.ip_proto == kProtoUdp);
  if (!row.locality_known || row.server_local)
    row.server_process = owners.find(row.ip_proto, row.server_ip, row.server_port, row.client_ip,
                                     row.client_port, true);
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
  if (err == proto::DecodeError::None && packet_.has_neighbor)
    neighbors_.learn(packet_.neighbor_ip, packet_.neighbor_mac);
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
  model::ConnectionRow row = model::to_row(c, reason, tracker_.now());
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
  if (owners) attach_processes(row, *owners);
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
  std::vector<model::ConnectionRow> rows;
  rows.reserve(tracker_.size());
  const auto owners = attribution_ ? attribution_->current() : nullptr;
  tracker_.for_each([&](const flow::Connection& c) {
    rows.push_back(make_row(c, flow::EndReason::None, owners.get()));
  });
  const Summary copy = counters();
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  snapshot_rows_.swap(rows);
  snapshot_counters_ = copy;
}

void Shard::take_snapshot(std::vector<model::ConnectionRow>& out, Summary& counters) {
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  out.insert(out.end(), snapshot_rows_.begin(), snapshot_rows_.end());
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
