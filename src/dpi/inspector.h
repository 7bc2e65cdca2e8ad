#pragma once
// Per-shard deep packet inspection: decides which dissector owns a flow (by
// content; the port only breaks ties), reassembles TCP streams in order for
// it, feeds the first packets of each direction within a budget, then stops
// so the steady-state cost per packet is one slot lookup. DNS-like
// dissectors (Dissector::every_packet) see every packet.
//
// A flow's inspection state lives in a slot; the tracker's record keeps the
// slot number (0 = none) and the shard releases it when the record ends. When
// a flow's inspection finishes, its state (streams, session, the ~1.25 KB
// AppInfo) is freed and the slot keeps only a compact AppRecord (issue 9:
// memory at 100k flows); result() rebuilds an AppInfo from it on demand.

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/byte_reader.h"
#include "core/timestamp.h"
#include "dpi/app_info.h"
#include "dpi/app_record.h"
#include "dpi/dissector.h"
#include "proto/decoded_packet.h"

namespace wiretop::dpi {

struct InspectConfig {
  bool enabled = true;
  std::uint32_t packets_per_direction = 32;  // payload packets fed each way, then stop
  std::uint32_t probe_window = 2048;         // bytes of a TCP stream's start kept for probing
  std::uint32_t max_flow_buffer = 64 * 1024; // out-of-order bytes held per direction
  std::uint64_t max_total_buffer = 64ull << 20;  // all flows of one inspector together
};

struct InspectStats {
  std::uint64_t flows = 0;             // flows that carried payload
  std::uint64_t identified = 0;        // flows a dissector claimed
  std::uint64_t reassembly_gaps = 0;   // directions given up because a gap never filled
  std::uint64_t buffer_limit_hits = 0; // segments dropped at the per-flow or global cap
};

class Inspector final : private Expectations {
 public:
  // `registry`: the dissectors to choose from, in probe order (tests pass their own).
  Inspector(InspectConfig config, NameSink& names,
            std::span<const Dissector* const> registry = dissectors());
  ~Inspector() override;
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  // One decoded TCP/UDP packet (first fragment or whole datagram) of the flow
  // whose slot is `slot` (0 the first time; set here). `frame` is the buffer
  // `p` was decoded from.
  void on_packet(std::uint32_t& slot, const FlowInfo& flow, Direction dir,
                 const proto::DecodedPacket& p, core::Bytes frame, core::Timestamp ts);

  // Whether on_packet would do anything for this slot (false once a flow's
  // inspection has finished): lets the caller skip building a FlowInfo.
  // Parked flows are still inspecting.
  bool wants(std::uint32_t slot) const {
    return config_.enabled && (slot == 0 || slot > slots_.size() || !finished(slot));
  }

  // What the flow's inspection found so far (null: nothing). Cheap to call
  // repeatedly: the result is copied only when it changed since the last call,
  // and a finished flow's is rebuilt only when nobody holds the last one built.
  std::shared_ptr<const AppInfo> result(std::uint32_t slot);
  // Changes exactly when result() would return a different AppInfo (0: none
  // yet), without building one: lets a caller notice changes without keeping
  // the result alive.
  std::uint32_t version(std::uint32_t slot);
  // The names a per-packet note shows, without building an AppInfo: views
  // valid until the next call on this inspector.
  struct Names {
    std::string_view proto, sni, http_host;
  };
  Names names(std::uint32_t slot);
  // The flow ended: frees its state.
  void release(std::uint32_t& slot);

  const InspectStats& stats() const { return stats_; }
  std::uint64_t buffered_bytes() const { return buffered_; }

 private:
  struct Flow;
  struct Stream;
  struct Pending;
  // One flow: its live inspection state, or only the compact result once
  // finished, or parked between two datagrams of a UDP flow that keeps no
  // other state (an every-packet dissector's, or one not identified yet).
  struct Slot {
    std::unique_ptr<Flow> live;
    const Dissector* parked = nullptr;  // parked: the dissector to resume with
    AppRecord done;
    std::weak_ptr<const AppInfo> shared;  // the last AppInfo built from `done`, while held
    std::uint32_t version = 0;
    std::array<std::uint16_t, 2> parked_packets{};  // parked unidentified: payload packets each way
  };

  Flow* flow_at(std::uint32_t slot);
  bool finished(std::uint32_t slot) const;
  std::uint32_t allocate();
  void feed_packet(std::uint32_t& slot, const FlowInfo& info, Direction dir,
                   const proto::DecodedPacket& p, core::Bytes frame, core::Timestamp ts);
  void retire(std::uint32_t slot);
  bool parkable(const Flow& f, const FlowInfo& info) const;
  void park(std::uint32_t slot);
  Flow& resume(std::uint32_t slot);
  void feed_tcp(Flow& f, const FlowInfo& info, Direction dir, const proto::DecodedPacket& p,
                core::Bytes payload, core::Timestamp ts);
  void deliver(Flow& f, const FlowInfo& info, Direction dir, core::Bytes data, core::Timestamp ts);
  void probe_and_feed(Flow& f, const FlowInfo& info, Direction dir, core::Bytes data,
                      core::Timestamp ts);
  const Dissector* choose(const FlowInfo& info, Direction dir, core::Bytes start, bool& maybe) const;
  void start_session(Flow& f, const Dissector& d);
  void feed_session(Flow& f, const FlowInfo& info, Direction dir, core::Bytes data,
                    core::Timestamp ts);
  void finish(Flow& f);
  void drop_buffers(Flow& f);
  bool expected_proto(const FlowInfo& info, core::Timestamp ts, std::string_view& proto);
  void expect(core::Timestamp ts, const core::IpAddress& address, std::uint16_t port,
              std::string_view proto) override;

  InspectConfig config_;
  NameSink& names_;
  std::span<const Dissector* const> registry_;
  InspectStats stats_;
  std::vector<Slot> slots_;  // slot - 1
  TextPool pool_;            // the records' repeated texts
  std::vector<std::uint32_t> free_;
  std::uint64_t buffered_ = 0;

  struct Expected {
    core::IpAddress address;
    std::uint16_t port = 0;
    std::string_view proto;
    core::Timestamp ts;
  };
  static constexpr std::size_t kMaxExpected = 256;
  static constexpr std::int64_t kExpectUsec = 120'000'000;
  std::vector<Expected> expected_;
};

}  // namespace wiretop::dpi
