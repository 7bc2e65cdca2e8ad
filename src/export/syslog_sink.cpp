#include "export/syslog_sink.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace wiretop::exporting {
namespace {

constexpr int kLogCrit = 2, kLogWarning = 4, kLogInfo = 6;

int priority_of(const std::string& severity) {
  if (severity == "critical") return kLogCrit;
  if (severity == "warning") return kLogWarning;
  return kLogInfo;
}

int connect_unix(const std::string& path, int type) {
  const int fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

}  // namespace

core::Result<SyslogSink, std::string> SyslogSink::open(const std::string& path) {
  if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path))
    return core::Err{"--syslog " + path + ": not a usable socket path"};
  // localtime_r() below needs the zone loaded now: /etc/localtime is not readable later.
  ::tzset();
  int fd = connect_unix(path, SOCK_DGRAM);
  bool stream = false;
  if (fd < 0 && errno == EPROTOTYPE) {  // some daemons listen on a stream socket
    fd = connect_unix(path, SOCK_STREAM);
    stream = true;
  }
  if (fd < 0) return core::Err{"--syslog " + path + ": " + std::strerror(errno)};
  return SyslogSink(fd, stream);
}

SyslogSink::SyslogSink(SyslogSink&& other) noexcept
    : fd_(other.fd_), stream_(other.stream_), failures_(other.failures_), last_error_(std::move(other.last_error_)) {
  other.fd_ = -1;
}

SyslogSink::~SyslogSink() {
  if (fd_ >= 0) ::close(fd_);
}

std::string SyslogSink::message_of(const model::Alert& a) {
  std::string m = "alert rule=" + a.rule + " severity=" + a.severity + " id=" + std::to_string(a.connection_id);
  if (!a.client.empty()) m += " client=" + a.client;
  if (!a.server.empty()) m += " server=" + a.server;
  if (!a.process.empty()) m += " pid=" + std::to_string(a.pid);
  m += ": ";
  // One line: a control byte from the wire (a name, a user) must not split it.
  for (const char c : a.message) m += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  return m;
}

void SyslogSink::send(const model::Alert& alert) {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  const std::size_t n = std::strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &local);
  line_ = "<" + std::to_string(kFacilityDaemon | priority_of(alert.severity)) + ">" + std::string(stamp, n) +
          " wiretop[" + std::to_string(::getpid()) + "]: " + message_of(alert);
  if (stream_) line_ += '\n';
  // Never block the engine on a slow daemon: a full socket buffer loses the line (counted).
  if (::send(fd_, line_.data(), line_.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
    ++failures_;
    last_error_ = std::string("send: ") + std::strerror(errno);
  }
}

}  // namespace wiretop::exporting
