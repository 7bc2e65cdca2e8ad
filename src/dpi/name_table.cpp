#include "dpi/name_table.h"

#include <algorithm>

#include "core/hash.h"

namespace wiretop::dpi {

std::size_t NameTable::AddressHash::operator()(const core::IpAddress& a) const {
  return static_cast<std::size_t>(core::hash_bytes(a.bytes().data(), a.bytes().size(), 0x6e61));
}

void NameTable::learned_name(core::Timestamp ts, const core::IpAddress& address,
                             std::string_view name) {
  if (name.empty() || address.empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = names_.try_emplace(address);
  if (inserted) {
    insertion_order_.push_back(address);
    if (names_.size() > max_addresses_) {
      names_.erase(insertion_order_.front());
      insertion_order_.pop_front();
      it = names_.find(address);
    }
  }
  std::vector<Learned>& list = it->second;
  // Kept sorted by time (workers may report slightly out of order). The same
  // name again only refreshes nothing: the first sighting is what counts.
  for (const Learned& l : list)
    if (l.name == name && l.ts <= ts) return;
  const auto pos = std::upper_bound(list.begin(), list.end(), ts,
                                    [](core::Timestamp t, const Learned& l) { return t < l.ts; });
  list.insert(pos, Learned{ts, std::string(name)});
  if (list.size() > kNamesPerAddress) list.erase(list.begin());
}

std::string NameTable::lookup(const core::IpAddress& address, core::Timestamp at) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = names_.find(address);
  if (it == names_.end()) return {};
  const Learned* best = nullptr;
  for (const Learned& l : it->second)
    if (l.ts <= at) best = &l;
  return best ? best->name : std::string();
}

std::size_t NameTable::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return names_.size();
}

}  // namespace wiretop::dpi
