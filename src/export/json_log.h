#pragma once
// --json-log PATH (issue 8): connection events as JSON lines — "new", "update"
// (DPI or process discovered), "closed" with the final counters — each the
// headless record (docs/json-schema.md) with `event` and `ts` in front.
// The file is created 0600 before the sandbox, written with one write(2) per
// event (nothing is buffered in wiretop), and rotated by size: PATH → PATH.1 →
// … → PATH.<kKeep>, renames within PATH's own directory, the one directory
// the sandbox lets wiretop create files in.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "export/service_names.h"
#include "model/alert.h"
#include "model/connection_row.h"

namespace wiretop::exporting {

class JsonLog {
 public:
  static constexpr int kKeep = 5;  // rotated files kept beside the live one

  // Opens (appends to) `path`, creating it 0600. max_bytes 0: never rotate.
  static core::Result<JsonLog, std::string> open(const std::string& path, std::uint64_t max_bytes);
  JsonLog(JsonLog&& other) noexcept;
  JsonLog& operator=(JsonLog&&) = delete;
  JsonLog(const JsonLog&) = delete;
  ~JsonLog();

  // Appends one event line; rotates first when the line would pass max_bytes.
  void write(std::string_view event, const model::ConnectionRow& row, const ServiceNames& names);
  // Appends an {"event":"alert",...} line (issue 10, export/alert_json.h).
  void write_alert(const model::Alert& alert);

  // The directory rotation creates files in (for the sandbox's write_dirs).
  static std::string directory_of(const std::string& path);
  // Lines not written (a write failed), and the last write or rotation error.
  std::uint64_t failures() const { return failures_; }
  const std::string& last_error() const { return last_error_; }
  std::uint64_t rotations() const { return rotations_; }

 private:
  JsonLog(std::string path, int fd, std::uint64_t size, std::uint64_t max_bytes)
      : path_(std::move(path)), fd_(fd), size_(size), max_bytes_(max_bytes) {}
  bool rotate();
  void append_line();  // line_, rotating first when it would pass max_bytes
  bool write_all(std::string_view data);

  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0, max_bytes_ = 0;
  std::uint64_t failures_ = 0, rotations_ = 0;
  std::string last_error_;
  std::string line_;
};

}  // namespace wiretop::exporting
