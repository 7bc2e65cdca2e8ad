#pragma once
// A listening socket as the views and exporters see it (issue 10): a TCP
// socket in LISTEN or a bound, unconnected UDP socket, its owner, whether it
// can be reached from outside the host, and how many tracked connections it
// serves. The engine fills them from the attribution helper's list; the
// connection counts come from rows (ListenerCounter).

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ip_address.h"
#include "model/connection_row.h"

namespace wiretop::model {

struct ListenerRow {
  std::uint8_t ip_proto = 0;  // 6 TCP, 17 UDP
  core::IpAddress local_ip;   // 0.0.0.0 or :: for a wildcard bind
  std::uint16_t local_port = 0;
  std::uint32_t pid = 0;      // 0: owner unknown
  std::string process, user;  // empty when unknown
  std::uint32_t uid = 0;
  bool exposed = false;       // bound to a wildcard or a non-loopback address
  std::uint64_t connections = 0;
};

// Reachable from other hosts: any address but loopback (a wildcard includes the host's public ones).
inline bool listener_exposed(const core::IpAddress& local) { return !local.is_loopback(); }

// Counts connections per listener. A connection belongs to the listener that
// the kernel would pick for it: the one bound to its local (server) address,
// else the same family's wildcard, else (IPv4 connection) the IPv6 wildcard,
// which a dual-stack socket serves.
class ListenerCounter {
 public:
  // Rows whose server end is known to be remote are left out (outgoing connections).
  void add(const ConnectionRow& row);
  // Sets each listener's `connections` from the rows added so far.
  void fill(std::vector<ListenerRow>& listeners) const;

 private:
  struct Key {
    std::uint8_t ip_proto = 0;
    core::IpAddress ip;
    std::uint16_t port = 0;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  // Distinct server ends are few (local services); this bounds a long run's memory.
  static constexpr std::size_t kMaxKeys = 1u << 16;
  std::unordered_map<Key, std::uint64_t, KeyHash> counts_;
};

}  // namespace wiretop::model
