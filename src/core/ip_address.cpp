#include "core/ip_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace wiretop::core {

IpAddress IpAddress::v4(std::uint32_t host_order) {
  IpAddress a;
  a.family_ = Family::V4;
  a.bytes_[0] = static_cast<std::uint8_t>(host_order >> 24);
  a.bytes_[1] = static_cast<std::uint8_t>(host_order >> 16);
  a.bytes_[2] = static_cast<std::uint8_t>(host_order >> 8);
  a.bytes_[3] = static_cast<std::uint8_t>(host_order);
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
  char buf[64];
  if (text.size() >= sizeof buf) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress a;
  if (inet_pton(AF_INET, buf, a.bytes_.data()) == 1) {
    a.family_ = Family::V4;
    return a;
  }
  if (inet_pton(AF_INET6, buf, a.bytes_.data()) == 1) {
    a.family_ = Family::V6;
    return a;
  }
  return std::nullopt;
}

std::uint32_t IpAddress::v4_host_order() const {
  return (std::uint32_t{bytes_[0]} << 24) | (std::uint32_t{bytes_[1]} << 16) |
         (std::uint32_t{bytes_[2]} << 8) | std::uint32_t{bytes_[3]};
}

bool IpAddress::is_multicast() const {
  if (is_v4()) return (bytes_[0] & 0xF0) == 0xE0;
  if (is_v6()) return bytes_[0] == 0xFF;
  return false;
}

bool IpAddress::is_broadcast() const {
  return is_v4() && v4_host_order() == 0xFFFFFFFFu;
}

bool IpAddress::is_loopback() const {
  if (is_v4()) return bytes_[0] == 127;
  if (is_v6()) {
    for (int i = 0; i < 15; ++i)
      if (bytes_[i] != 0) return false;
    return bytes_[15] == 1;
  }
  return false;
}

bool IpAddress::is_unspecified() const {
  for (auto b : bytes_)
    if (b != 0) return false;
  return true;
}

std::size_t IpAddress::format(char* buf) const {
  if (family_ == Family::None) {
    buf[0] = '\0';
    return 0;
  }
  if (is_v4()) {
    // Dotted quad by hand: glibc's inet_ntop formats IPv4 with sprintf, which
    // showed in the JSON output's profile (two addresses per record).
    char* p = buf;
    for (std::size_t i = 0; i < 4; ++i) {
      if (i > 0) *p++ = '.';
      p = std::to_chars(p, p + 3, unsigned{bytes_[i]}).ptr;
    }
    *p = '\0';
    return static_cast<std::size_t>(p - buf);
  }
  return format_v6(buf);
}

// RFC 5952 text, the same as glibc's inet_ntop (whose sprintf per group
// showed in the JSON output's profile): lower-case hex without leading zeros,
// the first longest run of two or more zero groups as "::", and the last four
// bytes dotted when the address is IPv4-compatible (::a.b.c.d) or mapped
// (::ffff:a.b.c.d).
std::size_t IpAddress::format_v6(char* buf) const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::array<std::uint16_t, 8> words{};
  for (std::size_t i = 0; i < 8; ++i) words[i] = static_cast<std::uint16_t>(bytes_[2 * i] << 8 | bytes_[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (words[static_cast<std::size_t>(i)] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && words[static_cast<std::size_t>(j)] == 0) ++j;
    if (j - i > best_len) best = i, best_len = j - i;
    i = j;
  }
  if (best_len < 2) best = -1;
  char* p = buf;
  for (int i = 0; i < 8; ++i) {
    if (best >= 0 && i >= best && i < best + best_len) {
      if (i == best) *p++ = ':';
      continue;
    }
    if (i != 0) *p++ = ':';
    if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
      for (std::size_t k = 12; k < 16; ++k) {
        if (k > 12) *p++ = '.';
        p = std::to_chars(p, p + 3, unsigned{bytes_[k]}).ptr;
      }
      break;
    }
    const std::uint16_t w = words[static_cast<std::size_t>(i)];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned digit = (w >> shift) & 0x0f;
      if (digit == 0 && !started && shift > 0) continue;
      started = true;
      *p++ = kDigits[digit];
    }
  }
  if (best >= 0 && best + best_len == 8) *p++ = ':';
  *p = '\0';
  return static_cast<std::size_t>(p - buf);
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  const std::size_t n = format(buf);
  return std::string(buf, n);
}

}  // namespace wiretop::core
