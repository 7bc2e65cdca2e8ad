#pragma once
// IP → MAC bindings learned from ARP and IPv6 neighbour discovery, capped.

#include <array>
#include <cstdint>
#include <vector>

#include "core/ip_address.h"

namespace wiretop::flow {

class NeighborTable {
 public:
  using Mac = std::array<std::uint8_t, 6>;
  static constexpr std::size_t kCapacity = 4096;

  // Returns true when the binding is new or changed.
  bool learn(const core::IpAddress& ip, const Mac& mac);
  const Mac* find(const core::IpAddress& ip) const;
  std::size_t size() const { return entries_.size(); }
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct Entry {
    core::IpAddress ip;
    Mac mac;
  };
  std::vector<Entry> entries_;  // small: on-link peers only
  std::uint64_t dropped_ = 0;
};

}  // namespace wiretop::flow
