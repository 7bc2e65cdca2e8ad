#pragma once
// IPv4 and IPv6 addresses as one value type, stored in network byte order.

#include <array>
#include <compare>
#include <cstring>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/byte_reader.h"

namespace wiretop::core {

class IpAddress {
 public:
  enum class Family : std::uint8_t { None = 0, V4 = 4, V6 = 6 };

  IpAddress() = default;
  static IpAddress v4(std::uint32_t host_order);
  // From 4 / 16 network-order bytes (shorter input leaves the rest zero).
  // Inline: every decoded packet makes two of these.
  static IpAddress v4_bytes(Bytes four) {
    IpAddress a;
    a.family_ = Family::V4;
    std::memcpy(a.bytes_.data(), four.data(), four.size() < 4 ? four.size() : 4);
    return a;
  }
  static IpAddress v6_bytes(Bytes sixteen) {
    IpAddress a;
    a.family_ = Family::V6;
    std::memcpy(a.bytes_.data(), sixteen.data(), sixteen.size() < 16 ? sixteen.size() : 16);
    return a;
  }
  static std::optional<IpAddress> parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::V4; }
  bool is_v6() const { return family_ == Family::V6; }
  bool empty() const { return family_ == Family::None; }
  // IPv4 in the first 4 bytes, IPv6 in all 16.
  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  std::uint32_t v4_host_order() const;

  bool is_multicast() const;
  bool is_broadcast() const;  // 255.255.255.255 only: subnet broadcasts need the netmask
  bool is_loopback() const;
  bool is_unspecified() const;

  std::string to_string() const;
  // Writes the text form into buf (at least 46 bytes), returns its length.
  std::size_t format(char* buf) const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;

 private:
  std::size_t format_v6(char* buf) const;
  std::array<std::uint8_t, 16> bytes_{};
  Family family_ = Family::None;
};

}  // namespace wiretop::core
