#pragma once
// --syslog (issue 10): each alert as one syslog line for a SIEM. The socket to
// the local syslog daemon (/dev/log) is opened and connected before the
// sandbox; afterwards wiretop only send()s on it (seccomp allows sendto on an
// existing socket, and nothing may create or connect another one). glibc's
// syslog(3) is not used because it reconnects by itself after a failed send:
// a socket()+connect() the sandbox forbids (and --sandbox-strict punishes).
// Lines are RFC 3164, as syslog(3) writes them: "<PRI>Mmm dd hh:mm:ss wiretop[PID]: ...".

#include <cstdint>
#include <string>

#include "core/result.h"
#include "model/alert.h"

namespace wiretop::exporting {

class SyslogSink {
 public:
  static constexpr const char* kDefaultPath = "/dev/log";
  static constexpr int kFacilityDaemon = 3 << 3;  // LOG_DAEMON

  static core::Result<SyslogSink, std::string> open(const std::string& path = kDefaultPath);
  SyslogSink(SyslogSink&& other) noexcept;
  SyslogSink& operator=(SyslogSink&&) = delete;
  SyslogSink(const SyslogSink&) = delete;
  ~SyslogSink();

  // "rule=tls_old severity=warning id=3 client=... server=... message" at the
  // severity's priority (critical: LOG_CRIT, warning: LOG_WARNING, info: LOG_INFO).
  void send(const model::Alert& alert);
  std::uint64_t failures() const { return failures_; }
  const std::string& last_error() const { return last_error_; }

  // The line's text after the "<PRI>timestamp tag: " prefix (tests).
  static std::string message_of(const model::Alert& alert);

 private:
  SyslogSink(int fd, bool stream) : fd_(fd), stream_(stream) {}
  int fd_ = -1;
  bool stream_ = false;  // a SOCK_STREAM /dev/log: lines end with '\n'
  std::uint64_t failures_ = 0;
  std::string last_error_;
  std::string line_;
};

}  // namespace wiretop::exporting
