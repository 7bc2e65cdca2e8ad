#include "flow/neighbors.h"

namespace wiretop::flow {

bool NeighborTable::learn(const core::IpAddress& ip, const Mac& mac) {
  for (auto& e : entries_) {
    if (e.ip == ip) {
      if (e.mac == mac) return false;
      e.mac = mac;
      return true;
    }
  }
  if (entries_.size() >= kCapacity) {
    ++dropped_;
    return false;
  }
  entries_.push_back({ip, mac});
  return true;
}

const NeighborTable::Mac* NeighborTable::find(const core::IpAddress& ip) const {
  for (const auto& e : entries_)
    if (e.ip == ip) return &e.mac;
  return nullptr;
}

}  // namespace wiretop::flow
