#include "gen/network.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace wiretop::bench {
namespace {

struct Segment {
  std::uint16_t vlan;
  const char* v4_prefix;  // a /16, hosts get the last two octets
  const char* v6_prefix;  // a /64
  const char* resolver_v4;
  const char* resolver_v6;
  double share;
};

constexpr std::array<Segment, 3> kSegments{{
    {0, "192.168", "2a01:e0a:1f3:c0d0", "192.168.1.1", "2a01:e0a:1f3:c0d0::1", 0.82},
    {20, "10.20", "2a01:e0a:1f3:c020", "10.20.0.1", "2a01:e0a:1f3:c020::1", 0.12},
    {30, "10.30", "2a01:e0a:1f3:c030", "1.1.1.1", "2606:4700:4700::1111", 0.06},
}};

// Vendor prefixes (OUIs) of common client hardware.
constexpr std::array<std::array<std::uint8_t, 3>, 6> kOuis{{
    {0x3c, 0x22, 0xfb}, {0xf0, 0x18, 0x98}, {0xdc, 0xa6, 0x32},
    {0x00, 0x1b, 0x21}, {0xa4, 0x83, 0xe7}, {0x8c, 0x85, 0x90},
}};

constexpr double kDualStackShare = 0.6;

// Which network hosts a name: the big operators announce their own prefixes, so a
// DPI engine's IP lists agree with the SNI; everything else lands on a cloud or CDN.
struct Hoster {
  std::string_view keyword;  // matched anywhere in the host name
  std::array<std::array<std::uint8_t, 2>, 2> v4;
  const char* v6;
};
constexpr std::array<Hoster, 14> kHosters{{
    {"google", {{{142, 250}, {172, 217}}}, "2a00:1450:4001"},
    {"youtube", {{{142, 250}, {172, 217}}}, "2a00:1450:4001"},
    {"gstatic", {{{142, 250}, {172, 217}}}, "2a00:1450:4001"},
    {"doubleclick", {{{142, 250}, {172, 217}}}, "2a00:1450:4001"},
    {"facebook", {{{157, 240}, {31, 13}}}, "2a03:2880:f0"},
    {"fbcdn", {{{157, 240}, {31, 13}}}, "2a03:2880:f0"},
    {"instagram", {{{157, 240}, {31, 13}}}, "2a03:2880:f0"},
    {"whatsapp", {{{157, 240}, {31, 13}}}, "2a03:2880:f0"},
    {"cloudflare", {{{104, 16}, {104, 18}}}, "2606:4700:10"},
    {"amazon", {{{52, 84}, {54, 230}}}, "2600:9000:2000"},
    {"cloudfront", {{{13, 32}, {52, 84}}}, "2600:9000:2000"},
    {"microsoft", {{{20, 190}, {40, 126}}}, "2620:1ec:bdf"},
    {"github", {{{140, 82}, {185, 199}}}, "2606:50c0:8000"},
    {"akamai", {{{23, 45}, {2, 16}}}, "2a02:26f0:fd"},
}};
// Generic hosting: a CDN (Fastly, Akamai, Cloudflare) or a public cloud.
constexpr std::array<std::array<std::uint8_t, 2>, 8> kOtherV4Prefixes{
    {{151, 101}, {23, 45}, {104, 18}, {34, 120}, {35, 186}, {13, 32}, {52, 58}, {199, 232}}};
constexpr std::array<const char*, 4> kOtherV6Prefixes{"2a04:4e42:600", "2a02:26f0:fd",
                                                      "2606:4700:10", "2600:1901:0"};

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) h = (h ^ static_cast<std::uint8_t>(c)) * 0x100000001b3ULL;
  return h;
}

}  // namespace

