#pragma once
// IP → MAC bindings learned from ARP and IPv6 neighbour discovery, capped.
// Hashed: an ARP storm must cost a lookup per packet, not a scan.

#include <array>
#include <cstdint>
#include <unordered_map>

#include "core/hash.h"
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
  // Bindings not stored because the table was full.
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct IpHash {
    std::size_t operator()(const core::IpAddress& ip) const {
      return core::hash_bytes(ip.bytes().data(), ip.bytes().size(),
                              static_cast<std::uint64_t>(ip.family()));
    }
  };
  std::unordered_map<core::IpAddress, Mac, IpHash> entries_;
  std::uint64_t dropped_ = 0;
};

}  // namespace wiretop::flow
