#include "engine/engine.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include "core/hash.h"
#include "engine/shard_routing.h"
#include "engine/link_type.h"
#include "host/interfaces.h"
#include "host/procfs.h"
#include "host/resolv_conf.h"

namespace wiretop::engine {
namespace {

core::Timestamp wall_clock_now() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return core::Timestamp{std::chrono::duration_cast<std::chrono::microseconds>(now).count()};
}

constexpr std::uint32_t kStopCheckEvery = 1024;
// Live capture hands packets over a TPACKET_V3 block at a time, a partly
// filled block once its timer (LiveOptions::timeout_ms, 100 ms) expires: on a
// stop, packets already captured arrive up to that long after. Read them.
constexpr std::int64_t kLiveDrainUsec = 250'000;

}  // namespace

Engine::Engine(EngineOptions options, std::unique_ptr<capture::PacketSource> source,
               proto::LinkType link, flow::TrackerConfig tracker)
    : options_(std::move(options)),
      source_(std::move(source)),
      link_(link),
      tracker_config_(std::move(tracker)) {
  // Shards exist from here on, so a view thread may request snapshots at any time.
  const unsigned n = options_.threads;
  for (unsigned i = 0; i < n; ++i) {
    flow::TrackerConfig cfg = tracker_config_;
    // --max-flows caps the whole process: each shard gets its share (rounded
    // up). Shards fill unevenly (shard_routing.h), so a busy shard may evict
    // slightly before the total reaches the cap.
    cfg.max_flows = static_cast<std::uint32_t>((std::uint64_t{tracker_config_.max_flows} + n - 1) / n);
    cfg.first_id = i + 1;
    cfg.id_stride = n;
    cfg.hash_seed ^= core::mix64(i + 1);
    shards_.push_back(std::make_unique<Shard>(std::move(cfg), link_, options_.inspect, names_,
                                              [this](const model::ConnectionRow& r) {
      std::unique_lock<std::mutex> lock(sink_mutex_, std::defer_lock);
      if (options_.threads > 1) lock.lock();
      if (events_) events_("closed", r);
      raise_alerts(r, true);
      if (outputs_) outputs_->on_connection_end(r);
      sink_(r);
    }));
  }
}

Engine::~Engine() = default;

void Engine::set_event_sink(EventSink sink) { events_ = std::move(sink); }

void Engine::install_event_sinks() {
  if (!events_ && !alerts_) return;
  for (auto& shard : shards_) {
    shard->set_event_sink(
        [this](std::string_view event, const model::ConnectionRow& r) {
          std::unique_lock<std::mutex> lock(sink_mutex_, std::defer_lock);
          if (options_.threads > 1) lock.lock();
          if (events_ && event != "change") events_(event, r);
          raise_alerts(r, false);
        },
        alerts_ != nullptr);
  }
}

void Engine::raise_alerts(const model::ConnectionRow& row, bool closed) {
  if (!alerts_) return;
  raised_.clear();
  alerts_->on_row(row, closed, raised_);
  if (alert_sink_)
    for (const model::Alert& a : raised_) alert_sink_(a);
}

void Engine::attach_outputs(exporting::Outputs* outputs) {
  outputs_ = outputs;
  for (auto& s : shards_) s->attach_outputs(outputs);
}

