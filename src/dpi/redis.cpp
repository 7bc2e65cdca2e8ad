// Redis (RESP2/RESP3, redis.io "Redis serialization protocol
// specification"): identification only. A client sends each command as an
// array of bulk strings, "*<count>\r\n$<length>\r\n<NAME>\r\n...", the first
// one the command name; redis-cli and telnet users may also send the inline
// "PING". A server seen first answers "+PONG" or an error in Redis's own
// wording ("-NOAUTH", "-WRONGPASS", "-ERR ").
#include <string_view>

#include "dpi/dissector.h"
#include "dpi/lines.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::size_t kMaxDigits = 7;   // an array or command name count stays small
constexpr std::size_t kMaxCommand = 32;  // the longest names are ~20 letters

// A decimal count in 1..9999999 ended by CR LF. Maybe when the bytes end first.
Match count_line(ByteReader& r, std::uint32_t& value) {
  value = 0;
  for (std::size_t digits = 0;; ++digits) {
    const auto ch = r.u8();
    if (!ch) return Match::Maybe;
    if (*ch == '\r') {
      const auto lf = r.u8();
      if (!lf) return Match::Maybe;
      return *lf == '\n' && digits > 0 && value > 0 ? Match::Yes : Match::No;
    }
    if (*ch < '0' || *ch > '9' || digits == kMaxDigits) return Match::No;
    value = value * 10 + static_cast<std::uint32_t>(*ch - '0');
  }
}

bool is_letter(std::uint8_t ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

// "*<n>\r\n$<m>\r\n" then m letters (the command name) and CR LF.
Match command_array(ByteReader r) {
  std::uint32_t count = 0, length = 0;
  if (r.u8() != '*') return Match::No;
  if (const Match m = count_line(r, count); m != Match::Yes) return m;
  const auto dollar = r.u8();
  if (!dollar) return Match::Maybe;
  if (*dollar != '$') return Match::No;
  if (const Match m = count_line(r, length); m != Match::Yes) return m;
  if (length > kMaxCommand) return Match::No;
  for (std::uint32_t i = 0; i < length; ++i) {
    const auto ch = r.u8();
    if (!ch) return Match::Maybe;
    if (!is_letter(*ch)) return Match::No;
  }
  const auto cr = r.u8();
  const auto lf = r.u8();
  if (!lf) return cr && *cr != '\r' ? Match::No : Match::Maybe;
  return *cr == '\r' && *lf == '\n' ? Match::Yes : Match::No;
}

// Whether `start` begins with one of `texts`: Yes, Maybe (a prefix of one) or No.
Match starts_with_any(Bytes start, std::initializer_list<std::string_view> texts) {
  Match result = Match::No;
  for (const std::string_view text : texts) {
    bool partial = false;
    if (bytes_start_with(start, text, partial)) return Match::Yes;
    if (partial && !start.empty()) result = Match::Maybe;
  }
  return result;
}

Match probe(const FlowInfo&, Direction dir, Bytes start) {
  if (start.empty()) return Match::Maybe;
  if (dir == Direction::ToClient)
    return starts_with_any(start, {"+PONG\r\n", "-NOAUTH ", "-WRONGPASS ", "-ERR "});
  if (ByteReader(start).peek_u8(0) == '*') return command_array(ByteReader(start));
  return starts_with_any(start, {"PING\r\n", "ping\r\n"});
}

}  // namespace

extern const Dissector kRedis{"REDIS", kTcp, {6379}, false, probe, nullptr};

}  // namespace wiretop::dpi
