#pragma once
// The main process's side of attribution (issue 6): validates each record the
// helper sends and keeps socket -> process entries; a copy of the table is
// published read-only for the shards, which look rows up in it without locks.
// Connected sockets are keyed by their 5-tuple, listeners and unconnected UDP
// sockets by protocol and local address:port (a wildcard address matches any).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "core/ip_address.h"
#include "host/owner_record.h"
#include "host/process_info.h"

namespace wiretop::host {

enum class RecordCheck : std::uint8_t { kOk, kBadMagic, kBadEnum, kBadText, kBadAddress };
// Everything a record's reader relies on: magic, enum values, NUL-terminated
// text, family-consistent addresses, a local port.
RecordCheck check_record(const OwnerRecord& rec);

// The record's process half (parents up to the first 0 pid).
ProcessInfo process_info_of(const OwnerRecord& rec);

class OwnerTable {
 public:
  // Ended sockets stay this long, so connections reported after their socket
  // closed (their end is seen later on the wire, or at a timeout) still find it.
  static constexpr std::int64_t kEndedGraceUsec = 120'000'000;
  static constexpr std::size_t kMaxEntries = 1u << 20;

  // Adds or replaces the record's entry (now: wall clock). A record from a
  // worse source does not replace a live entry of a better one for the same pid.
  void apply(const OwnerRecord& rec, std::int64_t now_usec);
  // Drops entries ended more than kEndedGraceUsec before now.
  void expire(std::int64_t now_usec);

  // The owner of the local end `local`:`lport` talking to `remote`:`rport`;
  // with `listener_fallback`, also the listening or unconnected socket on
  // `local`:`lport` (or the wildcard address). Null when unknown.
  std::shared_ptr<const ProcessInfo> find(std::uint8_t ip_proto, const core::IpAddress& local, std::uint16_t lport,
                          const core::IpAddress& remote, std::uint16_t rport,
                          bool listener_fallback) const;

  std::size_t size() const { return entries_.size(); }
  std::uint64_t cap_hits() const { return cap_hits_; }

 private:
  struct Key {
    std::uint8_t ip_proto = 0;
    core::IpAddress local, remote;  // remote empty: a listener/unconnected entry
    std::uint16_t lport = 0, rport = 0;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  struct Entry {
    std::shared_ptr<const ProcessInfo> info;
    std::int64_t ended_usec = 0;  // 0 while open
    std::uint64_t inode = 0;      // the socket's, 0 when the source did not know it
  };
  const std::shared_ptr<const ProcessInfo>* find_key(const Key& k) const;

  std::unordered_map<Key, Entry, KeyHash> entries_;
  std::uint64_t cap_hits_ = 0;
};

}  // namespace wiretop::host
