// Random and mutated input for every link type: the decoder must never crash,
// hang or report bytes outside the frame (ASan/UBSan make violations loud).

#include <random>

#include "decode_fixture.h"

namespace wiretop::proto::test {
namespace {

constexpr LinkType kLinks[] = {LinkType::Ethernet, LinkType::LinuxSll, LinkType::LinuxSll2,
                               LinkType::Raw,      LinkType::Ipv4,     LinkType::Ipv6,
                               LinkType::Null,     LinkType::Loop};

TEST(Garbage, RandomBuffersOnEveryLinkType) {
  std::mt19937 rng(20261125);
  for (const LinkType link : kLinks) {
    for (int i = 0; i < 3000; ++i) {
      std::vector<std::uint8_t> buf(rng() % 200);
      for (auto& b : buf) b = static_cast<std::uint8_t>(rng());
      buf.shrink_to_fit();
      DecodedPacket p;
      decode_packet(link, core::Bytes(buf.data(), buf.size()), p);
      expect_within_frame(p, buf.size());
    }
  }
}

TEST(Garbage, MutatedRealPacketsOnEveryLinkType) {
  const Frame seeds[] = {
      PacketBuilder().ethernet().vlan(9).ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2, 0x12).payload("abc").build(),
      PacketBuilder().ethernet().ipv6("fd00::1", "fd00::2").ipv6_ext(0, {1, 4, 0, 0, 0, 0})
          .ipv6_fragment(1, 0, true).udp(3, 4).payload("xyz").build(),
      PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2")
          .icmp_error(3, 1, PacketBuilder().ipv4("10.0.0.2", "10.0.0.3").tcp(5, 6, 2).build()).build(),
  };
  std::mt19937 rng(7);
  for (const Frame& seed : seeds) {
    for (int i = 0; i < 4000; ++i) {
      Frame f = seed;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < flips; ++k) f[rng() % f.size()] = static_cast<std::uint8_t>(rng());
      f.resize(rng() % (f.size() + 1));
      f.shrink_to_fit();
      for (const LinkType link : kLinks) {
        DecodedPacket p;
        decode_packet(link, core::Bytes(f.data(), f.size()), p);
        expect_within_frame(p, f.size());
      }
    }
  }
}

}  // namespace
}  // namespace wiretop::proto::test
