#include "model/listener_row.h"

#include "core/hash.h"

namespace wiretop::model {
namespace {

core::IpAddress wildcard(bool v4) {
  static const std::array<std::uint8_t, 16> kZero{};
  return v4 ? core::IpAddress::v4(0) : core::IpAddress::v6_bytes(core::Bytes(kZero.data(), kZero.size()));
}

}  // namespace

std::size_t ListenerCounter::KeyHash::operator()(const Key& k) const {
  return static_cast<std::size_t>(
      core::hash_bytes(k.ip.bytes().data(), k.ip.bytes().size(), (std::uint64_t{k.ip_proto} << 16) | k.port));
}

void ListenerCounter::add(const ConnectionRow& row) {
  if (!row.has_ports || (row.ip_proto != 6 && row.ip_proto != 17)) return;
  if (row.locality_known && !row.server_local) return;
  const Key key{row.ip_proto, row.server_ip, row.server_port};
  auto it = counts_.find(key);
  if (it != counts_.end()) ++it->second;
  else if (counts_.size() < kMaxKeys) counts_.emplace(key, 1);
}

void ListenerCounter::fill(std::vector<ListenerRow>& listeners) const {
  std::unordered_map<Key, std::size_t, KeyHash> index;
  for (std::size_t i = 0; i < listeners.size(); ++i) {
    listeners[i].connections = 0;
    index.try_emplace(Key{listeners[i].ip_proto, listeners[i].local_ip, listeners[i].local_port}, i);
  }
  const auto find = [&](std::uint8_t proto, const core::IpAddress& ip, std::uint16_t port) -> ListenerRow* {
    const auto it = index.find(Key{proto, ip, port});
    return it == index.end() ? nullptr : &listeners[it->second];
  };
  for (const auto& [key, count] : counts_) {
    ListenerRow* l = find(key.ip_proto, key.ip, key.port);
    if (!l) l = find(key.ip_proto, wildcard(key.ip.is_v4()), key.port);
    if (!l && key.ip.is_v4()) l = find(key.ip_proto, wildcard(false), key.port);
    if (l) l->connections += count;
  }
}

}  // namespace wiretop::model
