#include "host/sock_diag.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>

namespace wiretop::host {
namespace {

// Netlink headers and inet_diag_msg's uid/inode are in host byte order; the
// socket id's ports and addresses in network order.
static_assert(std::endian::native == std::endian::little, "netlink parsing assumes a little-endian host");

constexpr std::size_t kNlHeader = 16;     // struct nlmsghdr
constexpr std::size_t kDiagMsgSize = 72;  // struct inet_diag_msg
constexpr std::size_t kRecvBuffer = 64u << 10;
constexpr std::size_t kMaxSocketsPerDump = 1u << 20;

std::size_t nl_align(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

bool parse_diag_msg(core::ByteReader r, std::uint8_t ip_proto, SocketEntry& e) {
  const auto family = r.u8();
  const auto state = r.u8();
  if (!family || !state || !r.skip(2)) return false;  // timer, retrans
  const auto sport = r.be16();
  const auto dport = r.be16();
  const auto src = r.bytes(16);
  const auto dst = r.bytes(16);
  if (!sport || !dport || !src || !dst || !r.skip(4 + 8 + 4 + 4 + 4)) return false;  // if, cookie, expires, queues
  const auto uid = r.le32();
  const auto inode = r.le32();
  if (!uid || !inode) return false;
  if (*family != AF_INET && *family != AF_INET6) return false;
  e.ip_proto = ip_proto;
  e.family = *family == AF_INET ? 4 : 6;
  e.state = *state;
  e.local_port = *sport;
  e.remote_port = *dport;
  const std::size_t n = e.family == 4 ? 4 : 16;
  for (std::size_t i = 0; i < n; ++i) {
    e.local_ip[i] = (*src)[i];
    e.remote_ip[i] = (*dst)[i];
  }
  e.uid = *uid;
  e.inode = *inode;
  unmap_v4(e);
  return true;
}

}  // namespace

DiagParse parse_diag_messages(core::Bytes buffer, std::uint8_t ip_proto, std::vector<SocketEntry>& out) {
  core::ByteReader r(buffer);
  while (!r.empty()) {
    const std::size_t start = r.position();
    const auto len = r.le32();
    const auto type = r.le16();
    if (!len || !type || *len < kNlHeader || *len > r.remaining() + 6 || !r.skip(2 + 4 + 4))
      return DiagParse::kError;
    auto body = r.sub(*len - kNlHeader);
    if (!body) return DiagParse::kError;
    if (*type == NLMSG_DONE) return DiagParse::kDone;
    if (*type == NLMSG_ERROR) return DiagParse::kError;
    if (*type == SOCK_DIAG_BY_FAMILY) {
      SocketEntry e;
      if (body->remaining() < kDiagMsgSize || !parse_diag_msg(*body, ip_proto, e)) return DiagParse::kError;
      if (out.size() < kMaxSocketsPerDump) out.push_back(e);
    }
    // Messages are padded to 4 bytes; the last one may end without padding.
    if (!r.seek(std::min(start + nl_align(*len), r.size()))) return DiagParse::kError;
  }
  return DiagParse::kMore;
}

SockDiag::~SockDiag() {
  if (fd_ >= 0) ::close(fd_);
}

bool SockDiag::open(std::string& error) {
  fd_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd_ < 0) {
    error = std::string("netlink sock_diag: ") + std::strerror(errno);
    return false;
  }
  buffer_.resize(kRecvBuffer);
  return true;
}

bool SockDiag::dump_all(std::vector<SocketEntry>& out, std::string& error) {
  for (std::uint8_t proto : {std::uint8_t{IPPROTO_TCP}, std::uint8_t{IPPROTO_UDP}})
    for (std::uint8_t family : {std::uint8_t{AF_INET}, std::uint8_t{AF_INET6}})
      if (!dump(family, proto, out, error)) return false;
  return true;
}

bool SockDiag::dump(std::uint8_t family, std::uint8_t ip_proto, std::vector<SocketEntry>& out,
                    std::string& error) {
  struct {
    nlmsghdr nl;
    inet_diag_req_v2 req;
  } msg{};
  msg.nl.nlmsg_len = sizeof msg;
  msg.nl.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  msg.nl.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  msg.nl.nlmsg_seq = ++seq_;
  msg.req.sdiag_family = family;
  msg.req.sdiag_protocol = ip_proto;
  msg.req.idiag_states = ~0u;  // every state: listeners, connections, unconnected UDP
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd_, &msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) < 0) {
    error = std::string("sock_diag request: ") + std::strerror(errno);
    return false;
  }
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = std::string("sock_diag reply: ") + (n < 0 ? std::strerror(errno) : "closed");
      return false;
    }
    const auto step = parse_diag_messages(core::Bytes(buffer_.data(), static_cast<std::size_t>(n)),
                                          ip_proto, out);
    if (step == DiagParse::kDone) return true;
    if (step == DiagParse::kError) {
      error = "sock_diag: the kernel refused the dump or sent a malformed reply";
      return false;
    }
  }
}

}  // namespace wiretop::host
