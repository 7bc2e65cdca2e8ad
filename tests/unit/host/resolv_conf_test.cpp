// /etc/resolv.conf's nameserver lines (host/resolv_conf.h).
#include "host/resolv_conf.h"

#include <gtest/gtest.h>

namespace wiretop::host {
namespace {

TEST(ResolvConf, NameserverLinesInOrderOthersIgnored) {
  const auto servers = parse_nameservers(
      "# generated\nsearch example.com\nnameserver 192.0.2.53\n  nameserver\t2001:db8::53  # v6\n"
      "nameserver fe80::1%eth0\nnameserver not-an-address\nnameservers 1.2.3.4\n;nameserver 5.6.7.8\n"
      "options edns0\r\nnameserver 127.0.0.53\r\n");
  ASSERT_EQ(servers.size(), 4u);
  EXPECT_EQ(servers[0].to_string(), "192.0.2.53");
  EXPECT_EQ(servers[1].to_string(), "2001:db8::53");
  EXPECT_EQ(servers[2].to_string(), "fe80::1");
  EXPECT_EQ(servers[3].to_string(), "127.0.0.53");
}

TEST(ResolvConf, MissingFileIsNoServers) {
  EXPECT_TRUE(read_nameservers("/nonexistent/resolv.conf").empty());
  EXPECT_TRUE(parse_nameservers("").empty());
}

}  // namespace
}  // namespace wiretop::host
