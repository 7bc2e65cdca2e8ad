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
// Offline the capture thread waits for room instead of dropping, so a ring only
// has to decouple two threads, not absorb bursts: a small one stays in the
// caches they share, where a 32 MiB one made each packet's copy miss twice and
// cost a page fault per 4 KiB on first use. It must hold the largest record
// (a 256 KiB snapshot length).
constexpr std::size_t kOfflineRingBytes = 2u << 20;

// The capture thread waits for a worker to make room in its ring (offline).
// Yield a few times, then nap: on 2 cores a loop of sched_yield keeps a core
// busy in system calls while the worker it waits for needs the CPU.
void wait_for_room(int attempt) {
  if (attempt < 16) std::this_thread::yield();
  else std::this_thread::sleep_for(std::chrono::microseconds(20));
}

// How much of shard 0's even share the capture thread takes when it handles
// that shard itself. It also reads, decodes and routes every packet and copies
// the others' into rings: R, about kCaptureWork of the shards' work W. With W
// split w0 + (n-1) w1 = 1, the thread's R + w0 equals a worker's w1 when
// w1 = (1 + R) / n. Measured on bench/data/replay.pcap with --threads 2 on
// 2 cores (CPU per thread from perf samples): shard 0 at a full share left the
// capture thread 64% of the CPU and the worker 36%; at 1/3 of a share, 50/50.
// A fixed figure: traffic with more work per packet (DPI on every packet)
// would want a larger share, header-only traffic a smaller one.
constexpr double kCaptureWork = 0.5;
double first_shard_weight(unsigned shards) {
  const double n = shards;
  return std::max(0.0, 1.0 - kCaptureWork * n / (1.0 + kCaptureWork));
}

// The workers of a sharded run: a ring, a done flag and a thread for each
// shard from `first_worker` on (shards below it run on the capture thread).
class Workers {
 public:
  Workers(std::vector<std::unique_ptr<Shard>>& shards, unsigned first_worker, std::size_t ring_bytes)
      : shards_(shards), rings_(shards.size()), done_(new std::atomic<bool>[shards.size()]) {
    const auto n = static_cast<unsigned>(shards.size());
    std::vector<const SpscRing*> views(n, nullptr);  // null: handled on the capture thread
    for (unsigned i = 0; i < n; ++i) {
      done_[i].store(false);
      if (i < first_worker) continue;
      rings_[i] = std::make_unique<SpscRing>(ring_bytes);
      views[i] = rings_[i].get();
    }
    progress_ = std::make_unique<ShardProgress>(std::move(views));
    for (unsigned i = 0; i < n; ++i) shards_[i]->join_progress(progress_.get(), i);
    for (unsigned i = first_worker; i < n; ++i)
      threads_.emplace_back([this, i] { shards_[i]->run(*rings_[i], done_[i]); });
  }
  ~Workers() { finish(); }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  SpscRing& ring(unsigned shard) { return *rings_[shard]; }
  ShardProgress& progress() { return *progress_; }
  // The input ended: workers drain their rings and stop.
  void finish() {
    if (threads_.empty() && progress_ == nullptr) return;
    for (std::size_t i = 0; i < shards_.size(); ++i) done_[i].store(true, std::memory_order_release);
    for (auto& t : threads_) t.join();
    threads_.clear();
    for (unsigned i = 0; i < shards_.size(); ++i) shards_[i]->join_progress(nullptr, i);  // progress ends here
    progress_.reset();
  }

 private:
  std::vector<std::unique_ptr<Shard>>& shards_;
  std::vector<std::unique_ptr<SpscRing>> rings_;
  std::unique_ptr<std::atomic<bool>[]> done_;
  std::unique_ptr<ShardProgress> progress_;
  std::vector<std::thread> threads_;
};

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
  tracker.track_rates = options.track_rates;
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
  capture_handles_shard0_ = true;
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
    if (capture_handles_shard0_) shards_[0]->serve_snapshot_if_requested();
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
    if (capture_handles_shard0_) shards_[0]->serve_snapshot_if_requested();
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

