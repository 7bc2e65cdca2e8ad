#pragma once
// Appending fixed-width integers to a byte string: little-endian for the pcap
// formats (written in our own byte order, which the magic numbers announce),
// big-endian (network order) for IPFIX.

#include <cstdint>
#include <string>

namespace wiretop::exporting {

template <typename T>
void append_le(std::string& out, T v) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<char>(static_cast<std::uint64_t>(v) >> (8 * i)));
}

template <typename T>
void append_be(std::string& out, T v) {
  for (std::size_t i = sizeof(T); i-- > 0;)
    out.push_back(static_cast<char>(static_cast<std::uint64_t>(v) >> (8 * i)));
}

// Overwrites a big-endian 16-bit value at `at` (a length known only at the end).
inline void put_be16(std::string& out, std::size_t at, std::uint16_t v) {
  out[at] = static_cast<char>(v >> 8);
  out[at + 1] = static_cast<char>(v);
}

}  // namespace wiretop::exporting
