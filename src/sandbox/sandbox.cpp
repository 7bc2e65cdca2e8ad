#include "sandbox/sandbox.h"

#include <cstdlib>

#include <seccomp.h>

#include "sandbox/layers.h"

namespace wiretop::sandbox {

const char* state_name(LayerState state) {
  switch (state) {
    case LayerState::kApplied: return "applied";
    case LayerState::kPartial: return "partial";
    case LayerState::kUnavailable: return "unavailable";
    case LayerState::kOff: return "off";
  }
  return "?";
}

bool Report::complete() const {
  for (const LayerReport& l : layers)
    if (l.state == LayerState::kPartial || l.state == LayerState::kUnavailable) return false;
  return true;
}

std::string Report::summary() const {
  std::string missing;
  bool any = false;
  for (const LayerReport& l : layers) {
    if (l.name == "user") continue;
    if (l.state == LayerState::kApplied) any = true;
    else missing += (missing.empty() ? "" : ",") + l.name;
  }
  if (!any) return "off";
  return missing.empty() ? "on" : "partial (no " + missing + ")";
}

const LayerReport* Report::layer(const std::string& name) const {
  for (const LayerReport& l : layers)
    if (l.name == name) return &l;
  return nullptr;
}

std::vector<std::string> default_read_paths() {
  std::vector<std::string> paths{
      "/proc",  // our own status and maps (sanitizers); the helper process does attribution
      "/sys/class/net", "/sys/devices",  // interface statistics and the device links they resolve to
      "/usr/share/terminfo", "/lib/terminfo", "/etc/terminfo",  // ncurses
      "/etc/passwd", "/etc/group",      // user and group names
      "/etc/localtime", "/usr/share/zoneinfo",
  };
  if (const char* home = std::getenv("HOME")) paths.push_back(std::string(home) + "/.terminfo");
  return paths;
}

Report apply(const Policy& policy) {
  Report report;
  const int threads = thread_count();
  const int abi = policy.landlock_abi_override >= 0 ? policy.landlock_abi_override : landlock_abi();
  // Order: the user switch needs capabilities; Landlock and no_new_privs come
  // before seccomp, whose allow-list has no prctl or landlock calls.
  report.layers.push_back(switch_user(policy.user));
  report.layers.push_back(policy.landlock ? apply_landlock(policy, abi) : LayerReport{"landlock", LayerState::kOff, "--no-sandbox or disabled"});
  report.layers.push_back(policy.capabilities ? drop_capabilities() : LayerReport{"capabilities", LayerState::kOff, "disabled"});
  report.layers.push_back(policy.no_new_privs ? set_no_new_privs() : LayerReport{"no_new_privs", LayerState::kOff, "disabled"});
  // --sandbox-strict exits when a layer falls short: a killing filter must not be loaded first.
  const bool short_of_strict = policy.strict && !report.complete();
  if (!policy.seccomp) report.layers.push_back({"seccomp", LayerState::kOff, "disabled"});
  else if (short_of_strict) report.layers.push_back({"seccomp", LayerState::kOff, "not loaded: an earlier layer fell short of --sandbox-strict"});
  else report.layers.push_back(apply_seccomp(policy.strict));
  if (threads > 1) {
    // Landlock and capabilities bind the calling thread (and later ones) only.
    for (LayerReport& l : report.layers) {
      if ((l.name == "landlock" || l.name == "capabilities") && l.state == LayerState::kApplied) {
        l.state = LayerState::kPartial;
        l.detail += "; " + std::to_string(threads - 1) + " thread(s) started before the sandbox keep their rights";
      }
    }
  }
  return report;
}

Report apply_helper_profile() {
  Report report;
  report.layers.push_back({"landlock", LayerState::kOff, "not for the helper: it must read every process's /proc/PID/fd"});
  report.layers.push_back(keep_proc_reading_capabilities());
  report.layers.push_back(set_no_new_privs());
  report.layers.push_back(apply_seccomp(false, true));
  return report;
}

Report probe() {
  Report report;
  const int abi = landlock_abi();
  report.layers.push_back(abi > 0 ? LayerReport{"landlock", abi >= 6 ? LayerState::kApplied : LayerState::kPartial,
                                                "ABI " + std::to_string(abi) + (abi >= 6 ? ": every layer wiretop uses" : abi >= 4 ? ": no signal scoping (needs 6)" : ": filesystem only (network needs 4)")}
                                  : LayerReport{"landlock", LayerState::kUnavailable, "not in this kernel"});
  report.layers.push_back({"capabilities", LayerState::kApplied, "can always be dropped"});
  report.layers.push_back({"no_new_privs", LayerState::kApplied, "prctl(PR_SET_NO_NEW_PRIVS) is always available"});
  report.layers.push_back({"seccomp", LayerState::kApplied, "libseccomp " + std::to_string(SCMP_VER_MAJOR) + "." + std::to_string(SCMP_VER_MINOR)});
  return report;
}

}  // namespace wiretop::sandbox