core::Result<std::unique_ptr<Engine>, std::string> Engine::open(
    EngineOptions options, const exporting::ServiceNames& names) {
  std::unique_ptr<capture::PacketSource> source;
  flow::TrackerConfig tracker;
  std::string notice;
  if (!options.read_file.empty()) {
    auto opened = capture::PacketSource::open_file(options.read_file, options.bpf_filter);
    if (!opened) return core::Err{opened.error()};
    source = std::move(*opened);
  } else {
    if (options.interface.empty()) {
      const auto picked = host::pick_default_interface();
      options.interface = picked.name;
      notice = "capturing on " + picked.name + " (" + picked.why + "); choose another with -i";
    }
    if (!host::interface_exists(options.interface)) {
      return core::Err{"no such interface '" + options.interface +
                       "' (list them with `ip link`, or use -i any)"};
    }
    capture::LiveOptions live;
    live.interface = options.interface;
    live.bpf_filter = options.bpf_filter;
    auto opened = capture::PacketSource::open_live(live);
    if (!opened) return core::Err{opened.error()};
    source = std::move(*opened);
    tracker.local_addresses = host::local_addresses();
  }
  const auto link = link_type_for_dlt(source->datalink());
  if (!link) {
    return core::Err{"unsupported link type " + std::to_string(source->datalink()) +
                     " (wiretop reads Ethernet, Linux cooked, raw IP and loopback captures)"};
  }
  tracker.max_flows = options.max_flows;
  tracker.tcp_service_ports = &names.tcp_ports();
  tracker.udp_service_ports = &names.udp_ports();
  if (options.threads == 0) options.threads = 1;
  // The helper is forked once the capture is open and before any thread starts.
  std::unique_ptr<Attribution> attribution;
  std::string attribution_off;
  if (source->is_live() && options.attribution) {
    attribution = Attribution::start(options.helper, attribution_off);
  } else if (source->is_live()) {
    attribution_off = "disabled (--no-attribution)";
  }
  std::unique_ptr<Engine> engine(new Engine(std::move(options), std::move(source), *link,
                                            std::move(tracker)));
  engine->notice_ = std::move(notice);
  engine->attribution_ = std::move(attribution);
  engine->attribution_off_ = std::move(attribution_off);
  if (engine->options_.redact) engine->redactor_ = std::make_unique<Redactor>(Redactor::random_key());
  for (auto& s : engine->shards_) {
    s->set_attribution(engine->attribution_.get());
    s->set_redactor(engine->redactor_.get());
  }
  if (engine->options_.alerts) {
    // Read now: after the sandbox neither file may be open-able.
    AlertContext context;
    if (engine->source_->is_live()) {
      context.processes_expected = engine->attribution_ != nullptr;
      context.system_resolvers = host::read_nameservers();
      context.start_ticks = host::start_time_of(host::ProcPaths{}, "self");
    }
    // Rows reach the rules redacted: so must the addresses they are compared with.
    if (const Redactor* r = engine->redactor_.get()) {
      for (auto& ip : context.system_resolvers) ip = r->address(ip);
      for (auto& ip : engine->options_.alerts->resolvers) ip = r->address(ip);
    }
    auto alerts = Alerts::create(std::move(*engine->options_.alerts), std::move(context));
    if (!alerts) return core::Err{alerts.error()};
    engine->alerts_ = std::move(*alerts);
  }
  return engine;
}

bool Engine::should_stop(const std::atomic<bool>& stop, core::Timestamp started) const {
  if (stop.load(std::memory_order_relaxed)) return true;
  return source_->is_live() && options_.duration_seconds > 0 &&
         (wall_clock_now() - started).usec >= static_cast<std::int64_t>(options_.duration_seconds * 1e6);
}

Summary Engine::run(RowSink sink, const std::atomic<bool>& stop) {
  Summary summary;
  summary.threads = options_.threads;
  sink_ = std::move(sink);
  install_event_sinks();
  if (attribution_) attribution_->start_receiving();
  if (options_.threads == 1) run_inline(stop, summary);
  else run_sharded(stop, summary);

  const auto reason = source_->is_live() ? flow::EndReason::Shutdown : flow::EndReason::EndOfInput;
  for (auto& s : shards_) {
    s->finish(reason);
    summary.merge_shard(s->counters());
  }
  if (source_->is_live()) {
    summary.attribution_enabled = true;
    summary.attribution_status = attribution_status();
    if (attribution_) {
      const AttributionStats a = attribution_->stats();
      summary.attribution_records = a.records;
      summary.attribution_rejected = a.rejected;
    }
  }
  const capture::CaptureStats cs = source_->stats();
  summary.capture_drops = cs.dropped;
  summary.interface_drops = cs.if_dropped;
  if (outputs_ && outputs_->wants_capture_counters())
    outputs_->on_capture_counters({summary.capture_drops, summary.interface_drops, summary.ring_drops});
  if (outputs_) outputs_->finish();
  if (alerts_) {
    summary.alerts_enabled = true;
    summary.alerts = alerts_->counts();
  }
  return summary;
}

