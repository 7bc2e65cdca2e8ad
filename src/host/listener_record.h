#pragma once
// What the attribution helper tells the main process about listening sockets
// (issue 10): every TCP socket in LISTEN and every bound, unconnected UDP
// socket, with its owner. The helper sends the whole list as one batch of
// fixed-size records (the last one flagged) whenever the list changes; the
// main process validates each record and replaces its list at the batch's
// end. Its size differs from OwnerRecord's, which is how the receiver tells
// the two apart on the one SOCK_SEQPACKET socket.

#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "host/owner_record.h"

namespace wiretop::host {

struct ListenerRecord {
  static constexpr std::uint32_t kMagic = 0x57544c31;  // "WTL1": format version
  static constexpr std::uint8_t kLast = 1;             // flags: the batch's last record
  static constexpr std::uint8_t kEmpty = 2;            // flags: no listener at all (a batch of one)
  // Ordered so the struct has no padding: records compare with memcmp.
  std::uint32_t magic = kMagic;
  std::uint8_t ip_proto = 0;  // 6 TCP, 17 UDP
  std::uint8_t family = 0;    // 4 or 6
  std::uint8_t flags = 0;
  std::uint8_t reserved = 0;
  std::uint64_t inode = 0;
  std::array<std::uint8_t, 16> local_ip{};  // IPv4 in the first 4 bytes; all zero: wildcard
  std::uint16_t local_port = 0;             // host byte order
  std::uint16_t reserved2 = 0;
  std::uint32_t pid = 0;  // 0: the owner is unknown (another pid namespace, gone)
  std::uint32_t uid = 0;  // the socket's
  std::array<char, 64> name{};  // process name, NUL-terminated, empty when unknown
  std::array<char, 32> user{};  // the uid's name, NUL-terminated
  std::uint32_t reserved3 = 0;
};
static_assert(std::is_trivially_copyable_v<ListenerRecord>);
static_assert(std::has_unique_object_representations_v<ListenerRecord>, "no padding");
static_assert(sizeof(ListenerRecord) != sizeof(OwnerRecord), "the receiver tells records apart by size");

// At most this many listeners per batch (a host with more is odd; the rest are left out).
inline constexpr std::size_t kMaxListeners = 4096;

// TCP in LISTEN (10), or UDP bound and unconnected (the kernel's TCP_CLOSE, 7, without a peer).
inline bool is_listener(std::uint8_t ip_proto, std::uint8_t state, std::uint16_t local_port,
                        std::uint16_t remote_port) {
  constexpr std::uint8_t kTcpListen = 10, kTcpClose = 7;
  if (local_port == 0) return false;
  return ip_proto == 6 ? state == kTcpListen : ip_proto == 17 && state == kTcpClose && remote_port == 0;
}

// Validation on the receiving side: magic, enums, flags, NUL-terminated text, IPv4 in 4 bytes.
bool listener_record_ok(const ListenerRecord& rec);

}  // namespace wiretop::host
