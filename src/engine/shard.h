#pragma once
// One slice of the flow table and the thread (or inline loop) that owns it:
// decode → track → inspect, and hand finished connections to the sink.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/shard_progress.h"
#include "engine/spsc_ring.h"
#include "engine/summary.h"
#include "dpi/inspector.h"
#include "dpi/name_table.h"
#include "engine/attribution.h"
#include "engine/redactor.h"
#include "engine/row_map.h"
#include "export/outputs.h"
#include "flow/tracker.h"
#include "model/connection_row.h"
#include "proto/decoded_packet.h"

namespace wiretop::engine {

using RowSink = std::function<void(const model::ConnectionRow&)>;
// Connection events for the JSON log (issue 8): "new" on a connection's first
// packet, "update" when DPI names it or its process becomes known, and (when
// asked for) "change" when DPI learned more of it.
using EventSink = std::function<void(std::string_view event, const model::ConnectionRow&)>;

class Shard {
 public:
  Shard(flow::TrackerConfig config, proto::LinkType link, dpi::InspectConfig inspect,
        dpi::NameTable& names, RowSink sink);

  // Decodes and tracks one frame (flags: kRecordQuotedOnly, kRecordNeighborOnly, kRecordTick).
  void handle(core::Timestamp ts, std::uint32_t len, core::Bytes frame, std::uint32_t flags);
  // For the capture thread when it handles this shard itself: it decodes a
  // frame once, into this shard's buffer, both to route it (decoded()) and to
  // handle it (handle_decoded(), as handle() would, without decoding again).
  proto::DecodeError decode(core::Bytes frame) { return proto::decode_packet(link_, frame, packet_); }
  const proto::DecodedPacket& decoded() const { return packet_; }
  void handle_decoded(core::Timestamp ts, std::uint32_t len, core::Bytes frame, std::uint32_t flags,
                      proto::DecodeError err);
  // Worker loop: drains `ring` until `producer_done` is set and the ring is empty.
  void run(SpscRing& ring, const std::atomic<bool>& producer_done);
  // Ends every open record.
  void finish(flow::EndReason reason);

  // Snapshot hand-off to the view thread: the first served snapshot holds
  // every open connection, each later one what changed since (row_map.h).
  void request_snapshot() { snapshot_requested_.store(true, std::memory_order_release); }
  void serve_snapshot_if_requested();
  // Moves out what was served since the last call (deltas served meanwhile are
  // joined, oldest first) and merges the counters of the newest.
  void take_delta(RowDelta& out, Summary& counters);
  // Ended ids kept for the next delta (8 bytes each); past this many, the next
  // snapshot is full instead. Tests lower it.
  static constexpr std::size_t kMaxEndedIds = std::size_t{1} << 18;
  void set_max_ended_ids(std::size_t n) { max_ended_ids_ = n; }

  Summary counters() const;
  // Sharded engine: this shard is number `index` of `progress`'s workers; it
  // reports its progress there and, before emitting a record named from DNS,
  // waits for the others (shard_progress.h).
  // Live capture: rows get their processes from this (may be null).
  void set_attribution(const Attribution* attribution) { attribution_ = attribution; }
  // --redact: rows and packet notes are pseudonymised as they are made (null: off).
  void set_redactor(const Redactor* redactor) { redactor_ = redactor; }
  // Reports new/update events to `sink` from here on (empty: none, the default).
  // every_change: also "change" when DPI learned more without a new name (for the alert rules).
  void set_event_sink(EventSink sink, bool every_change = false) {
    events_ = std::move(sink);
    every_change_ = every_change;
  }
  void join_progress(ShardProgress* progress, unsigned index) {
    progress_ = progress;
    index_ = index;
  }
  // Exports that want each handled frame with what is known of its connection.
  void attach_outputs(exporting::Outputs* outputs) { outputs_ = outputs && outputs->wants_notes() ? outputs : nullptr; }

 private:
  model::ConnectionRow make_row(const flow::Connection& c, flow::EndReason reason,
                                const host::OwnerTable* owners);
  void count_attribution(const model::ConnectionRow& row);
  RowDelta serve_delta(const std::shared_ptr<const host::OwnerTable>& owners);
  void mark_new_owners(const host::OwnerTable* before, const host::OwnerTable* now);
  void note_new_neighbor(const core::IpAddress& ip);
  void note_ended(std::uint64_t id);
  void mark_new_neighbors();
  void report_events(const flow::Connection& c, bool inspected, core::Timestamp ts);

  // What the event sink was last told of an open connection.
  // Holds numbers, not the AppInfo: keeping the result of every open
  // connection alive here would undo the inspector's compact results (issue 9).
  struct Announced {
    std::uint32_t app_version = 0;  // Inspector::version of the DPI result then
    std::uint64_t app_key = 0;      // hash of proto + server name: a change is an update
    std::uint8_t processes = 0;       // bit 0: the client's process known, bit 1: the server's
    std::uint8_t process_checks = 0;  // looked up this many times (capped: a remote end has none)
    std::int64_t next_process_check = 0;  // packet clock, µs
  };
  void inspect(flow::Connection& c, int direction, core::Bytes frame, core::Timestamp ts);
  // Hands the frame to the outputs with what is known of its connection (null: none).
  std::shared_ptr<const host::ProcessInfo> local_owner(const flow::Connection& c,
                                                      const exporting::PacketNote& n) const;
  void note_packet(const flow::Connection* c, int direction, std::uint32_t len, core::Bytes frame, core::Timestamp ts);

  dpi::NameTable& names_;
  dpi::Inspector inspector_;
  flow::Tracker tracker_;
  proto::LinkType link_;
  RowSink sink_;
  proto::DecodedPacket packet_;
  // Every ARP/NDP binding in the capture, whichever shard its packet belongs
  // to: a row's ends are named from here, so with any number of shards a MAC
  // is known exactly when the inline pipeline would know it (the capture
  // thread copies each such packet to every shard, in packet order).
  flow::NeighborTable neighbors_;
  Summary counters_;
  std::uint32_t served_since_ = 0;
  ShardProgress* progress_ = nullptr;
  const Attribution* attribution_ = nullptr;
  const Redactor* redactor_ = nullptr;
  EventSink events_;
  bool every_change_ = false;
  std::unordered_map<std::uint64_t, Announced> announced_;  // by connection id; only with events_
  exporting::Outputs* outputs_ = nullptr;
  unsigned index_ = 0;

  std::atomic<bool> snapshot_requested_{false};
  // Delta snapshots: off until the first snapshot is served (offline --json never pays).
  bool deltas_on_ = false;
  // Addresses whose MAC binding is new or changed since the last snapshot: the
  // rows of their connections are served again. Past the cap (an ARP storm),
  // every row is.
  static constexpr std::size_t kNewNeighborsCap = 64;
  std::vector<core::IpAddress> new_neighbors_;
  bool serve_full_ = false;  // the next snapshot is a full one (a cap above was hit)
  std::vector<std::uint64_t> ended_ids_;  // since the last served snapshot, at most max_ended_ids_
  std::size_t max_ended_ids_ = kMaxEndedIds;
  std::shared_ptr<const host::OwnerTable> served_owners_;  // the rows served so far were attributed from it
  mutable std::mutex snapshot_mutex_;
  RowDelta pending_;  // served, not yet taken
  Summary snapshot_counters_;
};

}  // namespace wiretop::engine
