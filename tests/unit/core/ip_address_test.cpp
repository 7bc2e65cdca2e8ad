// IpAddress: one value type for IPv4 and IPv6, in network byte order.

#include "core/ip_address.h"

#include <arpa/inet.h>

#include <gtest/gtest.h>

#include <array>
#include <set>

namespace wiretop::core {
namespace {

IpAddress ip(const char* text) {
  auto a = IpAddress::parse(text);
  EXPECT_TRUE(a) << text;
  return a.value_or(IpAddress{});
}

TEST(IpAddress, DefaultIsEmpty) {
  const IpAddress a;
  EXPECT_TRUE(a.empty());
  EXPECT_FALSE(a.is_v4());
  EXPECT_FALSE(a.is_v6());
  EXPECT_EQ(a.to_string(), "");
}

TEST(IpAddress, V4FromHostOrder_IsStoredInNetworkOrder) {
  const IpAddress a = IpAddress::v4(0xC0000201u);
  EXPECT_TRUE(a.is_v4());
  EXPECT_EQ(a.bytes()[0], 192);
  EXPECT_EQ(a.bytes()[3], 1);
  EXPECT_EQ(a.v4_host_order(), 0xC0000201u);
  EXPECT_EQ(a.to_string(), "192.0.2.1");
}

TEST(IpAddress, FromPacketBytes) {
  const std::array<std::uint8_t, 4> four{10, 1, 2, 3};
  EXPECT_EQ(IpAddress::v4_bytes(four).to_string(), "10.1.2.3");
  std::array<std::uint8_t, 16> sixteen{};
  sixteen[0] = 0x20;
  sixteen[1] = 0x01;
  sixteen[2] = 0x0d;
  sixteen[3] = 0xb8;
  sixteen[15] = 0x01;
  const IpAddress v6 = IpAddress::v6_bytes(sixteen);
  EXPECT_TRUE(v6.is_v6());
  EXPECT_EQ(v6.to_string(), "2001:db8::1");
}

TEST(IpAddress, FromShortBytes_LeavesTheRestZero) {
  const std::array<std::uint8_t, 2> two{10, 1};
  EXPECT_EQ(IpAddress::v4_bytes(two).to_string(), "10.1.0.0");
  EXPECT_EQ(IpAddress::v6_bytes(two).to_string(), "a01::");
}

TEST(IpAddress, ParseAndFormat_RoundTrip) {
  for (const char* text : {"0.0.0.0", "255.255.255.255", "10.0.0.1", "::", "::1", "fe80::1",
                           "2001:db8::8:800:200c:417a", "::ffff:192.0.2.1"}) {
    EXPECT_EQ(ip(text).to_string(), text);
  }
}

TEST(IpAddress, ParseRejectsGarbage) {
  for (const char* text : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "hello", "1::2::3", " 10.0.0.1"}) {
    EXPECT_FALSE(IpAddress::parse(text)) << text;
  }
  EXPECT_FALSE(IpAddress::parse(std::string(100, '1')));
}

TEST(IpAddress, FormatIntoBuffer_ReturnsLength) {
  char buf[46];
  EXPECT_EQ(ip("10.20.30.40").format(buf), 11u);
  EXPECT_STREQ(buf, "10.20.30.40");
  const IpAddress longest = ip("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
  EXPECT_LE(longest.format(buf), 45u);
  EXPECT_EQ(IpAddress{}.format(buf), 0u);
  EXPECT_STREQ(buf, "");
}

TEST(IpAddress, Classification) {
  EXPECT_TRUE(ip("224.0.0.251").is_multicast());
  EXPECT_TRUE(ip("ff02::fb").is_multicast());
  EXPECT_FALSE(ip("192.168.1.1").is_multicast());
  EXPECT_TRUE(ip("255.255.255.255").is_broadcast());
  EXPECT_FALSE(ip("192.168.1.255").is_broadcast());  // needs the netmask
  EXPECT_FALSE(ip("ff02::1").is_broadcast());
  EXPECT_TRUE(ip("127.0.0.53").is_loopback());
  EXPECT_TRUE(ip("::1").is_loopback());
  EXPECT_FALSE(ip("::2").is_loopback());
  EXPECT_TRUE(ip("0.0.0.0").is_unspecified());
  EXPECT_TRUE(ip("::").is_unspecified());
  EXPECT_FALSE(ip("::1").is_unspecified());
}

TEST(IpAddress, V4AndV6WithTheSameBytes_AreDifferent) {
  // 0.0.0.0 and :: share all-zero bytes; the family keeps them apart.
  EXPECT_NE(ip("0.0.0.0"), ip("::"));
  EXPECT_NE(IpAddress{}, ip("0.0.0.0"));
}

TEST(IpAddress, Ordering_IsTotalAndConsistentWithEquality) {
  std::set<IpAddress> s{ip("10.0.0.2"), ip("10.0.0.1"), ip("::1"), ip("10.0.0.1")};
  EXPECT_EQ(s.size(), 3u);
  EXPECT_LT(ip("10.0.0.1"), ip("10.0.0.2"));
  EXPECT_EQ(ip("2001:db8::1"), ip("2001:0db8:0:0:0:0:0:1"));
}

// format() writes addresses by hand (no sprintf); its text must be exactly
// glibc's inet_ntop, which JSON consumers have seen so far: edge cases of
// RFC 5952 (runs, ties, ends, embedded IPv4) and many pseudo-random addresses.
TEST(IpAddress, Format_EqualsInetNtop) {
  auto expect_same = [](const std::array<std::uint8_t, 16>& b, bool v4) {
    const IpAddress a = v4 ? IpAddress::v4_bytes(Bytes(b.data(), 4)) : IpAddress::v6_bytes(Bytes(b.data(), 16));
    char ours[64];
    char theirs[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(v4 ? AF_INET : AF_INET6, b.data(), theirs, sizeof theirs), nullptr);
    EXPECT_EQ(std::string(ours, a.format(ours)), std::string(theirs));
  };
  const char* texts[] = {"::", "::1", "1::", "::ffff:1.2.3.4", "::1.2.3.4", "::ffff:0:1.2.3.4", "1:0:0:2:0:0:0:3",
                         "1:0:0:2:0:0:3:4", "0:1:0:1:0:1:0:1", "2001:db8::1", "fe80::1:0:0:0", "1:2:3:4:5:6:7:8",
                         "0:0:0:0:0:ffff:0:0", "::fffe:1.2.3.4", "ff02::fb", "2001:db8:0:0:1::", "0:0:1::"};
  for (const char* text : texts) {
    std::array<std::uint8_t, 16> b{};
    ASSERT_EQ(inet_pton(AF_INET6, text, b.data()), 1) << text;
    expect_same(b, false);
  }
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  for (int n = 0; n < 20000; ++n) {
    std::array<std::uint8_t, 16> b{};
    for (std::size_t i = 0; i < 16; i += 2) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      // Mostly zero groups, so that runs of every length and position occur.
      const std::uint16_t w = (state >> 60) < 9 ? 0 : static_cast<std::uint16_t>(state >> 20);
      b[i] = static_cast<std::uint8_t>(w >> 8);
      b[i + 1] = static_cast<std::uint8_t>(w);
    }
    expect_same(b, false);
    expect_same(b, true);
  }
}

}  // namespace
}  // namespace wiretop::core
