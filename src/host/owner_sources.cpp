#include "host/owner_sources.h"

#include <chrono>
#include <cstring>
#include <unordered_map>

namespace wiretop::host {
namespace {

constexpr std::size_t kMaxUnowned = 1u << 16;
// /etc/passwd and /etc/group are re-read this often (in refreshes).
constexpr int kNamesReloadEvery = 60;

std::int64_t wall_usec() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// TCP_LISTEN, and UDP's TCP_CLOSE for a socket without a peer: keyed by the local end only.
bool unconnected(const SocketEntry& s) {
  constexpr std::uint8_t kTcpListen = 10, kTcpClose = 7;
  return s.ip_proto == 6 ? s.state == kTcpListen : s.state == kTcpClose || s.remote_port == 0;
}

template <std::size_t N>
void copy_text(std::array<char, N>& to, const std::array<char, N>& from) {
  to = from;
  to[N - 1] = '\0';
}

// A listening socket and its owner (null: unknown).
ListenerRecord listener_of(const SocketEntry& s, const OwnerRecord* owner) {
  ListenerRecord l;
  l.ip_proto = s.ip_proto;
  l.family = s.family;
  l.local_ip = s.local_ip;
  l.local_port = s.local_port;
  l.uid = s.uid;
  l.inode = s.inode;
  if (owner) {
    l.pid = owner->pid;
    copy_text(l.name, owner->name);
    copy_text(l.user, owner->user);
  }
  return l;
}

}  // namespace

SocketOwnerResolver::SocketOwnerResolver(ProcPaths paths)
    : inodes_(paths.proc), processes_(std::move(paths)) {}

void SocketOwnerResolver::resolve(const std::vector<SocketEntry>& sockets, OwnerSource source,
                                  std::vector<OwnerRecord>& out) {
  if (++refreshes_ % kNamesReloadEvery == 0) processes_.reload_names();
  inodes_.refresh();
  bool missing = false;
  for (const SocketEntry& s : sockets)
    if (s.inode != 0 && !inodes_.pid_of(s.inode) && !unowned_.contains(s.inode)) missing = true;
  if (missing) {
    inodes_.rescan_all();
    if (unowned_.size() > kMaxUnowned) unowned_.clear();
  }
  const std::int64_t now = wall_usec();
  // One read of a process's details per refresh, however many sockets it holds.
  std::unordered_map<std::uint32_t, const OwnerRecord*> this_refresh;
  std::vector<std::unique_ptr<OwnerRecord>> details;
  listeners_.clear();
  for (const SocketEntry& s : sockets) {
    if (s.inode == 0) continue;  // TIME_WAIT and orphans: no owner any more
    const bool listener = is_listener(s.ip_proto, s.state, s.local_port, s.remote_port) &&
                          listeners_.size() < kMaxListeners;
    const auto pid = inodes_.pid_of(s.inode);
    if (!pid) {
      if (missing) unowned_.insert(s.inode);
      if (listener) listeners_.push_back(listener_of(s, nullptr));
      continue;
    }
    auto [it, inserted] = this_refresh.try_emplace(*pid, nullptr);
    if (inserted) {
      auto d = std::make_unique<OwnerRecord>();
      if (processes_.fill(*pid, *d)) it->second = details.emplace_back(std::move(d)).get();
    }
    if (listener) listeners_.push_back(listener_of(s, it->second));
    if (!it->second) continue;  // the process is gone
    OwnerRecord rec = *it->second;
    rec.ip_proto = s.ip_proto;
    rec.family = s.family;
    rec.source = source;
    rec.confidence = source == OwnerSource::kSockDiag ? 90 : 80;
    rec.local_ip = s.local_ip;
    rec.local_port = s.local_port;
    if (!unconnected(s)) {
      rec.remote_ip = s.remote_ip;
      rec.remote_port = s.remote_port;
    }
    rec.uid = s.uid;
    rec.inode = s.inode;
    rec.seen_usec = now;
    out.push_back(rec);
  }
}

std::unique_ptr<SockDiagSource> SockDiagSource::open(ProcPaths paths, std::string& error) {
  std::unique_ptr<SockDiagSource> src(new SockDiagSource(std::move(paths)));
  if (!src->diag_.open(error)) return nullptr;
  // A first dump proves the kernel answers (inet_diag may be a missing module).
  std::vector<SocketEntry> probe;
  if (!src->diag_.dump_all(probe, error)) return nullptr;
  return src;
}

void SockDiagSource::collect(std::vector<OwnerRecord>& out) {
  sockets_.clear();
  std::string error;
  if (!diag_.dump_all(sockets_, error)) return;
  resolver_.resolve(sockets_, OwnerSource::kSockDiag, out);
}

bool SockDiagSource::listeners(std::vector<ListenerRecord>& out) const {
  out = resolver_.listeners();
  return true;
}

bool ProcNetSource::listeners(std::vector<ListenerRecord>& out) const {
  out = resolver_.listeners();
  return true;
}

void ProcNetSource::collect(std::vector<OwnerRecord>& out) {
  resolver_.resolve(read_proc_net(proc_), OwnerSource::kProcfs, out);
}

}  // namespace wiretop::host
