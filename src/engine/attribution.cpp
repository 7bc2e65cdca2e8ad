#include "engine/attribution.h"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace wiretop::engine {
namespace {

// Publishing copies the table: at most this often, however fast records come.
constexpr auto kPublishEvery = std::chrono::milliseconds(100);

std::int64_t wall_usec() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// In the child right after fork(): keep only the socket to the parent (as fd 3)
// and stderr for its log lines, die with the parent, then run the helper.
[[noreturn]] void become_helper(int fd, pid_t parent, const HelperConfig& config) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(0);  // the parent died before prctl
  ::signal(SIGINT, SIG_IGN);  // Ctrl-C is for the main process; EOF tells us to go
  ::signal(SIGPIPE, SIG_IGN);
  const int null_fd = ::open("/dev/null", O_RDWR);
  if (null_fd >= 0) {
    ::dup2(null_fd, 0);
    ::dup2(null_fd, 1);  // stdout carries the main process's JSON
  }
  if (fd != 3) {
    ::dup2(fd, 3);
    fd = 3;
  }
  ::close_range(4, ~0u, 0);  // the capture handle and anything else inherited
  run_attribution_helper(fd, config);
}

std::string exit_reason(int status) {
  if (WIFEXITED(status)) {
    switch (WEXITSTATUS(status)) {
      case kHelperNoSource: return "no attribution source could start";
      case kHelperSendFailed: return "the helper could not write to wiretop";
      default: return "the helper exited with status " + std::to_string(WEXITSTATUS(status));
    }
  }
  if (WIFSIGNALED(status)) return std::string("the helper was killed by signal ") + ::strsignal(WTERMSIG(status));
  return "the helper went away";
}

template <std::size_t N>
std::string text_of(const std::array<char, N>& text) {
  return std::string(text.data(), ::strnlen(text.data(), N));
}

// A validated record as the views see it (connections are counted later, from rows).
model::ListenerRow listener_row(const host::ListenerRecord& rec) {
  model::ListenerRow l;
  l.ip_proto = rec.ip_proto;
  l.local_ip = rec.family == 4 ? core::IpAddress::v4_bytes(core::Bytes(rec.local_ip.data(), 4))
                               : core::IpAddress::v6_bytes(core::Bytes(rec.local_ip.data(), 16));
  l.local_port = rec.local_port;
  l.pid = rec.pid;
  l.uid = rec.uid;
  l.process = text_of(rec.name);
  l.user = text_of(rec.user);
  l.exposed = model::listener_exposed(l.local_ip);
  return l;
}

}  // namespace

std::unique_ptr<Attribution> Attribution::start(const HelperConfig& config, std::string& error) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    error = std::string("attribution socketpair: ") + std::strerror(errno);
    return nullptr;
  }
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child < 0) {
    error = std::string("attribution helper fork: ") + std::strerror(errno);
    ::close(sv[0]);
    ::close(sv[1]);
    return nullptr;
  }
  if (child == 0) {
    ::close(sv[0]);
    become_helper(sv[1], parent, config);
  }
  ::close(sv[1]);
  return std::unique_ptr<Attribution>(new Attribution(sv[0], child));
}

void Attribution::start_receiving() {
  if (!receiver_.joinable()) receiver_ = std::thread([this] { receive_loop(); });
}

Attribution::Attribution(int fd, pid_t child) : fd_(fd), child_(child) {
  table_.store(std::make_shared<const host::OwnerTable>());
  stats_.status = "running";
}

Attribution::~Attribution() {
  stop_.store(true);
  if (receiver_.joinable()) receiver_.join();
  ::close(fd_);  // the helper sees EOF and exits
  if (child_ > 0) {
    // No kill(): the sandbox forbids it; EOF (or PDEATHSIG when we exit) ends the helper.
    int status = 0;
    for (int i = 0; i < 50 && ::waitpid(child_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

AttributionStats Attribution::stats() const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  return stats_;
}

bool Attribution::drain(host::OwnerTable& master, bool& changed) {
  const std::int64_t now = wall_usec();
  for (;;) {
    host::OwnerRecord rec;
    // One byte more than the largest record: MSG_TRUNC then reports an oversized message.
    alignas(host::OwnerRecord) char buf[std::max(sizeof(host::OwnerRecord), sizeof(host::ListenerRecord)) + 1];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT | MSG_TRUNC);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    if (n == static_cast<ssize_t>(sizeof(host::ListenerRecord))) {
      host::ListenerRecord l;
      std::memcpy(&l, buf, sizeof l);
      take_listener(l);
      continue;
    }
    std::lock_guard<std::mutex> lock(stats_mutex_);
    if (n != static_cast<ssize_t>(sizeof rec)) {
      ++stats_.rejected;
      continue;
    }
    std::memcpy(&rec, buf, sizeof rec);
    if (host::check_record(rec) != host::RecordCheck::kOk) {
      ++stats_.rejected;
      continue;
    }
    ++stats_.records;
    const auto bit = 1u << static_cast<unsigned>(rec.source);
    if (!(sources_seen_ & bit)) {
      sources_seen_ |= bit;
      stats_.status = "running (";
      for (auto s : {host::OwnerSource::kEbpf, host::OwnerSource::kSockDiag, host::OwnerSource::kProcfs})
        if (sources_seen_ & (1u << static_cast<unsigned>(s)))
          stats_.status += std::string(host::owner_source_name(s)) + ", ";
      stats_.status.resize(stats_.status.size() - 2);
      stats_.status += ")";
    }
    master.apply(rec, now);
    changed = true;
  }
}

void Attribution::take_listener(const host::ListenerRecord& rec) {
  if (!host::listener_record_ok(rec) || pending_listeners_.size() >= host::kMaxListeners) {
    std::lock_guard<std::mutex> lock(stats_mutex_);
    ++stats_.rejected;
    return;
  }
  if (!(rec.flags & host::ListenerRecord::kEmpty)) pending_listeners_.push_back(listener_row(rec));
  if (!(rec.flags & host::ListenerRecord::kLast)) return;
  std::lock_guard<std::mutex> lock(stats_mutex_);
  listeners_.swap(pending_listeners_);
  pending_listeners_.clear();
  listeners_known_ = true;
}

bool Attribution::listeners(std::vector<model::ListenerRow>& out) const {
  std::lock_guard<std::mutex> lock(stats_mutex_);
  out = listeners_;
  return listeners_known_;
}

void Attribution::mark_lost() {
  int status = 0;
  std::string reason = "the helper closed its socket";
  if (::waitpid(child_, &status, 0) == child_) {
    reason = exit_reason(status);
    child_ = -1;
  }
  std::lock_guard<std::mutex> lock(stats_mutex_);
  stats_.lost = true;
  stats_.status = "lost: " + reason;
}

void Attribution::receive_loop() {
  host::OwnerTable master;
  bool changed = false;
  auto last_publish = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    pollfd p{fd_, POLLIN, 0};
    ::poll(&p, 1, 100);
    if (!drain(master, changed)) {
      if (!stop_.load()) mark_lost();
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (changed && now - last_publish >= kPublishEvery) {
      master.expire(wall_usec());
      table_.store(std::make_shared<const host::OwnerTable>(master), std::memory_order_release);
      changed = false;
      last_publish = now;
    }
  }
  if (changed) table_.store(std::make_shared<const host::OwnerTable>(master), std::memory_order_release);
}

}  // namespace wiretop::engine