Network::Network(std::size_t client_count, std::uint64_t seed) {
  Rng rng(seed);
  std::array<std::uint32_t, kSegments.size()> used{};
  for (std::size_t i = 0; i < client_count; ++i) {
    double u = rng.unit();
    std::size_t s = 0;
    while (s + 1 < kSegments.size() && u >= kSegments[s].share) u -= kSegments[s++].share;
    const Segment& seg = kSegments[s];
    const std::uint32_t host = 10 + used[s]++;  // x.x.1.12, x.x.1.13, ... across the /16
    Client c;
    c.v4 = std::string(seg.v4_prefix) + "." + std::to_string(1 + host / 250) + "." +
           std::to_string(host % 250 + 2);
    if (rng.chance(kDualStackShare)) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s:%x:%x:%x:%x", seg.v6_prefix,
                    static_cast<unsigned>(rng.between(0, 0xffff)),
                    static_cast<unsigned>(rng.between(0, 0xffff)),
                    static_cast<unsigned>(rng.between(0, 0xffff)),
                    static_cast<unsigned>(rng.between(1, 0xffff)));
      c.v6 = buf;
    }
    const auto& oui = kOuis[static_cast<std::size_t>(rng.between(0, kOuis.size() - 1))];
    c.mac = {oui[0], oui[1], oui[2], static_cast<std::uint8_t>(rng.next()),
             static_cast<std::uint8_t>(rng.next()), static_cast<std::uint8_t>(i)};
    c.vlan = seg.vlan;
    c.resolver_v4 = seg.resolver_v4;
    c.resolver_v6 = seg.resolver_v6;
    c.next_port = static_cast<std::uint16_t>(rng.between(32768, 60999));
    clients_.push_back(std::move(c));
  }
}

std::uint32_t Network::pick_client(Rng& rng) const {
  // Squaring a uniform draw makes low indices busier without a hard cut-off.
  const double u = rng.unit();
  return static_cast<std::uint32_t>(u * u * static_cast<double>(clients_.size()));
}

std::uint16_t Network::take_port(std::uint32_t client) {
  // Linux's default ip_local_port_range is 32768-60999.
  std::uint16_t& p = clients_[client].next_port;
  const std::uint16_t port = p;
  p = static_cast<std::uint16_t>(p >= 60999 ? 32768 : p + 1);
  return port;
}

namespace {

const Hoster* hoster_of(std::string_view name) {
  for (const auto& h : kHosters) {
    if (name.find(h.keyword) != std::string_view::npos) return &h;
  }
  return nullptr;
}

// The registered domain ("cdn.example.co.uk" -> "example.co.uk" is close enough as the
// last two labels): all names of one site share a network.
std::string_view site_of(std::string_view name) {
  const auto last = name.rfind('.');
  if (last == std::string_view::npos || last == 0) return name;
  const auto before = name.rfind('.', last - 1);
  return before == std::string_view::npos ? name : name.substr(before + 1);
}

}  // namespace

std::uint32_t server_ipv4(std::string_view name) {
  const std::uint64_t h = fnv1a(name);
  const Hoster* hoster = hoster_of(name);
  const auto& prefix = hoster ? hoster->v4[h % 2]
                              : kOtherV4Prefixes[fnv1a(site_of(name)) % kOtherV4Prefixes.size()];
  const auto third = static_cast<std::uint32_t>((h >> 8) & 0xff);
  const auto fourth = static_cast<std::uint32_t>(1 + (h >> 16) % 254);
  return (std::uint32_t{prefix[0]} << 24) | (std::uint32_t{prefix[1]} << 16) | (third << 8) |
         fourth;
}

std::string server_ipv4_text(std::string_view name) {
  const std::uint32_t a = server_ipv4(name);
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xff) + "." +
         std::to_string((a >> 8) & 0xff) + "." + std::to_string(a & 0xff);
}

std::string server_ipv6_text(std::string_view name) {
  const std::uint64_t h = fnv1a(name);
  const Hoster* hoster = hoster_of(name);
  const char* prefix =
      hoster ? hoster->v6 : kOtherV6Prefixes[fnv1a(site_of(name)) % kOtherV6Prefixes.size()];
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s::%x:%x", prefix, static_cast<unsigned>((h >> 16) & 0xffff),
                static_cast<unsigned>(1 + (h >> 32) % 0xfffe));
  return buf;
}

}  // namespace wiretop::bench
