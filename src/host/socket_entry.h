#pragma once
// One local socket as sock_diag or /proc/net lists it: the socket half of an
// OwnerRecord, before its pid is known.

#include <array>
#include <cstdint>

namespace wiretop::host {

struct SocketEntry {
  std::uint8_t ip_proto = 0;  // 6 TCP, 17 UDP
  std::uint8_t family = 0;    // 4 or 6
  std::uint8_t state = 0;     // the kernel's TCP state number (UDP: 1 connected, 7 unconnected)
  std::array<std::uint8_t, 16> local_ip{}, remote_ip{};  // IPv4 in the first 4 bytes
  std::uint16_t local_port = 0, remote_port = 0;
  std::uint32_t uid = 0;
  std::uint64_t inode = 0;
};

// A v4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack socket reports
// for IPv4 peers) becomes the IPv4 entry the packets show.
inline void unmap_v4(SocketEntry& e) {
  if (e.family != 6) return;
  const auto& l = e.local_ip;
  for (int i = 0; i < 10; ++i)
    if (l[static_cast<std::size_t>(i)] != 0) return;
  if (l[10] != 0xff || l[11] != 0xff) return;
  e.family = 4;
  for (std::size_t i = 0; i < 4; ++i) {
    e.local_ip[i] = e.local_ip[12 + i];
    e.remote_ip[i] = e.remote_ip[12 + i];
  }
  for (std::size_t i = 4; i < 16; ++i) e.local_ip[i] = e.remote_ip[i] = 0;
}

}  // namespace wiretop::host
