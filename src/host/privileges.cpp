// Effective capabilities via capget(2): no libcap needed for a read.

#include "host/privileges.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <utility>

namespace wiretop::host {

bool has_capability(unsigned cap) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (cap >= 64 || syscall(SYS_capget, &header, data) != 0) return false;
  return (data[cap / 32].effective & (1u << (cap % 32))) != 0;
}

std::string attribution_capabilities() {
  // Numbers rather than CAP_BPF/CAP_PERFMON macros: older headers lack them (Linux 5.8).
  static constexpr std::array<std::pair<unsigned, const char*>, 7> kCaps{{{13, "cap_net_raw"},
                                                                          {12, "cap_net_admin"},
                                                                          {39, "cap_bpf"},
                                                                          {38, "cap_perfmon"},
                                                                          {19, "cap_sys_ptrace"},
                                                                          {21, "cap_sys_admin"},
                                                                          {2, "cap_dac_read_search"}}};
  std::string out;
  for (const auto& [cap, name] : kCaps) {
    if (!has_capability(cap)) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out.empty() ? "none" : out;
}

}  // namespace wiretop::host
