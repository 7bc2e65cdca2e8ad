#include "export/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wiretop::exporting {

OutputFile::~OutputFile() {
  flush();
  ::close(fd_);
}

core::Result<std::unique_ptr<OutputFile>, std::string> OutputFile::create(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return core::Err{"cannot create " + path + ": " + std::strerror(errno)};
  // O_CREAT leaves an existing file's mode alone: captures are private either way.
  if (::fchmod(fd, 0600) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return core::Err{"cannot make " + path + " private (0600): " + why};
  }
  return std::unique_ptr<OutputFile>(new OutputFile(fd, path));
}

void OutputFile::write(std::string_view bytes) {
  if (failed_) return;
  buffer_.append(bytes);
  if (buffer_.size() >= kBufferBytes) flush();
}

void OutputFile::flush() {
  std::size_t done = 0;
  while (!failed_ && done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) failed_ = true;
    else done += static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

}  // namespace wiretop::exporting
