#pragma once
// Turning what the BPF program reports (bpf/attribution_event.h) into the
// OwnerRecord the helper sends (issue 6), and finding where to attach the
// cgroup hooks. Pure functions: unit-tested without BPF or privileges.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "host/bpf/attribution_event.h"
#include "host/owner_record.h"

namespace wiretop::host {

// Confidence by how the owner was learned: in the owner's own system call
// (connect, bind, listen, send, recv) vs. inherited from the listener by a
// passive TCP socket (another process may accept it, e.g. a pre-fork server).
inline constexpr std::uint8_t kConfidenceProcessContext = 100;
inline constexpr std::uint8_t kConfidenceFromListener = 90;

// nullopt for events that cannot be a valid record (unknown kind, family or
// protocol, no local port). IPv4-mapped IPv6 addresses (dual-stack sockets)
// become IPv4, as on the wire. `name` is the 16-byte comm until the helper
// fills the full name from procfs. `mono_to_wall_usec` turns the event's
// CLOCK_MONOTONIC time into wall clock.
std::optional<OwnerRecord> owner_record_from_event(const wt_event& event, std::int64_t mono_to_wall_usec);

// Copies the process details procfs found for `details.pid` (ppid, full
// name, exe, cmdline, user, group, container, parents) into `rec`, keeping
// rec's socket, source, confidence and the ids the event saw.
void take_process_details(OwnerRecord& rec, const OwnerRecord& details);

// The mount point of the cgroup v2 hierarchy in /proc/self/mountinfo text
// (fstype "cgroup2"; octal escapes such as \040 decoded), preferring a mount
// of the hierarchy's root.
std::optional<std::string> cgroup2_mount_point(std::string_view mountinfo);

}  // namespace wiretop::host
