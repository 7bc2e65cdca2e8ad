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
  if (inet_ntop(AF_INET6, bytes_.data(), buf, INET6_ADDRSTRLEN) == nullptr) {
    buf[0] = '\0';
    return 0;
  }
  return std::strlen(buf);
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  const std::size_t n = format(buf);
  return std::string(buf, n);
}

}  // namespace wiretop::core
