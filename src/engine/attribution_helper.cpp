#include "engine/attribution_helper.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>

#include "host/ebpf_event.h"
#include "host/ebpf_source.h"
#include "host/owner_sources.h"
#include "sandbox/sandbox.h"

namespace wiretop::engine {
namespace {

double monotonic_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The socket's identity: its tuple and inode (a new socket on the same tuple is a new entry).
std::string key_of(const host::OwnerRecord& r) {
  std::string k(reinterpret_cast<const char*>(&r.ip_proto), 2);
  k.append(reinterpret_cast<const char*>(r.local_ip.data()), 16);
  k.append(reinterpret_cast<const char*>(r.remote_ip.data()), 16);
  k.append(reinterpret_cast<const char*>(&r.local_port), 2);
  k.append(reinterpret_cast<const char*>(&r.remote_port), 2);
  k.append(reinterpret_cast<const char*>(&r.inode), 8);
  return k;
}

template <typename Record>
bool send_all(int fd, const std::vector<Record>& records) {
  for (const auto& rec : records) {
    for (;;) {
      if (::send(fd, &rec, sizeof rec, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof rec)) break;
      if (errno == EINTR) continue;
      return false;
    }
  }
  return true;
}

// An eBPF event knows pid, uid and the 16-byte comm: the rest comes from
// /proc while the process lives (a short-lived one keeps just its comm).
void enrich_event(host::ProcessReader& reader, host::OwnerRecord& rec) {
  host::OwnerRecord details{};
  if (rec.pid == 0 || !reader.fill(rec.pid, details)) return;
  host::take_process_details(rec, details);
  rec.gid = details.gid;
}

// The first dump source's listening sockets, sent as one batch when the list
// changed since the last batch (the first batch is always sent, even empty).
bool send_listeners(int fd, const std::vector<std::unique_ptr<host::OwnerSourceBase>>& sources,
                    std::optional<std::vector<host::ListenerRecord>>& last) {
  std::vector<host::ListenerRecord> now;
  const bool listed = std::any_of(sources.begin(), sources.end(), [&](const auto& s) { return s->listeners(now); });
  if (!listed) return true;
  if (last && last->size() == now.size() &&
      (now.empty() || std::memcmp(last->data(), now.data(), now.size() * sizeof now[0]) == 0))
    return true;
  last = now;
  if (now.empty()) now.emplace_back().flags = host::ListenerRecord::kEmpty;
  now.back().flags |= host::ListenerRecord::kLast;
  return send_all(fd, now);
}

}  // namespace

std::vector<std::unique_ptr<host::OwnerSourceBase>> make_owner_sources(const HelperConfig& config,
                                                                       std::vector<std::string>& notes) {
  std::vector<std::unique_ptr<host::OwnerSourceBase>> sources;
  host::ProcPaths paths;
  paths.proc = config.proc_root;
  // eBPF first; the dump sources still run beside it for sockets that existed
  // before it attached (the main side prefers the better source for a socket).
  if (config.ebpf) {
    auto reader = std::make_shared<host::ProcessReader>(paths);
    auto opened = host::open_ebpf_source([reader](host::OwnerRecord& rec) { enrich_event(*reader, rec); });
    if (opened.source) sources.push_back(std::move(opened.source));
    else notes.push_back(opened.why + "; using sock_diag/procfs");
  }
  std::string error;
  if (auto diag = host::SockDiagSource::open(paths, error)) {
    sources.push_back(std::move(diag));
  } else {
    notes.push_back(error + "; using /proc/net");
    sources.push_back(std::make_unique<host::ProcNetSource>(paths));
  }
  return sources;
}

void DumpDiff::update(const std::vector<host::OwnerRecord>& full, std::vector<host::OwnerRecord>& changes) {
  ++generation_;
  for (const auto& rec : full) {
    auto [it, inserted] = known_.try_emplace(key_of(rec));
    if (inserted || it->second.rec.pid != rec.pid || std::strcmp(it->second.rec.name.data(), rec.name.data()) != 0)
      changes.push_back(rec);
    it->second.rec = rec;
    it->second.generation = generation_;
  }
  for (auto it = known_.begin(); it != known_.end();) {
    if (generation_ - it->second.generation >= 2) {
      host::OwnerRecord ended = it->second.rec;
      ended.ended = 1;
      changes.push_back(ended);
      it = known_.erase(it);
    } else {
      ++it;
    }
  }
}

void run_attribution_helper(int fd, const HelperConfig& config) {
  std::vector<std::string> notes;
  auto sources = make_owner_sources(config, notes);
  for (const auto& n : notes) std::fprintf(stderr, "wiretop: attribution: %s\n", n.c_str());
  if (sources.empty()) ::_exit(kHelperNoSource);
  // Everything the helper uses is open: contain it before it reads any /proc entry.
  for (const auto& layer : sandbox::apply_helper_profile().layers)
    if (layer.state == sandbox::LayerState::kUnavailable)
      std::fprintf(stderr, "wiretop: attribution helper: %s unavailable: %s\n", layer.name.c_str(), layer.detail.c_str());
  std::vector<DumpDiff> diffs(sources.size());
  std::vector<host::OwnerRecord> full, changes;
  std::optional<std::vector<host::ListenerRecord>> last_listeners;
  double next_refresh = 0;
  for (;;) {
    std::vector<pollfd> fds{{fd, POLLIN, 0}};
    for (const auto& s : sources)
      if (s->fd() >= 0) fds.push_back({s->fd(), POLLIN, 0});
    const double wait_s = std::max(0.0, next_refresh - monotonic_s());
    if (::poll(fds.data(), fds.size(), static_cast<int>(wait_s * 1000)) < 0 && errno != EINTR) ::_exit(1);
    // The main process only reads from its end: anything on ours is its EOF.
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) ::_exit(0);
    const bool refresh = monotonic_s() >= next_refresh;
    if (refresh) next_refresh = monotonic_s() + config.refresh_s;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const bool event_source = sources[i]->fd() >= 0;
      if (!event_source && !refresh) continue;
      full.clear();
      changes.clear();
      sources[i]->collect(full);
      if (event_source) changes.swap(full);
      else diffs[i].update(full, changes);
      if (!send_all(fd, changes)) ::_exit(kHelperSendFailed);
    }
    if (refresh && !send_listeners(fd, sources, last_listeners)) ::_exit(kHelperSendFailed);
  }
}

}  // namespace wiretop::engine
