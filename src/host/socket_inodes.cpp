// The socket inode -> pid half of procfs attribution: each process's
// /proc/PID/fd links named "socket:[inode]". Reading every fd of every
// process is the expensive part of attribution, so a pid is rescanned only
// when it is new or its fd directory changed (since Linux 6.2 the directory's
// size is its number of open fds), and a full rescan only when the caller
// still misses an inode.
#include <dirent.h>
#include <sys/stat.h>

#include "host/proc_text.h"
#include "host/procfs.h"

namespace wiretop::host {

void SocketInodeMap::refresh() { scan(false); }
void SocketInodeMap::rescan_all() { scan(true); }

std::optional<std::uint32_t> SocketInodeMap::pid_of(std::uint64_t inode) const {
  const auto it = owner_.find(inode);
  if (it == owner_.end()) return std::nullopt;
  return it->second;
}

void SocketInodeMap::forget(const PidEntry& e, std::uint32_t pid) {
  for (std::uint64_t inode : e.inodes) {
    const auto it = owner_.find(inode);
    if (it != owner_.end() && it->second == pid) owner_.erase(it);
  }
}

void SocketInodeMap::scan(bool all) {
  DIR* dir = ::opendir(proc_.c_str());
  if (!dir) return;
  for (auto& [pid, e] : pids_) e.seen = false;
  while (const dirent* d = ::readdir(dir)) {
    const auto pid = parse_decimal(d->d_name);
    if (!pid || *pid == 0 || *pid > 0xffffffffu) continue;
    const auto p = static_cast<std::uint32_t>(*pid);
    auto it = pids_.find(p);
    if (it == pids_.end()) {
      if (pids_.size() >= kMaxPids) {
        ++cap_hits_;
        continue;
      }
      it = pids_.emplace(p, PidEntry{}).first;
    }
    PidEntry& e = it->second;
    e.seen = true;
    struct stat st {};
    const std::string fd_dir = proc_ + "/" + d->d_name + "/fd";
    if (::stat(fd_dir.c_str(), &st) != 0) continue;  // not ours to read, or gone
    const std::int64_t signature = static_cast<std::int64_t>(st.st_size) * 1'000'003 +
                                   static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'007LL +
                                   st.st_mtim.tv_nsec;
    if (!all && signature == e.signature) continue;
    e.signature = signature;
    scan_pid(p, e);
  }
  ::closedir(dir);
  for (auto it = pids_.begin(); it != pids_.end();) {
    if (it->second.seen) {
      ++it;
      continue;
    }
    forget(it->second, it->first);
    it = pids_.erase(it);
  }
}

void SocketInodeMap::scan_pid(std::uint32_t pid, PidEntry& e) {
  ++pids_scanned_;
  forget(e, pid);
  e.inodes.clear();
  const std::string fd_dir = proc_ + "/" + std::to_string(pid) + "/fd";
  DIR* dir = ::opendir(fd_dir.c_str());
  if (!dir) return;
  while (const dirent* d = ::readdir(dir)) {
    if (d->d_name[0] == '.') continue;
    const auto target = read_link(fd_dir + "/" + d->d_name);
    if (!target) continue;
    const auto inode = socket_inode_of_link(*target);
    if (!inode) continue;
    if (owner_.size() >= kMaxInodes) {
      ++cap_hits_;
      break;
    }
    // A socket shared after fork keeps its first owner found: usually the parent
    // that made it (a server handing its listener to workers).
    if (owner_.emplace(*inode, pid).second) e.inodes.push_back(*inode);
  }
  ::closedir(dir);
}

}  // namespace wiretop::host