template <typename OnPacket, typename OnIdle>
void Engine::capture_loop(const std::atomic<bool>& stop, Summary& summary, OnPacket on_packet,
                          OnIdle on_idle) {
  const core::Timestamp started = wall_clock_now();
  capture::Packet pkt;
  std::uint32_t since_check = 0;
  std::int64_t drain_until = 0;  // live, stopping: read what the kernel still holds until then
  for (;;) {
    if (drain_until != 0 && wall_clock_now().usec >= drain_until) break;
    const capture::NextStatus st = source_->next(pkt);
    if (st == capture::NextStatus::Packet) {
      if (options_.replay_speed > 0 && !wait_until_due(pkt.ts, stop)) break;
      ++summary.packets;
      summary.bytes += pkt.len;
      if (outputs_ && outputs_->wants_frames()) outputs_->on_frame(pkt.ts, pkt.len, pkt.bytes());
      on_packet(pkt);
      if (++since_check < kStopCheckEvery) continue;
    } else if (st == capture::NextStatus::Timeout) {
      on_idle(wall_clock_now());
    } else {
      if (!source_->last_error().empty()) summary.warning = source_->last_error();
      break;
    }
    since_check = 0;
    if (options_.threads == 1) shards_[0]->serve_snapshot_if_requested();
    report_capture_counters(summary);
    if (drain_until == 0 && should_stop(stop, started)) {
      if (!source_->is_live()) break;
      drain_until = wall_clock_now().usec + kLiveDrainUsec;
    }
  }
}

// --metrics: the drop counters so far, about once a second of wall clock.
void Engine::report_capture_counters(const Summary& summary) {
  if (!outputs_ || !outputs_->wants_capture_counters()) return;
  const core::Timestamp now = wall_clock_now();
  if (now.usec - last_counters_report_.usec < 1'000'000) return;
  last_counters_report_ = now;
  const capture::CaptureStats cs = source_->stats();
  outputs_->on_capture_counters({cs.dropped, cs.if_dropped, summary.ring_drops});
}

