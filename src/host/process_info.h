#pragma once
// A socket's owner as the main process keeps it once a helper record passed
// validation (owner_table.h): what rows and JSON show about a process.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "host/owner_record.h"

namespace wiretop::host {

struct ProcessParent {
  std::uint32_t pid = 0;
  std::string name;  // comm
};

struct ProcessInfo {
  std::uint32_t pid = 0;
  std::uint32_t uid = 0;
  std::string name, exe, cmdline, user, group, container;
  std::vector<ProcessParent> parents;  // nearest first, at most 8
  OwnerSource source = OwnerSource::kNone;
  std::uint8_t confidence = 0;  // 0-100
  std::uint64_t start_time = 0;  // clock ticks since boot; 0: unknown (alerts: started after wiretop?)
};

// "ebpf", "sock_diag", "procfs" (empty for kNone).
constexpr std::string_view owner_source_name(OwnerSource s) {
  switch (s) {
    case OwnerSource::kEbpf: return "ebpf";
    case OwnerSource::kSockDiag: return "sock_diag";
    case OwnerSource::kProcfs: return "procfs";
    case OwnerSource::kNone: break;
  }
  return {};
}

}  // namespace wiretop::host
