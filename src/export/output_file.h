#pragma once
// An output file wiretop writes (pcap, pcapng, JSON lines): created 0600 before
// the sandbox is applied (Landlock allows no file creation after it), buffered,
// and written with write(2) on the descriptor opened then.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace wiretop::exporting {

class OutputFile {
 public:
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Creates (or truncates) `path` with mode 0600. The error is one line for the user.
  static core::Result<std::unique_ptr<OutputFile>, std::string> create(const std::string& path);

  void write(std::string_view bytes);
  // Hands the buffered bytes to the kernel.
  void flush();
  // Something could not be written (disk full, ...): later writes are dropped.
  bool failed() const { return failed_; }
  const std::string& path() const { return path_; }

 private:
  OutputFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  static constexpr std::size_t kBufferBytes = 1u << 16;
  int fd_;
  std::string path_;
  std::string buffer_;
  bool failed_ = false;
};

}  // namespace wiretop::exporting
