#include "core/timestamp.h"

#include <ctime>

namespace wiretop::core {
namespace {

void put_digits(char* out, std::int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::size_t format_rfc3339(Timestamp t, char* buf) {
  std::int64_t sec = t.usec / 1'000'000;
  std::int64_t frac = t.usec % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    sec -= 1;
  }
  // Records are written in bursts with nearby timestamps: the calendar date
  // (gmtime_r) is recomputed only when the day changes.
  thread_local std::int64_t cached_day = INT64_MIN;
  thread_local char cached_date[11];
  std::int64_t day = sec / 86400;
  std::int64_t second_of_day = sec % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    day -= 1;
  }
  if (day != cached_day) {
    const std::time_t tt = static_cast<std::time_t>(day * 86400);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    put_digits(cached_date, tm.tm_year + 1900, 4);
    cached_date[4] = '-';
    put_digits(cached_date + 5, tm.tm_mon + 1, 2);
    cached_date[7] = '-';
    put_digits(cached_date + 8, tm.tm_mday, 2);
    cached_date[10] = 'T';
    cached_day = day;
  }
  // "YYYY-MM-DDTHH:MM:SS.uuuuuuZ"
  for (int i = 0; i < 11; ++i) buf[i] = cached_date[i];
  put_digits(buf + 11, second_of_day / 3600, 2);
  buf[13] = ':';
  put_digits(buf + 14, second_of_day / 60 % 60, 2);
  buf[16] = ':';
  put_digits(buf + 17, second_of_day % 60, 2);
  buf[19] = '.';
  put_digits(buf + 20, frac, 6);
  buf[26] = 'Z';
  buf[27] = '\0';
  return 27;
}

std::string format_rfc3339(Timestamp t) {
  char buf[40];
  return std::string(buf, format_rfc3339(t, buf));
}

}  // namespace wiretop::core
