#pragma once
// Helpers for decoder tests: decode a built frame, and walk every prefix of it.

#include <gtest/gtest.h>

#include <vector>

#include "proto/decoded_packet.h"
#include "support/packet_builder.h"

namespace wiretop::proto::test {

using testing::PacketBuilder;
using Frame = std::vector<std::uint8_t>;

inline DecodeError decode(LinkType link, const Frame& f, DecodedPacket& out) {
  return decode_packet(link, core::Bytes(f.data(), f.size()), out);
}

// The bounds every decode must respect, whatever the input.
inline void expect_within_frame(const DecodedPacket& p, std::size_t size) {
  EXPECT_LE(std::size_t{p.payload_offset} + p.payload_length, size);
  EXPECT_LE(p.l3_offset, size);
}

// Decodes every strict prefix of `f` (as a snap length would cut it): never
// crashes, never reports bytes past the cut. Returns how many prefixes still
// yielded ports, for tests that care.
inline int decode_all_prefixes(LinkType link, const Frame& f) {
  int with_ports = 0;
  for (std::size_t n = 0; n < f.size(); ++n) {
    // A fresh heap copy of exactly n bytes, so ASan sees any read past the end.
    std::vector<std::uint8_t> cut(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(n));
    cut.shrink_to_fit();
    DecodedPacket p;
    decode_packet(link, core::Bytes(cut.data(), cut.size()), p);
    expect_within_frame(p, n);
    with_ports += p.has_ports ? 1 : 0;
  }
  return with_ports;
}

}  // namespace wiretop::proto::test
