// Probes each attribution source for wiretop --check: loads the eBPF program
// (per hook), runs one sock_diag dump and one /proc/net pass.

#include "engine/machine_check.h"

#include <dirent.h>

#include "host/ebpf_source.h"
#include "host/owner_sources.h"
#include "host/privileges.h"

namespace wiretop::engine {
namespace {

void check_ebpf(bool wanted, std::vector<CheckLine>& out) {
  if (!wanted) {
    out.push_back({"ebpf", false, "off (--no-ebpf)"});
    return;
  }
  auto opened = host::open_ebpf_source();
  int attached = 0;
  for (const auto& hook : opened.hooks) attached += hook.attached ? 1 : 0;
  out.push_back({"ebpf", opened.source != nullptr,
                 opened.source ? std::to_string(attached) + " of " + std::to_string(opened.hooks.size()) +
                                     " hooks attached: sockets attributed as they are made, short-lived processes too"
                               : opened.why});
  for (const auto& hook : opened.hooks) {
    out.push_back({"ebpf " + hook.name, hook.attached, hook.attached ? "loaded and attached" : hook.why});
  }
}

// Records with a pid from one collect() of `source`.
std::size_t owned_sockets(host::OwnerSourceBase& source) {
  std::vector<host::OwnerRecord> records;
  source.collect(records);
  std::size_t owned = 0;
  for (const auto& r : records) owned += r.pid != 0 ? 1 : 0;
  return owned;
}

// Whether another user's (init's) fd table is readable: procfs attribution
// of every process needs it (CAP_SYS_PTRACE, or root).
bool others_fds_readable() {
  DIR* dir = ::opendir("/proc/1/fd");
  if (dir == nullptr) return false;
  ::closedir(dir);
  return true;
}

}  // namespace

std::vector<CheckLine> check_attribution(bool ebpf) {
  std::vector<CheckLine> out;
  out.push_back({"privileges", true, host::attribution_capabilities()});
  check_ebpf(ebpf, out);
  std::string error;
  if (auto diag = host::SockDiagSource::open({}, error)) {
    out.push_back({"sock_diag", true,
                   "netlink inet_diag dump works: " + std::to_string(owned_sockets(*diag)) + " sockets with an owner now"});
  } else {
    out.push_back({"sock_diag", false, error});
  }
  host::ProcNetSource procfs{host::ProcPaths{}};
  const std::size_t owned = owned_sockets(procfs);
  const bool others = others_fds_readable();
  out.push_back({"procfs", true,
                 "/proc/net and /proc/PID/fd: " + std::to_string(owned) + " sockets with an owner now; " +
                     (others ? "every user's processes visible"
                             : "only this user's processes (other users' need CAP_SYS_PTRACE)")});
  return out;
}

}  // namespace wiretop::engine
