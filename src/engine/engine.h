#pragma once
// Wires capture → shards → sink together and owns the start-up order:
// open() acquires everything that needs privilege or the file system; run()
// only reads packets (the sandbox issue inserts itself between the two).

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "capture/packet_source.h"
#include "core/result.h"
#include "dpi/inspector.h"
#include "dpi/name_table.h"
#include "engine/alerts.h"
#include "engine/attribution.h"
#include "engine/redactor.h"
#include "engine/row_map.h"
#include "engine/shard.h"
#include "engine/summary.h"
#include "export/outputs.h"
#include "export/service_names.h"
#include "proto/decoded_packet.h"

namespace wiretop::engine {

struct EngineOptions {
  std::string interface;    // live capture; empty: the default route's interface (see notice())
  std::string read_file;    // offline capture
  std::string bpf_filter;
  unsigned threads = 1;     // shard workers; 1 runs everything inline on the capture thread
  std::uint32_t max_flows = 1'000'000;
  bool track_rates = true;  // per-connection byte rates, for the views (--json needs none)
  double duration_seconds = 0;  // live: stop after this long (0: until stopped)
  std::size_t ring_bytes = 32u << 20;  // per shard (live; offline rings are smaller, see engine.cpp)
  // The machine's cores (0: std::thread::hardware_concurrency()). With
  // threads >= cores the capture thread handles shard 0 itself (run_sharded).
  unsigned cores = 0;
  dpi::InspectConfig inspect;          // deep packet inspection budget and caps
  double replay_speed = 0;  // offline: replay at this multiple of the capture's pace (0: at once)
  bool attribution = true;  // live: fork the attribution helper (socket -> process)
  HelperConfig helper;      // its sources and refresh interval
  std::optional<AlertRules> alerts;  // --alerts: evaluate these rules on connection events
  bool redact = false;      // --redact: pseudonymise addresses and names in everything that leaves (redactor.h)
};

// Where raised alerts go (the JSON log, --json, syslog, the TUI), serialised like the row sink.
using AlertSink = std::function<void(const model::Alert&)>;

class Engine {
 public:
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Opens the capture and reads the lookup tables. The error is one line for the user.
  static core::Result<std::unique_ptr<Engine>, std::string> open(EngineOptions options,
                                                                 const exporting::ServiceNames& names);

  // Captures until the input ends, the duration passes, or `stop` becomes true;
  // every connection reaches `sink` exactly once. Runs on the calling thread.
  Summary run(RowSink sink, const std::atomic<bool>& stop);
  // Before run(): connection events ("new", "update", and "closed" just before
  // the row reaches run()'s sink) for the JSON log, serialised like the sink.
  void set_event_sink(EventSink sink);
  // Before run(), with EngineOptions::alerts: raised alerts go to `sink`.
  void set_alert_sink(AlertSink sink) { alert_sink_ = std::move(sink); }
  bool alerts_enabled() const { return alerts_ != nullptr; }

  // From another thread while run() runs: the open connections as of the last
  // snapshot each shard served, and live counters. The shards serve only what
  // changed; the engine patches its copy of every open row with that.
  void request_snapshot();
  void take_snapshot(std::vector<model::ConnectionRow>& rows, Summary& counters);

  const std::string& interface() const { return options_.interface; }
  // A one-line notice for the user about a choice open() made (which interface), or empty.
  const std::string& notice() const { return notice_; }
  bool live() const { return source_->is_live(); }
  // Live capture: the attribution state for the header ("running (sock_diag)",
  // "lost: <why>", "off: <why>"); empty offline.
  std::string attribution_status() const;
  // Live with the attribution helper: the listening sockets it last listed
  // (connection counts left at 0). False offline, without the helper, or
  // before its first list.
  bool listeners(std::vector<model::ListenerRow>& out) const;
  int datalink() const { return source_->datalink(); }
  // --pcap-export, --pcapng-export, --ipfix: fed from here on (owned by the caller,
  // who keeps it alive until run() returns). Call before run().
  void attach_outputs(exporting::Outputs* outputs);

 private:
  Engine(EngineOptions options, std::unique_ptr<capture::PacketSource> source,
         proto::LinkType link, flow::TrackerConfig tracker);
  void run_inline(const std::atomic<bool>& stop, Summary& summary);
  void run_sharded(const std::atomic<bool>& stop, Summary& summary);
  // Reads the source until it ends or should_stop(); on_packet for each packet,
  // on_idle(wall clock) when a live read times out.
  template <typename OnPacket, typename OnIdle>
  void capture_loop(const std::atomic<bool>& stop, Summary& summary, OnPacket on_packet,
                    OnIdle on_idle);
  bool should_stop(const std::atomic<bool>& stop, core::Timestamp started) const;
  void report_capture_counters(const Summary& summary);
  // --replay-speed: sleeps until packet time `ts` is due, serving snapshots
  // meanwhile; false when stopped while waiting.
  bool wait_until_due(core::Timestamp ts, const std::atomic<bool>& stop);
  // Shards report connection events when the JSON log or the alert rules want them.
  void install_event_sinks();
  // Evaluates the alert rules on one event; called with sink_mutex_ held (several shards).
  void raise_alerts(const model::ConnectionRow& row, bool closed);

  EngineOptions options_;
  std::unique_ptr<capture::PacketSource> source_;
  proto::LinkType link_;
  flow::TrackerConfig tracker_config_;
  dpi::NameTable names_;  // DNS answers seen by any shard; read when records are emitted
  std::vector<std::unique_ptr<Shard>> shards_;
  RowSink sink_;
  EventSink events_;
  std::unique_ptr<Alerts> alerts_;  // null: --alerts not given
  AlertSink alert_sink_;
  std::vector<model::Alert> raised_;  // reused per event
  std::string notice_;
  core::Timestamp replay_first_packet_, replay_started_;  // --replay-speed: the two clocks' origins
  std::unique_ptr<Attribution> attribution_;  // live only; null when off or it could not start
  std::unique_ptr<Redactor> redactor_;        // --redact only
  std::string attribution_off_;               // why it is off (live)
  exporting::Outputs* outputs_ = nullptr;
  core::Timestamp last_counters_report_;  // wall clock (--metrics)
  std::mutex sink_mutex_;  // serialises sink_ calls from several shard workers
  bool capture_handles_shard0_ = true;  // shard 0 runs on the capture thread (it serves its snapshots)
  std::mutex views_mutex_;  // take_snapshot's callers
  std::vector<RowMap> views_;  // per shard: its open rows as its deltas left them
  RowDelta delta_;             // reused by take_snapshot
};

}  // namespace wiretop::engine
