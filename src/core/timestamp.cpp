#include "core/timestamp.h"

#include <cstdio>
#include <ctime>

namespace wiretop::core {

std::size_t format_rfc3339(Timestamp t, char* buf) {
  std::int64_t sec = t.usec / 1'000'000;
  std::int64_t frac = t.usec % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    sec -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(sec);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  const int n = std::snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                              static_cast<long long>(frac));
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

std::string format_rfc3339(Timestamp t) {
  char buf[40];
  return std::string(buf, format_rfc3339(t, buf));
}

}  // namespace wiretop::core
