// Capabilities (capabilities(7)): after init the packet-parsing process keeps
// none — effective, permitted, inheritable, ambient and bounding sets emptied.
// Open descriptors (the pcap socket) keep working without them. no_new_privs
// makes sure no exec could ever regain any. An optional user switch runs first.
#include <grp.h>
#include <pwd.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "sandbox/layers.h"

namespace wiretop::sandbox {

int thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  return 0;
}

LayerReport switch_user(const std::string& name) {
  LayerReport r{"user", LayerState::kOff, ""};
  if (name.empty()) return r;
  const passwd* pw = getpwnam(name.c_str());
  if (!pw) {
    r.state = LayerState::kUnavailable;
    r.detail = "no user named '" + name + "' in the local user database";
    return r;
  }
  // Keep capabilities across the uid change only long enough to drop them next.
  prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
  if (setgroups(0, nullptr) != 0 || setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) != 0 ||
      setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) != 0) {
    r.state = LayerState::kUnavailable;
    r.detail = "switching to '" + name + "' failed: " + std::strerror(errno) + " (needs root or CAP_SETUID/CAP_SETGID)";
    return r;
  }
  r.state = LayerState::kApplied;
  r.detail = "running as " + name + " (uid " + std::to_string(pw->pw_uid) + ")";
  return r;
}

LayerReport drop_capabilities() {
  LayerReport r{"capabilities", LayerState::kApplied, "all dropped (effective, permitted, inheritable, ambient, bounding)"};
  // The bounding set first: dropping from it needs CAP_SETPCAP, which goes next.
  bool bounding = true;
  for (cap_value_t cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (CAP_IS_SUPPORTED(cap) && cap_get_bound(cap) == 1 && cap_drop_bound(cap) != 0) bounding = false;
  }
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  cap_t empty = cap_init();
  const int set = empty ? cap_set_proc(empty) : -1;
  if (empty) cap_free(empty);
  if (set != 0) {
    r.state = LayerState::kUnavailable;
    r.detail = std::string("clearing the capability sets failed: ") + std::strerror(errno);
  } else if (!bounding) {
    r.state = LayerState::kPartial;
    r.detail = "effective, permitted, inheritable and ambient empty; the bounding set kept (no CAP_SETPCAP), "
               "harmless with no_new_privs and no exec";
  }
  return r;
}

LayerReport keep_proc_reading_capabilities() {
  LayerReport r{"capabilities", LayerState::kApplied, "only CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH kept"};
  constexpr cap_value_t kKept[] = {CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH};
  cap_t current = cap_get_proc();
  cap_t kept = cap_init();
  if (!current || !kept) {
    if (current) cap_free(current);
    if (kept) cap_free(kept);
    return {"capabilities", LayerState::kUnavailable, "cannot read the capability sets"};
  }
  for (const cap_value_t cap : kKept) {
    cap_flag_value_t held = CAP_CLEAR;
    cap_get_flag(current, cap, CAP_PERMITTED, &held);
    if (held != CAP_SET) continue;
    cap_set_flag(kept, CAP_PERMITTED, 1, &cap, CAP_SET);
    cap_set_flag(kept, CAP_EFFECTIVE, 1, &cap, CAP_SET);
  }
  bool bounding = true;
  for (cap_value_t cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    if (cap == CAP_SYS_PTRACE || cap == CAP_DAC_READ_SEARCH) continue;
    if (CAP_IS_SUPPORTED(cap) && cap_get_bound(cap) == 1 && cap_drop_bound(cap) != 0) bounding = false;
  }
  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
  const int set = cap_set_proc(kept);
  cap_free(current);
  cap_free(kept);
  if (set != 0) {
    r.state = LayerState::kUnavailable;
    r.detail = std::string("setting the capability sets failed: ") + std::strerror(errno);
  } else if (!bounding) {
    r.state = LayerState::kPartial;
    r.detail += "; the bounding set kept (no CAP_SETPCAP)";
  }
  return r;
}

LayerReport set_no_new_privs() {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return {"no_new_privs", LayerState::kUnavailable, std::string("prctl failed: ") + std::strerror(errno)};
  return {"no_new_privs", LayerState::kApplied, "set"};
}

}  // namespace wiretop::sandbox
