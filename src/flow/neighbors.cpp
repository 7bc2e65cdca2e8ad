#include "flow/neighbors.h"

namespace wiretop::flow {

bool NeighborTable::learn(const core::IpAddress& ip, const Mac& mac) {
  auto it = entries_.find(ip);
  if (it != entries_.end()) {
    if (it->second == mac) return false;
    it->second = mac;
    return true;
  }
  if (entries_.size() >= kCapacity) {
    ++dropped_;
    return false;
  }
  entries_.emplace(ip, mac);
  return true;
}

const NeighborTable::Mac* NeighborTable::find(const core::IpAddress& ip) const {
  auto it = entries_.find(ip);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace wiretop::flow
