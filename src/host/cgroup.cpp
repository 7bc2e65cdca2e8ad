// Which container or service a process belongs to, from /proc/PID/cgroup.
// Runtimes name their cgroups after the container: docker-<id>.scope (or
// /docker/<id> with cgroupfs), libpod-<id>.scope (podman),
// cri-containerd-<id>.scope, crio-<id>.scope; Kubernetes puts containers under
// a pod<uid> directory (kubepods-...-pod<uid>.slice with systemd, where the
// uid's '-' become '_'); systemd services are <unit>.service.
#include <string>
#include <string_view>

#include "host/proc_text.h"
#include "host/procfs.h"

namespace wiretop::host {
namespace {

bool is_hex_id(std::string_view s) {
  if (s.size() < 12 || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// "<prefix><id>.scope" -> id, when the id is hex.
std::string_view scoped_id(std::string_view part, std::string_view prefix) {
  if (part.size() <= prefix.size() || part.substr(0, prefix.size()) != prefix) return {};
  std::string_view id = part.substr(prefix.size());
  if (id.ends_with(".scope")) id.remove_suffix(6);
  return is_hex_id(id) ? id : std::string_view{};
}

// The pod uid in "pod<uid>" or "kubepods-besteffort-pod<uid>.slice".
std::string pod_uid(std::string_view part) {
  const auto at = part.rfind("pod");
  if (at == std::string_view::npos) return {};
  std::string_view uid = part.substr(at + 3);
  if (uid.ends_with(".slice")) uid.remove_suffix(6);
  if (uid.size() < 32 || uid.size() > 36) return {};
  std::string out(uid);
  for (char& c : out)
    if (c == '_') c = '-';
  return out;
}

// The container of one cgroup path, or empty.
std::string container_of_path(std::string_view path) {
  std::string pod, unit;
  std::string_view prev;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    static constexpr std::pair<std::string_view, std::string_view> kRuntimes[] = {
        {"docker-", "docker:"}, {"libpod-", "podman:"}, {"cri-containerd-", "containerd:"},
        {"crio-", "crio:"}};
    std::string id_kind;
    std::string_view id;
    for (const auto& [prefix, kind] : kRuntimes) {
      if (id.empty() && !(id = scoped_id(part, prefix)).empty()) id_kind = kind;
    }
    if (id.empty() && (prev == "docker" || !pod.empty()) && is_hex_id(part)) {
      id = part;
      id_kind = pod.empty() ? "docker:" : "";
    }
    if (part.find("kubepods") != std::string_view::npos || part.substr(0, 3) == "pod") {
      if (auto uid = pod_uid(part); !uid.empty()) pod = uid;
    }
    if (!id.empty()) {
      if (!pod.empty()) return "k8s:" + pod + "/" + std::string(id.substr(0, 12));
      return id_kind + std::string(id);
    }
    if (part.ends_with(".service") || (part.ends_with(".scope") && !part.starts_with("init")))
      unit = std::string(part);
    prev = part;
  }
  if (!pod.empty()) return "k8s:" + pod;
  if (!unit.empty()) return "systemd:" + unit;
  return {};
}

}  // namespace

std::string container_from_cgroup(std::string_view cgroup_text) {
  // cgroup v2's "0::<path>" first; v1 lines "<n>:<controllers>:<path>" else.
  std::string v1;
  std::string found;
  for_each_line(cgroup_text, [&](std::string_view line) {
    if (!found.empty()) return;
    const auto c1 = line.find(':');
    const auto c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
    if (c2 == std::string_view::npos) return;
    std::string c = container_of_path(line.substr(c2 + 1));
    if (line.substr(0, c2 + 1) == "0::") found = std::move(c);
    else if (v1.empty()) v1 = std::move(c);
  });
  return found.empty() ? v1 : found;
}

}  // namespace wiretop::host
