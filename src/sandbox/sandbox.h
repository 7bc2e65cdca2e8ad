#pragma once
// Containing the packet-parsing process once everything it needs is open
// (issue 7; SECURITY.md): Landlock (filesystem reads only where listed, no
// writes but the outputs, no TCP bind/connect, scoped signals and abstract
// sockets), every capability dropped, no_new_privs, and a seccomp allow-list.
// Each layer reports what it achieved; none of them is assumed.

#include <cstdint>
#include <string>
#include <vector>

namespace wiretop::sandbox {

enum class LayerState : std::uint8_t { kApplied, kPartial, kUnavailable, kOff };
const char* state_name(LayerState state);  // "applied", "partial", "unavailable", "off"

struct LayerReport {
  std::string name;    // "landlock", "capabilities", "no_new_privs", "seccomp", "user"
  LayerState state = LayerState::kOff;
  std::string detail;  // what was applied, or why not
};

struct Report {
  std::vector<LayerReport> layers;
  // True when every layer that was asked for is applied in full.
  bool complete() const;
  // "on" (every layer applied), "partial (no seccomp,...)" or "off", for a status bar.
  std::string summary() const;
  const LayerReport* layer(const std::string& name) const;
};

struct Policy {
  bool landlock = true, capabilities = true, no_new_privs = true, seccomp = true;
  std::vector<std::string> read_paths;    // files or directories the process still reads
  std::vector<std::string> write_paths;   // output files (created before the sandbox)
  std::vector<std::string> write_dirs;    // directories whose files may be created, renamed, removed (log rotation)
  std::vector<std::uint16_t> tcp_bind_ports, tcp_connect_ports;  // the only TCP ports allowed
  bool strict = false;  // seccomp kills the process on a forbidden call (else EPERM)
  std::string user;     // switch to this user before dropping capabilities (empty: stay)
  int landlock_abi_override = -1;  // tests only: pretend the kernel has this ABI (0: none)
};

// The paths wiretop reads after start-up on any system: /proc, interface
// statistics under /sys, terminfo, the user and group files, time zones.
std::vector<std::string> default_read_paths();

// Applies the policy to the calling process. Must run while it has a single
// thread (capabilities and Landlock are per thread); a second thread makes
// those layers partial. Never throws; the report says what happened.
Report apply(const Policy& policy);

// The attribution helper's profile (issue 6), applied once its sources are
// open: capabilities cut to CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (reading
// other users' /proc/PID/fd), no_new_privs, and the same seccomp allow-list
// as the main process plus bpf() on the maps it already holds. No Landlock:
// its ptrace restrictions would deny /proc/PID/fd of every process outside the
// helper's own domain, which is all of them.
Report apply_helper_profile();

// What each layer could do here, without applying anything (wiretop --check).
Report probe();

// The Landlock ABI of the running kernel (0: none).
int landlock_abi();

}  // namespace wiretop::sandbox
