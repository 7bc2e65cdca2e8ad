#pragma once
// Hex views of the bytes the export writers produce, for fixtures next to the assertions.

#include <cstdint>
#include <string>
#include <string_view>

namespace wiretop::exporting::testing {

inline std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<std::uint8_t>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

inline std::uint16_t be16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<std::uint8_t>(s[at]) << 8 | static_cast<std::uint8_t>(s[at + 1]));
}

inline std::uint32_t be32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(be16(s, at)) << 16 | be16(s, at + 2);
}

inline std::uint64_t be64(std::string_view s, std::size_t at) {
  return static_cast<std::uint64_t>(be32(s, at)) << 32 | be32(s, at + 4);
}

}  // namespace wiretop::exporting::testing
