// Event -> OwnerRecord conversion and the cgroup v2 mount lookup (issue 6).

#include "host/ebpf_event.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace wiretop::host {
namespace {

bool known_kind(std::uint8_t kind) { return kind >= WT_EV_CONNECT && kind <= WT_EV_TCP_CLOSE; }

// ::ffff:a.b.c.d (RFC 4291 2.5.5.2) -> a.b.c.d in the first 4 bytes.
bool unmap_v4(std::array<std::uint8_t, 16>& addr) {
  static constexpr std::array<std::uint8_t, 12> kPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (!std::equal(kPrefix.begin(), kPrefix.end(), addr.begin())) return false;
  std::array<std::uint8_t, 16> v4{};
  std::copy(addr.begin() + 12, addr.end(), v4.begin());
  addr = v4;
  return true;
}

bool is_octal(char c, char max) { return c >= '0' && c <= max; }

bool all_zero(const std::array<std::uint8_t, 16>& addr) {
  return std::all_of(addr.begin(), addr.end(), [](std::uint8_t b) { return b == 0; });
}

void copy_addr(std::array<std::uint8_t, 16>& to, const wt_u8 (&from)[16]) { std::memcpy(to.data(), from, 16); }

// comm is at most 16 bytes and may lack its NUL; only printable bytes kept.
void copy_comm(std::array<char, 64>& to, const char (&comm)[16]) {
  std::size_t n = 0;
  for (char c : comm) {
    if (c == '\0') break;
    to[n++] = (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  to[n] = '\0';
}

}  // namespace

std::optional<OwnerRecord> owner_record_from_event(const wt_event& event, std::int64_t mono_to_wall_usec) {
  if (!known_kind(event.kind) || event.lport == 0) return std::nullopt;
  if (event.proto != 6 && event.proto != 17) return std::nullopt;
  if (event.family != 4 && event.family != 6) return std::nullopt;
  OwnerRecord r;
  r.ip_proto = event.proto;
  r.family = event.family;
  r.source = OwnerSource::kEbpf;
  const bool from_listener = event.kind == WT_EV_TCP_PASSIVE || (event.flags & WT_FLAG_FROM_LISTENER) != 0;
  r.confidence = from_listener ? kConfidenceFromListener : kConfidenceProcessContext;
  copy_addr(r.local_ip, event.laddr);
  copy_addr(r.remote_ip, event.raddr);
  if (r.family == 6) {
    // A dual-stack socket talks IPv4 on the wire when both ends are mapped
    // (a wildcard local end of a connected socket counts as mapped).
    std::array<std::uint8_t, 16> local = r.local_ip, remote = r.remote_ip;
    const bool remote_v4 = unmap_v4(remote);
    const bool local_v4 = unmap_v4(local) || (remote_v4 && all_zero(local));
    if (remote_v4 && local_v4) {
      r.family = 4;
      r.local_ip = local;
      r.remote_ip = remote;
    }
  }
  r.local_port = event.lport;
  r.remote_port = event.rport;
  r.pid = event.pid;
  r.uid = event.uid;
  r.gid = event.gid;
  r.inode = event.inode;
  r.seen_usec = static_cast<std::int64_t>(event.ts_ns / 1000) + mono_to_wall_usec;
  r.ended = event.kind == WT_EV_TCP_CLOSE ? 1 : 0;
  copy_comm(r.name, event.comm);
  return r;
}

void take_process_details(OwnerRecord& rec, const OwnerRecord& details) {
  rec.ppid = details.ppid;
  if (details.name[0] != '\0') rec.name = details.name;
  rec.exe = details.exe;
  rec.cmdline = details.cmdline;
  rec.user = details.user;
  rec.group = details.group;
  rec.container = details.container;
  rec.parents = details.parents;
  rec.start_time = details.start_time;
  rec.parent_names = details.parent_names;
}

std::optional<std::string> cgroup2_mount_point(std::string_view mountinfo) {
  std::optional<std::string> found;
  while (!mountinfo.empty()) {
    const auto eol = mountinfo.find('\n');
    std::string_view line = mountinfo.substr(0, eol);
    mountinfo = eol == std::string_view::npos ? std::string_view{} : mountinfo.substr(eol + 1);
    // "id parent maj:min root mount_point options [optional...] - fstype source super_options"
    std::vector<std::string_view> fields;
    for (std::size_t pos = 0; pos <= line.size();) {
      const auto sp = std::min(line.find(' ', pos), line.size());
      if (sp > pos) fields.push_back(line.substr(pos, sp - pos));
      pos = sp + 1;
    }
    const auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || dash == fields.end() || dash + 1 == fields.end() || dash[1] != "cgroup2") continue;
    std::string point;
    const std::string_view raw = fields[4];
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && raw.size() - i >= 4 && is_octal(raw[i + 1], '3') && is_octal(raw[i + 2], '7') &&
          is_octal(raw[i + 3], '7')) {
        point += static_cast<char>((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0'));
        i += 3;
      } else {
        point += raw[i];
      }
    }
    if (fields[3] == "/") return point;
    if (!found) found = point;
  }
  return found;
}

}  // namespace wiretop::host
