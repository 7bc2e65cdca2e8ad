#include "export/json_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/timestamp.h"
#include "export/alert_json.h"
#include "export/connection_json.h"

namespace wiretop::exporting {
namespace {

constexpr mode_t kMode = 0600;  // connection logs name hosts and processes: owner only

int open_log(const std::string& path, int extra_flags) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | extra_flags, kMode);
}

// The packet-clock time of the event: the first packet for "new", the newest
// one otherwise (the packet that brought the discovery, or the last before the end).
core::Timestamp event_time(std::string_view event, const model::ConnectionRow& row) {
  return event == "new" ? row.first_seen : row.last_seen;
}

}  // namespace

core::Result<JsonLog, std::string> JsonLog::open(const std::string& path, std::uint64_t max_bytes) {
  const int fd = open_log(path, 0);
  if (fd < 0) return core::Err{"--json-log " + path + ": " + std::strerror(errno)};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return core::Err{"--json-log " + path + ": not a regular file"};
  }
  // An existing file keeps its content but not looser permissions.
  if ((st.st_mode & 077) != 0) ::fchmod(fd, kMode);
  return JsonLog(path, fd, static_cast<std::uint64_t>(st.st_size), max_bytes);
}

JsonLog::JsonLog(JsonLog&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(other.fd_),
      size_(other.size_),
      max_bytes_(other.max_bytes_),
      failures_(other.failures_),
      rotations_(other.rotations_),
      last_error_(std::move(other.last_error_)) {
  other.fd_ = -1;
}

JsonLog::~JsonLog() {
  if (fd_ >= 0) ::close(fd_);
}

std::string JsonLog::directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void JsonLog::write(std::string_view event, const model::ConnectionRow& row, const ServiceNames& names) {
  char ts[64];
  line_.assign("{\"event\":\"").append(event).append("\",\"ts\":\"");
  line_.append(ts, core::format_rfc3339(event_time(event, row), ts)).append("\",");
  const std::size_t record_at = line_.size();
  append_connection_json(line_, row, names);
  line_.erase(record_at, 1);  // the record's own '{'
  line_ += '\n';
  append_line();
}

void JsonLog::write_alert(const model::Alert& alert) {
  line_.clear();
  append_alert_json(line_, alert, AlertJson::kEvent);
  line_ += '\n';
  append_line();
}

void JsonLog::append_line() {
  // A failed rotation keeps appending to the current file rather than lose events.
  if (max_bytes_ != 0 && size_ != 0 && size_ + line_.size() > max_bytes_) rotate();
  if (!write_all(line_)) ++failures_;
}

// PATH.<kKeep-1> → PATH.<kKeep>, …, PATH → PATH.1, then a fresh PATH.
bool JsonLog::rotate() {
  for (int n = kKeep - 1; n >= 1; --n) {
    const std::string from = path_ + "." + std::to_string(n);
    const std::string to = path_ + "." + std::to_string(n + 1);
    if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
      last_error_ = "rename " + from + ": " + std::strerror(errno);
      return false;
    }
  }
  if (::rename(path_.c_str(), (path_ + ".1").c_str()) != 0) {
    last_error_ = "rename " + path_ + ": " + std::strerror(errno);
    return false;
  }
  const int fd = open_log(path_, O_TRUNC);
  if (fd < 0) {
    last_error_ = "create " + path_ + ": " + std::strerror(errno);
    return false;
  }
  ::close(fd_);
  fd_ = fd;
  size_ = 0;
  ++rotations_;
  return true;
}

bool JsonLog::write_all(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      last_error_ = std::string("write ") + path_ + ": " + std::strerror(errno);
      return false;
    }
    size_ += static_cast<std::uint64_t>(n);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace wiretop::exporting
