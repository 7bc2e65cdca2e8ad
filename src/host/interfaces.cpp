#include "host/interfaces.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <fstream>
#include <sstream>

namespace wiretop::host {
namespace {

// /proc/net/route: "Iface Destination Gateway Flags ..." with hex fields.
std::optional<std::string> ipv4_default_route() {
  std::ifstream in("/proc/net/route");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string iface, dest, gw, flags;
    if (!(fields >> iface >> dest >> gw >> flags)) continue;
    if (dest == "00000000" && (std::stoul(flags, nullptr, 16) & 0x1) != 0) return iface;
  }
  return std::nullopt;
}

// /proc/net/ipv6_route: dest, dest_len, src, src_len, next_hop, metric, refcnt, use, flags, iface.
std::optional<std::string> ipv6_default_route() {
  std::ifstream in("/proc/net/ipv6_route");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string dest, dest_len, src, src_len, hop, metric, refcnt, use, flags, iface;
    if (!(fields >> dest >> dest_len >> src >> src_len >> hop >> metric >> refcnt >> use >> flags >>
          iface))
      continue;
    if (dest == std::string(32, '0') && dest_len == "00" && iface != "lo") return iface;
  }
  return std::nullopt;
}

}  // namespace

DefaultInterface pick_default_interface() {
  if (auto v4 = ipv4_default_route()) return {*v4, "default route"};
  if (auto v6 = ipv6_default_route()) return {*v6, "IPv6 default route"};
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (ifaddrs* i = list; i; i = i->ifa_next) {
      if ((i->ifa_flags & IFF_UP) && !(i->ifa_flags & IFF_LOOPBACK) && i->ifa_name) {
        std::string name = i->ifa_name;
        freeifaddrs(list);
        return {name, "first interface that is up (no default route)"};
      }
    }
    freeifaddrs(list);
  }
  return {"lo", "loopback (no other interface is up)"};
}

std::vector<core::IpAddress> local_addresses() {
  std::vector<core::IpAddress> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr) continue;
    if (i->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      out.push_back(core::IpAddress::v4_bytes(
          core::Bytes(reinterpret_cast<const std::uint8_t*>(&sin->sin_addr), 4)));
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      out.push_back(core::IpAddress::v6_bytes(
          core::Bytes(reinterpret_cast<const std::uint8_t*>(&sin6->sin6_addr), 16)));
    }
  }
  freeifaddrs(list);
  return out;
}

bool interface_exists(const std::string& name) {
  if (name == "any") return true;
  return if_nametoindex(name.c_str()) != 0;
}

}  // namespace wiretop::host