bool Engine::wait_until_due(core::Timestamp ts, const std::atomic<bool>& stop) {
  if (replay_started_.usec == 0) {
    replay_started_ = wall_clock_now();
    replay_first_packet_ = ts;
  }
  const auto offset = static_cast<std::int64_t>(static_cast<double>(ts.usec - replay_first_packet_.usec) /
                                                options_.replay_speed);
  for (;;) {
    const std::int64_t wait = replay_started_.usec + offset - wall_clock_now().usec;
    if (wait <= 0) return true;
    // Short naps, so the view's snapshots and a quit are served while the capture is quiet.
    std::this_thread::sleep_for(std::chrono::microseconds(std::min<std::int64_t>(wait, 50'000)));
    if (options_.threads == 1) shards_[0]->serve_snapshot_if_requested();
    if (stop.load()) return false;
  }
}

void Engine::run_inline(const std::atomic<bool>& stop, Summary& summary) {
  Shard& shard = *shards_[0];
  capture_loop(
      stop, summary,
      [&](const capture::Packet& pkt) { shard.handle(pkt.ts, pkt.len, pkt.bytes(), 0); },
      [&](core::Timestamp now) { shard.handle(now, 0, {}, kRecordTick); });
}

void Engine::run_sharded(const std::atomic<bool>& stop, Summary& summary) {
  const unsigned n = options_.threads;
  std::vector<std::unique_ptr<SpscRing>> rings;
  std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[n]);
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < n; ++i) {
    rings.push_back(std::make_unique<SpscRing>(options_.ring_bytes));
    done[i].store(false);
  }
  std::vector<const SpscRing*> ring_views;
  for (const auto& r : rings) ring_views.push_back(r.get());
  ShardProgress progress(std::move(ring_views));
  for (unsigned i = 0; i < n; ++i) shards_[i]->join_progress(&progress, i);
  for (unsigned i = 0; i < n; ++i)
    workers.emplace_back([&, i] { shards_[i]->run(*rings[i], done[i]); });

  const bool live = source_->is_live();
  // Offline input must not lose packets: wait for room instead of dropping.
  auto push = [&](unsigned shard, const RecordHeader& h, const std::uint8_t* data) {
    while (!rings[shard]->push(h, data)) {
      if (live) {
        ++summary.ring_drops;
        return;
      }
      std::this_thread::yield();
    }
  };

  proto::DecodedPacket decoded;
  // Every shard must see the whole capture's packet clock, or a shard whose
  // flows went quiet would never expire them. The inline tracker expires right
  // after the first packet that moves the clock kExpireEveryUsec past its last
  // run; sending every shard a tick right after that same packet makes the
  // sharded results identical to the inline ones.
  std::int64_t clock_usec = 0, last_tick_usec = 0;
  capture_loop(
      stop, summary,
      [&](const capture::Packet& pkt) {
        if (pkt.ts.usec > clock_usec) clock_usec = pkt.ts.usec;
        const auto err = proto::decode_packet(link_, pkt.bytes(), decoded);
        const ShardRoute route = route_packet(decoded, err, n);
        RecordHeader h{pkt.ts.usec, pkt.caplen, pkt.len, 0, 0};
        push(route.shard, h, pkt.data);
        if (route.quoted_shard < n) {
          h.flags = kRecordQuotedOnly;
          push(route.quoted_shard, h, pkt.data);
        }
        if (route.to_every_shard) {
          h.flags = kRecordNeighborOnly;
          for (unsigned i = 0; i < n; ++i)
            if (i != route.shard) push(i, h, pkt.data);
        }
        if (clock_usec - last_tick_usec >= flow::Tracker::kExpireEveryUsec) {
          last_tick_usec = clock_usec;
          const RecordHeader tick{clock_usec, 0, 0, kRecordTick, 0};
          for (unsigned i = 0; i < n; ++i) push(i, tick, nullptr);
        }
      },
      [&](core::Timestamp now) {
        const RecordHeader tick{now.usec, 0, 0, kRecordTick, 0};
        for (unsigned i = 0; i < n; ++i) push(i, tick, nullptr);
      });
  for (unsigned i = 0; i < n; ++i) done[i].store(true, std::memory_order_release);
  for (auto& w : workers) w.join();
  for (unsigned i = 0; i < n; ++i) shards_[i]->join_progress(nullptr, i);  // progress ends here
}

std::string Engine::attribution_status() const {
  if (!source_->is_live()) return {};
  if (!attribution_) return "off: " + attribution_off_;
  return attribution_->stats().status;
}

bool Engine::listeners(std::vector<model::ListenerRow>& out) const {
  out.clear();
  if (!attribution_ || !attribution_->listeners(out)) return false;
  if (redactor_)
    for (auto& l : out) redactor_->apply(l);
  return true;
}

void Engine::request_snapshot() {
  for (auto& s : shards_) s->request_snapshot();
}

void Engine::take_snapshot(std::vector<model::ConnectionRow>& rows, Summary& counters) {
  for (auto& s : shards_) s->take_snapshot(rows, counters);
  counters.attribution_enabled = source_->is_live();
  counters.attribution_status = attribution_status();
}

}  // namespace wiretop::engine
