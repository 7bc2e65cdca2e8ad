#pragma once
// What the attribution helper process tells the main process: one fixed-size,
// trivially copyable record per observation "this socket belongs to this
// process", sent over a socketpair (issue 6). The main process validates every
// field it reads (the helper is less exposed than the packet parser, but a
// record is still input): lengths within their arrays, NUL-terminated text,
// known enum values. Both eBPF and the fallbacks (sock_diag + procfs) produce
// these; the main process never reads /proc or talks to the kernel about
// sockets itself.

#include <array>
#include <cstdint>
#include <type_traits>

namespace wiretop::host {

// Best first. The numbering is part of the wire format between the two processes.
enum class OwnerSource : std::uint8_t { kNone = 0, kEbpf = 1, kSockDiag = 2, kProcfs = 3 };

struct OwnerRecord {
  static constexpr std::uint32_t kMagic = 0x57544f32;  // "WTO2": format version
  std::uint32_t magic = kMagic;
  std::uint8_t ip_proto = 0;     // 6 TCP, 17 UDP
  std::uint8_t family = 0;       // 4 or 6
  OwnerSource source = OwnerSource::kNone;
  std::uint8_t confidence = 0;   // 0-100: how sure the source is (e.g. eBPF at connect: 100)
  std::array<std::uint8_t, 16> local_ip{}, remote_ip{};  // IPv4 in the first 4 bytes; remote all-zero: any
  std::uint16_t local_port = 0, remote_port = 0;        // host byte order; remote 0: any (listener, unconnected UDP)
  std::uint32_t pid = 0, ppid = 0, uid = 0, gid = 0;
  std::uint64_t inode = 0;       // socket inode, 0 when unknown
  std::int64_t seen_usec = 0;    // wall clock of the observation
  std::uint64_t start_time = 0;  // the process's start, clock ticks since boot (/proc/PID/stat); 0: unknown
  std::uint8_t ended = 0;        // 1: the socket closed (eBPF), the mapping may be dropped
  std::array<char, 64> name{};        // full process name (from exe/cmdline, not the 16-byte comm), NUL-terminated
  std::array<char, 256> exe{};        // executable path, NUL-terminated
  std::array<char, 256> cmdline{};    // arguments joined by spaces, NUL-terminated, cut at the end
  std::array<char, 32> user{}, group{};  // names from the local passwd/group files
  std::array<char, 96> container{};      // docker/podman/k8s pod id or systemd unit, empty when none
  std::array<std::uint32_t, 8> parents{};  // parent chain pids, nearest first, 0-terminated
  std::array<std::array<char, 16>, 8> parent_names{};  // their comm names, NUL-terminated
};
static_assert(std::is_trivially_copyable_v<OwnerRecord>);

}  // namespace wiretop::host
