#include "host/procfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "host/proc_text.h"

namespace wiretop::host {
namespace {

constexpr std::size_t kMaxPasswdBytes = 4u << 20;
constexpr std::size_t kCmdlineReadCap = 4096;
constexpr int kMaxParents = 8;

template <std::size_t N>
void copy_text(std::array<char, N>& dst, std::string_view src) {
  const std::size_t n = std::min(src.size(), N - 1);
  std::memcpy(dst.data(), src.data(), n);
  dst[n] = '\0';
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// /proc/PID/status "Key:\tvalue" -> value (the rest of the line).
std::string_view status_field(std::string_view status, std::string_view key) {
  std::size_t pos = 0;
  while (pos < status.size()) {
    std::size_t end = status.find('\n', pos);
    if (end == std::string_view::npos) end = status.size();
    std::string_view line = status.substr(pos, end - pos);
    if (line.size() > key.size() && line.substr(0, key.size()) == key && line[key.size()] == ':') {
      line.remove_prefix(key.size() + 1);
      while (!line.empty() && (line.front() == '\t' || line.front() == ' ')) line.remove_prefix(1);
      return line;
    }
    pos = end + 1;
  }
  return {};
}

// Field 22 of /proc/PID/stat (start time in clock ticks), counted after the
// comm's closing parenthesis because comm may itself hold spaces and ')'.
// Uid and Gid lines list real, effective, saved and fs ids: the real one.
std::optional<std::uint64_t> first_number(std::string_view value) {
  return parse_decimal(value.substr(0, value.find_first_of("\t ")));
}

std::uint64_t stat_start_time(std::string_view stat) {
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos) return 0;
  std::string_view rest = stat.substr(close + 1);
  for (int field = 3; field <= 22; ++field) {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const auto sp = rest.find(' ');
    const std::string_view tok = rest.substr(0, sp);
    if (field == 22) return parse_decimal(tok).value_or(0);
    if (sp == std::string_view::npos) return 0;
    rest.remove_prefix(sp);
  }
  return 0;
}

}  // namespace

std::uint64_t start_time_of(const ProcPaths& paths, std::string_view pid) {
  const auto stat = read_text_file(paths.proc + "/" + std::string(pid) + "/stat", 1024);
  return stat ? stat_start_time(*stat) : 0;
}

std::unordered_map<std::uint32_t, std::string> parse_id_names(std::string_view text) {
  std::unordered_map<std::uint32_t, std::string> out;
  for_each_line(text, [&](std::string_view line) {
    const auto c1 = line.find(':');
    if (c1 == std::string_view::npos || c1 == 0) return;
    const auto c2 = line.find(':', c1 + 1);
    if (c2 == std::string_view::npos) return;
    const auto c3 = line.find(':', c2 + 1);
    const auto id = parse_decimal(line.substr(c2 + 1, c3 == std::string_view::npos ? c3 : c3 - c2 - 1));
    if (!id || *id > 0xffffffffu) return;
    out.emplace(static_cast<std::uint32_t>(*id), std::string(line.substr(0, c1)));
  });
  return out;
}

std::string cmdline_text(std::string_view raw, std::size_t cap) {
  while (!raw.empty() && raw.back() == '\0') raw.remove_suffix(1);
  std::string out;
  out.reserve(std::min(raw.size(), cap));
  for (char ch : raw) {
    if (out.size() >= cap) break;
    const auto u = static_cast<unsigned char>(ch);
    out.push_back(ch == '\0' ? ' ' : (u < 0x20 || u == 0x7f) ? '?' : ch);
  }
  return out;
}

std::string full_process_name(std::string_view comm, std::string_view argv0, std::string_view exe) {
  // TASK_COMM_LEN is 16 with its NUL: a 15-character comm may have been cut.
  if (comm.size() < 15) return std::string(comm);
  for (std::string_view candidate : {base_name(argv0), base_name(exe)}) {
    constexpr std::string_view kDeleted = " (deleted)";
    if (candidate.size() > kDeleted.size() && candidate.ends_with(kDeleted))
      candidate.remove_suffix(kDeleted.size());
    if (candidate.size() > comm.size() && candidate.substr(0, comm.size()) == comm)
      return std::string(candidate);
  }
  return std::string(comm);
}

std::optional<std::uint64_t> socket_inode_of_link(std::string_view target) {
  constexpr std::string_view kPrefix = "socket:[";
  if (target.size() <= kPrefix.size() + 1 || target.substr(0, kPrefix.size()) != kPrefix ||
      target.back() != ']')
    return std::nullopt;
  return parse_decimal(target.substr(kPrefix.size(), target.size() - kPrefix.size() - 1));
}

ProcessReader::ProcessReader(ProcPaths paths) : paths_(std::move(paths)) { reload_names(); }

void ProcessReader::reload_names() {
  users_ = parse_id_names(read_text_file(paths_.passwd, kMaxPasswdBytes).value_or(""));
  groups_ = parse_id_names(read_text_file(paths_.group, kMaxPasswdBytes).value_or(""));
  cache_.clear();
}

bool ProcessReader::fill(std::uint32_t pid, OwnerRecord& rec) {
  const std::string dir = paths_.proc + "/" + std::to_string(pid);
  const auto stat = read_text_file(dir + "/stat", 1024);
  if (!stat) {
    cache_.erase(pid);
    return false;
  }
  const std::uint64_t start = stat_start_time(*stat);
  if (auto it = cache_.find(pid); it != cache_.end() && it->second.start_time == start) {
    rec = it->second.rec;
    return true;
  }
  OwnerRecord fresh{};
  if (!read_fresh(pid, fresh)) return false;
  if (cache_.size() >= SocketInodeMap::kMaxPids) cache_.clear();
  fresh.start_time = start;
  cache_[pid] = Cached{start, fresh};
  rec = fresh;
  return true;
}

bool ProcessReader::read_fresh(std::uint32_t pid, OwnerRecord& rec) {
  const std::string dir = paths_.proc + "/" + std::to_string(pid);
  const auto status = read_text_file(dir + "/status", 8192);
  if (!status) return false;
  rec.pid = pid;
  rec.ppid = static_cast<std::uint32_t>(first_number(status_field(*status, "PPid")).value_or(0));
  rec.uid = static_cast<std::uint32_t>(first_number(status_field(*status, "Uid")).value_or(0));
  rec.gid = static_cast<std::uint32_t>(first_number(status_field(*status, "Gid")).value_or(0));
  const std::string exe = read_link(dir + "/exe").value_or("");
  const std::string raw_cmdline = read_text_file(dir + "/cmdline", kCmdlineReadCap).value_or("");
  const std::string_view argv0(raw_cmdline.c_str());
  // status's Name escapes nothing but ends at the newline; comm is the same text.
  const std::string comm = cmdline_text(read_text_file(dir + "/comm", 64).value_or(""), 64);
  std::string_view comm_view = comm;
  while (!comm_view.empty() && (comm_view.back() == '?' || comm_view.back() == ' '))
    comm_view.remove_suffix(1);  // the trailing newline became '?'
  copy_text(rec.name, full_process_name(comm_view, argv0, exe));
  copy_text(rec.exe, exe);
  copy_text(rec.cmdline, cmdline_text(raw_cmdline, rec.cmdline.size() - 1));
  if (auto u = users_.find(rec.uid); u != users_.end()) copy_text(rec.user, u->second);
  else copy_text(rec.user, std::to_string(rec.uid));
  if (auto g = groups_.find(rec.gid); g != groups_.end()) copy_text(rec.group, g->second);
  else copy_text(rec.group, std::to_string(rec.gid));
  copy_text(rec.container, container_from_cgroup(read_text_file(dir + "/cgroup", 8192).value_or("")));
  fill_parents(rec.ppid, rec);
  return true;
}

void ProcessReader::fill_parents(std::uint32_t ppid, OwnerRecord& rec) {
  for (int level = 0; level < kMaxParents && ppid != 0; ++level) {
    const std::string dir = paths_.proc + "/" + std::to_string(ppid);
    const auto status = read_text_file(dir + "/status", 8192);
    if (!status) break;
    rec.parents[static_cast<std::size_t>(level)] = ppid;
    copy_text(rec.parent_names[static_cast<std::size_t>(level)], status_field(*status, "Name"));
    const auto next = first_number(status_field(*status, "PPid")).value_or(0);
    if (next == ppid) break;
    ppid = static_cast<std::uint32_t>(next);
  }
}

}  // namespace wiretop::host
