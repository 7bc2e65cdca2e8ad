#pragma once
// What /proc says about processes and their sockets, for the attribution
// helper (issue 6): the socket inode -> pid map from /proc/PID/fd, the
// details of a process (name, exe, command line, user and group, parents,
// container), and /proc/net/{tcp,udp}{,6} as the last-resort socket list.
// Every path starts at a root given by the caller, so unit tests read a fake
// tree. Only local files are read: user and group names come from the passwd
// and group files, never from NSS (which may ask the network).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "host/owner_record.h"
#include "host/socket_entry.h"

namespace wiretop::host {

struct ProcPaths {
  std::string proc = "/proc";
  std::string passwd = "/etc/passwd";
  std::string group = "/etc/group";
};

// "name:x:id:..." lines (passwd and group share the first three fields) -> id -> name.
std::unordered_map<std::uint32_t, std::string> parse_id_names(std::string_view text);

// The container or unit a process runs in, from its /proc/PID/cgroup text:
// "docker:<id>", "podman:<id>", "containerd:<id>", "crio:<id>", "k8s:<pod uid>[/<id>]",
// "systemd:<unit>", or empty.
std::string container_from_cgroup(std::string_view cgroup_text);

// /proc/PID/cmdline (NUL-separated) as one line: NULs become spaces, trailing
// ones dropped, other control bytes '?', at most `cap` bytes.
std::string cmdline_text(std::string_view raw, std::size_t cap);

// The name a user knows the process by: its comm, unless comm is cut at the
// kernel's 15 characters, then argv[0]'s or the exe's base name that starts with it.
std::string full_process_name(std::string_view comm, std::string_view argv0, std::string_view exe);

// "socket:[12345]" (a /proc/PID/fd link target) -> 12345.
std::optional<std::uint64_t> socket_inode_of_link(std::string_view target);

// A process's start (clock ticks since boot, /proc/PID/stat field 22); `pid`
// may be "self". 0 when unreadable.
std::uint64_t start_time_of(const ProcPaths& paths, std::string_view pid);

// Reads the details of a process into `rec` (pid, ppid, uid, gid, name, exe,
// cmdline, user, group, parents, container). False when the process is gone.
class ProcessReader {
 public:
  explicit ProcessReader(ProcPaths paths);
  bool fill(std::uint32_t pid, OwnerRecord& rec);
  // Re-reads the passwd and group files (they rarely change; once per refresh at most).
  void reload_names();

 private:
  struct Cached {
    std::uint64_t start_time = 0;
    OwnerRecord rec;
  };
  bool read_fresh(std::uint32_t pid, OwnerRecord& rec);
  void fill_parents(std::uint32_t ppid, OwnerRecord& rec);

  ProcPaths paths_;
  std::unordered_map<std::uint32_t, std::string> users_, groups_;
  // Details per pid, valid while the pid's start time is unchanged (pid reuse).
  std::unordered_map<std::uint32_t, Cached> cache_;
};

// Socket inode -> owning pid, from the /proc/PID/fd links of every process.
// Refreshed incrementally: a pid is rescanned when it is new or its fd
// directory's size (the number of open fds since Linux 6.2) or mtime changed;
// a full rescan happens only when asked for inodes still unknown.
class SocketInodeMap {
 public:
  static constexpr std::size_t kMaxPids = 1u << 16;
  static constexpr std::size_t kMaxInodes = 1u << 20;

  explicit SocketInodeMap(std::string proc_root) : proc_(std::move(proc_root)) {}
  // Cheap pass: new pids and pids whose fd directory changed; gone pids dropped.
  void refresh();
  // Rescans every pid (call when an inode is not found after refresh()).
  void rescan_all();
  std::optional<std::uint32_t> pid_of(std::uint64_t inode) const;

  std::size_t pid_count() const { return pids_.size(); }
  std::uint64_t pids_scanned() const { return pids_scanned_; }
  std::uint64_t cap_hits() const { return cap_hits_; }

 private:
  struct PidEntry {
    std::int64_t signature = -1;
    std::vector<std::uint64_t> inodes;
    bool seen = false;
  };
  void scan(bool all);
  void scan_pid(std::uint32_t pid, PidEntry& e);
  void forget(const PidEntry& e, std::uint32_t pid);

  std::string proc_;
  std::unordered_map<std::uint32_t, PidEntry> pids_;
  std::unordered_map<std::uint64_t, std::uint32_t> owner_;
  std::uint64_t pids_scanned_ = 0, cap_hits_ = 0;
};

// One /proc/net/{tcp,udp}{,6} file's text -> sockets (the header line skipped,
// malformed lines ignored). `ip_proto` 6 or 17, `family` 4 or 6.
void parse_proc_net(std::string_view text, std::uint8_t ip_proto, std::uint8_t family,
                    std::vector<SocketEntry>& out);

// Reads the four files under `proc_root`/net.
std::vector<SocketEntry> read_proc_net(const std::string& proc_root);

}  // namespace wiretop::host
