#pragma once
// Every TCP and UDP socket of this network namespace from one netlink
// NETLINK_SOCK_DIAG dump per family and protocol (what `ss` does; kernel
// inet_diag, linux/inet_diag.h): 5-tuple, state, uid and inode of each, so
// attribution needs no file parse per connection.

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_reader.h"
#include "host/socket_entry.h"

namespace wiretop::host {

enum class DiagParse : std::uint8_t { kMore, kDone, kError };

// One recv()'s worth of netlink messages answering an inet_diag dump for
// `ip_proto`: appends each socket to `out`. kDone at NLMSG_DONE, kError at
// NLMSG_ERROR or a malformed message, kMore when the dump continues.
DiagParse parse_diag_messages(core::Bytes buffer, std::uint8_t ip_proto, std::vector<SocketEntry>& out);

// A NETLINK_SOCK_DIAG socket (RAII). open() fails without netlink (seccomp,
// an exotic kernel); the caller then falls back to /proc/net.
class SockDiag {
 public:
  SockDiag() = default;
  ~SockDiag();
  SockDiag(const SockDiag&) = delete;
  SockDiag& operator=(const SockDiag&) = delete;

  bool open(std::string& error);
  // TCP (every state) and UDP sockets, IPv4 and IPv6. False when a dump failed.
  bool dump_all(std::vector<SocketEntry>& out, std::string& error);

 private:
  bool dump(std::uint8_t family, std::uint8_t ip_proto, std::vector<SocketEntry>& out,
            std::string& error);
  int fd_ = -1;
  std::uint32_t seq_ = 0;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace wiretop::host
