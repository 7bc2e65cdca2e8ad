// Landlock (Documentation/userspace-api/landlock.rst): a ruleset handling every
// access right the kernel's ABI knows, rules granting read access under the
// listed paths and write access to the output files, no TCP bind/connect but
// the listed ports (ABI >= 4), abstract unix sockets and signals scoped to our
// own domain (ABI >= 6). Best effort: rights the kernel does not know are left
// out, and the report says which ABI was used.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "sandbox/landlock_abi.h"
#include "sandbox/layers.h"

namespace wiretop::sandbox {
namespace {

namespace abi = ll;

constexpr std::uint64_t kReadRights = abi::kFsReadFile | abi::kFsReadDir;
constexpr std::uint64_t kWriteRights = abi::kFsWriteFile | abi::kFsTruncate;

std::uint64_t fs_rights(int version) {
  if (version >= 5) return abi::kFsAbi5;
  if (version >= 3) return abi::kFsAbi3;
  if (version >= 2) return abi::kFsAbi2;
  return abi::kFsAbi1;
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Adds "`rights` under `path`"; a path that does not exist is skipped (false).
bool allow_path(int ruleset, const std::string& path, std::uint64_t rights) {
  const Fd target(open(path.c_str(), O_PATH | O_CLOEXEC));
  if (target.get() < 0) return false;
  struct stat st {};
  if (fstat(target.get(), &st) == 0 && !S_ISDIR(st.st_mode)) rights &= ~abi::kFsReadDir;
  const abi::PathBeneathAttr rule{rights, target.get()};
  return syscall(abi::kAddRule, ruleset, abi::kRulePathBeneath, &rule, 0) == 0;
}

bool allow_port(int ruleset, std::uint16_t port, std::uint64_t rights) {
  const abi::NetPortAttr rule{rights, port};
  return syscall(abi::kAddRule, ruleset, abi::kRuleNetPort, &rule, 0) == 0;
}

}  // namespace

int landlock_abi() {
  const long version = syscall(abi::kCreateRuleset, nullptr, 0, abi::kCreateRulesetVersion);
  return version < 0 ? 0 : static_cast<int>(version);
}

LayerReport apply_landlock(const Policy& policy, int version) {
  LayerReport r{"landlock", LayerState::kUnavailable, ""};
  if (version <= 0) {
    r.detail = "the kernel has no Landlock (needs Linux 5.13+ with landlock in the LSM list)";
    return r;
  }
  abi::RulesetAttr attr{fs_rights(version), 0, 0};
  std::size_t attr_size = offsetof(abi::RulesetAttr, handled_access_net);
  if (version >= 4) {
    attr.handled_access_net = abi::kNetBindTcp | abi::kNetConnectTcp;
    attr_size = offsetof(abi::RulesetAttr, scoped);
  }
  if (version >= 6) {
    attr.scoped = abi::kScopeAbstractUnixSocket | abi::kScopeSignal;
    attr_size = sizeof attr;
  }
  const Fd ruleset(static_cast<int>(syscall(abi::kCreateRuleset, &attr, attr_size, 0)));
  if (ruleset.get() < 0) {
    r.detail = std::string("creating the ruleset failed: ") + std::strerror(errno);
    return r;
  }
  std::string skipped;
  for (const std::string& path : policy.read_paths)
    allow_path(ruleset.get(), path, kReadRights & fs_rights(version));  // optional: absent ones are not read either
  for (const std::string& path : policy.write_paths)
    if (!allow_path(ruleset.get(), path, (kReadRights | kWriteRights) & fs_rights(version))) skipped += " " + path;
  constexpr std::uint64_t kDirRights = kReadRights | kWriteRights | abi::kFsMakeReg | abi::kFsRemoveFile | abi::kFsRefer;
  for (const std::string& path : policy.write_dirs)
    if (!allow_path(ruleset.get(), path, kDirRights & fs_rights(version))) skipped += " " + path;
  if (version >= 4) {
    for (const std::uint16_t port : policy.tcp_bind_ports) allow_port(ruleset.get(), port, abi::kNetBindTcp);
    for (const std::uint16_t port : policy.tcp_connect_ports) allow_port(ruleset.get(), port, abi::kNetConnectTcp);
  }
  // restrict_self needs no_new_privs (or CAP_SYS_ADMIN); the no_new_privs layer sets it again, harmlessly.
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (syscall(abi::kRestrictSelf, ruleset.get(), 0) != 0) {
    r.detail = std::string("restrict_self failed: ") + std::strerror(errno);
    return r;
  }
  r.state = version >= 6 ? LayerState::kApplied : LayerState::kPartial;
  r.detail = "ABI " + std::to_string(version) + ": filesystem" + (version >= 4 ? ", TCP bind/connect" : "") +
             (version >= 6 ? ", signals and abstract sockets scoped" : "");
  if (version < 4) r.detail += "; TCP bind/connect not restricted (needs ABI 4)";
  else if (version < 6) r.detail += "; signals not scoped (needs ABI 6)";
  if (!skipped.empty()) r.detail += "; output paths that could not be allowed:" + skipped;
  return r;
}

}  // namespace wiretop::sandbox
