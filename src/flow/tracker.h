#pragma once
// The connection tracker: turns decoded packets into connection records,
// expires them on the packet clock, and hands each finished record to a sink.

#include <bitset>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "flow/connection.h"
#include "flow/flow_table.h"
#include "flow/neighbors.h"
#include "proto/decoded_packet.h"

namespace wiretop::flow {

// Idle timeouts by kind of record, on the packet clock.
struct TimeoutPolicy {
  core::Duration tcp_handshake = core::Duration::seconds(30);
  core::Duration tcp_established = core::Duration::seconds(300);
  core::Duration tcp_half_closed = core::Duration::seconds(120);
  // After close or reset a record lingers so late segments still join it.
  core::Duration tcp_closed = core::Duration::seconds(10);
  core::Duration udp = core::Duration::seconds(30);
  core::Duration dns = core::Duration::seconds(5);  // port 53, 5353 (mDNS), 5355 (LLMNR)
  core::Duration icmp = core::Duration::seconds(10);
  core::Duration other = core::Duration::seconds(60);
};

struct TrackerConfig {
  std::uint32_t max_flows = 1'000'000;
  TimeoutPolicy timeouts;
  // Ports with a service registered in /etc/services (index: port): the server
  // of a flow without a handshake is the side on such a port. Null: ports < 1024.
  const std::bitset<65536>* tcp_service_ports = nullptr;
  const std::bitset<65536>* udp_service_ports = nullptr;
  // The host's own addresses, live only: marks each side local or remote.
  std::vector<core::IpAddress> local_addresses;
  std::uint64_t hash_seed = 0x9e3779b97f4a7c15ULL;
  std::uint64_t first_id = 1;  // ids are first_id, first_id + id_stride, ...
  std::uint64_t id_stride = 1;
  // Keep each record's byte rate window (the views show rates; --json does not).
  bool track_rates = true;
};

struct TrackerStats {
  std::uint64_t evictions = 0;
  std::uint64_t unmatched_fragments = 0;  // non-first fragment whose first fragment we never saw
  std::uint64_t fragment_table_overwrites = 0;
  std::uint64_t neighbor_updates = 0;
};

class Tracker {
 public:
  using EndSink = std::function<void(const Connection&, EndReason)>;
  // Expiry runs when a packet moves the clock this far past the last run:
  // timeouts are seconds long. The sharded engine replays the same instants.
  static constexpr std::int64_t kExpireEveryUsec = 100'000;

  Tracker(TrackerConfig config, EndSink on_end);

  // The record a packet was accounted to, and which way the packet went.
  struct Touched {
    Connection* connection = nullptr;  // null: not a connection's packet (ARP, fragment)
    int direction = kC2S;
  };
  // Accounts one decoded frame (DecodeError::None) captured at `ts` with
  // pcap original length `frame_len`. The returned record stays valid until
  // the next call that may create or end records.
  Touched process(const proto::DecodedPacket& p, core::Timestamp ts, std::uint32_t frame_len);
  // Accounts only the ICMP error's effect on the flow it quotes (when the
  // error record itself is tracked in another shard).
  void process_quoted_error(const proto::DecodedPacket& p, core::Timestamp ts);
  // Advances the packet clock without a packet (live idle ticks) and expires.
  void advance(core::Timestamp now);
  // Ends every record with `reason` (end of input, shutdown).
  void flush(EndReason reason);

  std::uint32_t size() const { return table_.size(); }
  const TrackerStats& stats() const { return stats_; }
  const NeighborTable& neighbors() const { return neighbors_; }
  core::Timestamp now() const { return now_; }
  // How long `c` may stay silent before it expires, for its current state.
  core::Duration idle_timeout(const Connection& c) const { return timeout_of(timeout_class_of(c)); }

  // The rate window of an open record, or null when rates are not tracked.
  const RateWindow* rate_of(const Connection& c) const;

  template <typename Fn>
  void for_each(Fn&& fn) const {
    table_.for_each(fn);
  }
  // fn(index, record): `index` is the record's handle for mark_changed while it stays open.
  template <typename Fn>
  void for_each_indexed(Fn&& fn) const {
    table_.for_each_indexed(fn);
  }

  // Delta snapshots (issue 9). From track_changes() on, every record a packet
  // changed (and any passed to mark_changed) is listed once until
  // drain_changed() hands each one still open to fn(record) and forgets them.
  // The list grows only when a record is first changed in a period: no
  // allocation per packet once it reached its high-water mark.
  void track_changes() { tracking_changes_ = true; }
  void mark_changed(std::uint32_t index) {
    if (!tracking_changes_) return;
    if (index >= changed_flag_.size()) changed_flag_.resize(index + 1);
    if (changed_flag_[index]) return;
    changed_flag_[index] = 1;
    changed_.push_back(index);
  }
  template <typename Fn>
  void drain_changed(Fn&& fn) {
    for (const std::uint32_t index : changed_) {
      changed_flag_[index] = 0;
      const Connection& c = table_.at(index);
      if (c.id != 0) fn(c);  // 0: ended since (an erased slot keeps no id)
    }
    changed_.clear();
  }

 private:
  enum TimeoutClass : std::uint8_t {
    kTcpHandshake, kTcpEstablished, kTcpHalfClosed, kTcpClosed, kUdp, kDns, kIcmp, kOther, kClassCount
  };
  std::uint32_t lookup_or_create(const KeyedPacket& kp, const proto::DecodedPacket& p,
                                 std::uint64_t hash);
  void start_record(Connection& c, const KeyedPacket& kp, const proto::DecodedPacket& p);
  void end_record(std::uint32_t index, EndReason reason);
  std::uint8_t timeout_class_of(const Connection& c) const;
  core::Duration timeout_of(std::uint8_t cls) const;
  void expire();
  void remember_first_fragment(const proto::DecodedPacket& p, std::uint32_t index);
  void account_fragment(const proto::DecodedPacket& p, core::Timestamp ts);
  void account_quoted_error(const proto::DecodedPacket& p);
  void account_echo(Connection& c, int dir, const proto::DecodedPacket& p, std::int64_t usec);
  bool is_local(const core::IpAddress& a) const;
  void touch(std::uint32_t index, std::uint8_t cls);
  std::uint32_t stalest();

  struct FragmentEntry {
    core::IpAddress src, dst;
    std::uint32_t frag_id = 0;
    std::uint8_t ip_proto = 0;
    std::uint32_t index = FlowTable::kNil;
    std::uint64_t flow_id = 0;
  };
  static constexpr std::size_t kFragmentSlots = 4096;

  TrackerConfig config_;
  EndSink on_end_;
  FlowTable table_;
  NeighborTable neighbors_;
  TrackerStats stats_;
  core::Timestamp now_;
  std::int64_t last_expire_usec_ = 0;
  std::uint64_t next_id_;
  std::vector<FragmentEntry> fragments_;
  bool tracking_changes_ = false;
  std::vector<std::uint8_t> changed_flag_;  // by record index: listed in changed_
  std::vector<std::uint32_t> changed_;
};

}  // namespace wiretop::flow
