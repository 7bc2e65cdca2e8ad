#include "export/address_class.h"

#include <array>
#include <cstdint>

namespace wiretop::exporting {
namespace {

struct Block {
  std::array<std::uint8_t, 16> prefix;
  unsigned bits;
  std::string_view kind;
};

// IPv4 special-purpose blocks (IANA registry, RFC 6890 §2.2.2), most specific first where they nest.
constexpr Block kV4[] = {
    {{255, 255, 255, 255}, 32, "broadcast"},
    {{0, 0, 0, 0}, 32, "unspecified"},
    {{0}, 8, "bogon"},  // "this network" (RFC 791)
    {{10}, 8, "private"},
    {{100, 64}, 10, "shared"},
    {{127}, 8, "loopback"},
    {{169, 254}, 16, "link_local"},
    {{172, 16}, 12, "private"},
    {{192, 0, 0}, 24, "bogon"},    // IETF protocol assignments
    {{192, 0, 2}, 24, "bogon"},    // TEST-NET-1 (RFC 5737)
    {{192, 88, 99}, 24, "bogon"},  // deprecated 6to4 relay anycast (RFC 7526)
    {{192, 168}, 16, "private"},
    {{198, 18}, 15, "bogon"},       // benchmarking (RFC 2544)
    {{198, 51, 100}, 24, "bogon"},  // TEST-NET-2
    {{203, 0, 113}, 24, "bogon"},   // TEST-NET-3
    {{224}, 4, "multicast"},
    {{240}, 4, "bogon"},  // reserved (RFC 1112)
};

// IPv6 (IANA registry, RFC 6890 §2.2.3, RFC 4193, RFC 4291).
constexpr Block kV6[] = {
    {{}, 128, "unspecified"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback"},
    {{0x01}, 64, "bogon"},              // discard-only (RFC 6666)
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "bogon"},  // documentation (RFC 3849)
    {{0xfc}, 7, "private"},           // unique local (RFC 4193)
    {{0xfe, 0x80}, 10, "link_local"},
    {{0xfe, 0xc0}, 10, "bogon"},      // deprecated site-local (RFC 3879)
    {{0xff}, 8, "multicast"},
    {{}, 8, "bogon"},  // ::/8 other than the above and IPv4-mapped (handled first)
};

bool in_block(const std::array<std::uint8_t, 16>& bytes, const Block& b) {
  unsigned bits = b.bits;
  for (std::size_t i = 0; bits > 0; ++i) {
    const unsigned take = bits < 8 ? bits : 8;
    const std::uint8_t mask = static_cast<std::uint8_t>(0xFF00u >> take);
    if ((bytes[i] & mask) != (b.prefix[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

template <std::size_t N>
std::string_view classify(const std::array<std::uint8_t, 16>& bytes, const Block (&table)[N]) {
  for (const Block& b : table)
    if (in_block(bytes, b)) return b.kind;
  return "public";
}

bool is_v4_mapped(const std::array<std::uint8_t, 16>& b) {
  for (int i = 0; i < 10; ++i)
    if (b[i] != 0) return false;
  return b[10] == 0xFF && b[11] == 0xFF;
}

}  // namespace

std::string_view address_class(const core::IpAddress& ip) {
  if (ip.is_v4()) return classify(ip.bytes(), kV4);
  if (!ip.is_v6()) return {};
  if (is_v4_mapped(ip.bytes())) {  // ::ffff:a.b.c.d is the IPv4 address a.b.c.d (RFC 4291 §2.5.5.2)
    std::array<std::uint8_t, 16> v4{};
    for (int i = 0; i < 4; ++i) v4[i] = ip.bytes()[12 + i];
    return classify(v4, kV4);
  }
  return classify(ip.bytes(), kV6);
}

}  // namespace wiretop::exporting
