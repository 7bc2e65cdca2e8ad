#pragma once
// Time in wiretop is the packet clock: microseconds since the Unix epoch as
// stamped by the capture, never the wall clock (see design/architecture.md).

#include <cstdint>
#include <string>

namespace wiretop::core {

struct Timestamp {
  std::int64_t usec = 0;

  static constexpr Timestamp from_seconds(double s) {
    return Timestamp{static_cast<std::int64_t>(s * 1e6)};
  }
  static constexpr Timestamp from_timeval(std::int64_t sec, std::int64_t usec) {
    return Timestamp{sec * 1'000'000 + usec};
  }
  constexpr double seconds() const { return static_cast<double>(usec) / 1e6; }

  friend constexpr auto operator<=>(Timestamp, Timestamp) = default;
};

// A span of packet-clock time, in microseconds.
struct Duration {
  std::int64_t usec = 0;
  static constexpr Duration seconds(std::int64_t s) { return Duration{s * 1'000'000}; }
  static constexpr Duration millis(std::int64_t ms) { return Duration{ms * 1'000}; }
  constexpr double ms() const { return static_cast<double>(usec) / 1e3; }
  friend constexpr auto operator<=>(Duration, Duration) = default;
};

constexpr Timestamp operator+(Timestamp t, Duration d) { return Timestamp{t.usec + d.usec}; }
constexpr Timestamp operator-(Timestamp t, Duration d) { return Timestamp{t.usec - d.usec}; }
constexpr Duration operator-(Timestamp a, Timestamp b) { return Duration{a.usec - b.usec}; }

// "2024-05-01T12:00:00.123456Z"
std::string format_rfc3339(Timestamp t);
// Writes the same into buf (at least 32 bytes) and returns its length.
std::size_t format_rfc3339(Timestamp t, char* buf);

}  // namespace wiretop::core