// With --threads N >= cores there is no core to spare for a capture thread of
// its own: it would take turns with the workers, and 2 workers on 2 cores ran
// slower than 1. The capture thread then handles shard 0 itself (inline, with
// the decode it routed on) and feeds the other shards' rings, so N threads are
// busy, not N + 1. With a core to spare it only routes, to keep up with live
// traffic. Either way each shard sees its records in capture order.
void Engine::run_sharded(const std::atomic<bool>& stop, Summary& summary) {
  const unsigned n = options_.threads;
  const bool live = source_->is_live();
  const unsigned cores = options_.cores != 0 ? options_.cores : std::max(1u, std::thread::hardware_concurrency());
  capture_handles_shard0_ = n >= cores;
  const unsigned first_worker = capture_handles_shard0_ ? 1 : 0;
  Workers workers(shards_, first_worker,
                  live ? options_.ring_bytes : std::min(options_.ring_bytes, kOfflineRingBytes));
  ShardProgress& progress = workers.progress();
  const ShardMap map(n, capture_handles_shard0_ ? first_shard_weight(n) : 1.0);

  // Offline input must not lose packets: wait for room instead of dropping.
  auto push = [&](unsigned shard, const RecordHeader& h, const std::uint8_t* data) {
    for (int attempt = 0; !workers.ring(shard).push(h, data); ++attempt) {
      if (live) {
        ++summary.ring_drops;
        return;
      }
      wait_for_room(attempt);
    }
  };
  Shard& shard0 = *shards_[0];
  // One record for `shard`: shard 0 on this thread (when it is ours), the others through their rings.
  auto deliver = [&](unsigned shard, const RecordHeader& h, const capture::Packet* pkt, proto::DecodeError err) {
    if (shard >= first_worker) {
      push(shard, h, pkt ? pkt->data : nullptr);
      return;
    }
    progress.starting(0, h.ts_usec);
    if (pkt) shard0.handle_decoded(pkt->ts, pkt->len, pkt->bytes(), h.flags, err);
    else shard0.handle(core::Timestamp{h.ts_usec}, 0, {}, h.flags);
    progress.finished(0);
  };
  auto tick_every_shard = [&](std::int64_t ts_usec) {
    const RecordHeader tick{ts_usec, 0, 0, kRecordTick, 0};
    for (unsigned i = 0; i < n; ++i) deliver(i, tick, nullptr, proto::DecodeError::None);
  };

  proto::DecodedPacket decoded;  // when shard 0 is not ours; else shard 0's own buffer
  // Every shard must see the whole capture's packet clock, or a shard whose
  // flows went quiet would never expire them. The inline tracker expires right
  // after the first packet that moves the clock kExpireEveryUsec past its last
  // run; sending every shard a tick right after that same packet makes the
  // sharded results identical to the inline ones.
  std::int64_t clock_usec = 0, last_tick_usec = 0;
  // A packet decoded to be routed: its shard, and the ICMP error's and ARP/NDP copies.
  auto decode_and_deliver = [&](const capture::Packet& pkt) {
    const proto::DecodeError err = capture_handles_shard0_ ? shard0.decode(pkt.bytes())
                                                           : proto::decode_packet(link_, pkt.bytes(), decoded);
    const ShardRoute route = route_packet(capture_handles_shard0_ ? shard0.decoded() : decoded, err, map);
    RecordHeader h{pkt.ts.usec, pkt.caplen, pkt.len, 0, 0};
    deliver(route.shard, h, &pkt, err);
    if (route.quoted_shard < n) {
      h.flags = kRecordQuotedOnly;
      deliver(route.quoted_shard, h, &pkt, err);
    }
    if (route.to_every_shard) {
      h.flags = kRecordNeighborOnly;
      for (unsigned i = 0; i < n; ++i)
        if (i != route.shard) deliver(i, h, &pkt, err);
    }
  };
  capture_loop(
      stop, summary,
      [&](const capture::Packet& pkt) {
        if (pkt.ts.usec > clock_usec) clock_usec = pkt.ts.usec;
        // Most packets need no decode here: the worker decodes them anyway (callgrind: the
        // decode to route was half of what --threads 2 executed beyond --threads 1).
        const std::optional<unsigned> quick = quick_shard(link_, pkt.bytes(), map);
        if (quick && *quick >= first_worker) push(*quick, RecordHeader{pkt.ts.usec, pkt.caplen, pkt.len, 0, 0}, pkt.data);
        else decode_and_deliver(pkt);
        if (clock_usec - last_tick_usec >= flow::Tracker::kExpireEveryUsec) {
          last_tick_usec = clock_usec;
          tick_every_shard(clock_usec);
        }
      },
      [&](core::Timestamp now) { tick_every_shard(now.usec); });
  workers.finish();
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
  std::lock_guard<std::mutex> lock(views_mutex_);
  views_.resize(shards_.size());
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    shards_[i]->take_delta(delta_, counters);
    views_[i].apply(std::move(delta_));
    views_[i].append_to(rows);
  }
  counters.attribution_enabled = source_->is_live();
  counters.attribution_status = attribution_status();
}

}  // namespace wiretop::engine
