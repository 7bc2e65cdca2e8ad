#include "export/service_names.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace wiretop::exporting {
namespace {

TEST(ServiceNames, ReadsServicesAndProtocolsFiles) {
  const std::string svc = ::testing::TempDir() + "/services";
  const std::string prot = ::testing::TempDir() + "/protocols";
  std::ofstream(svc) << "# comment\nhttp\t\t80/tcp\t\twww\nhttps 443/tcp\nhttps 443/udp\n"
                        "domain 53/udp\nbad 99999/tcp\nweird abc/tcp\n";
  std::ofstream(prot) << "ip 0 IP\nicmp 1 ICMP\ntcp 6 TCP\nudp 17 UDP\nipv6-icmp 58 IPv6-ICMP\n"
                         "sctp 132 SCTP # comment\n";
  const auto n = ServiceNames::load(svc, prot);
  EXPECT_EQ(n.service(6, 80), "http");
  EXPECT_EQ(n.service(17, 443), "https");
  EXPECT_EQ(n.service(6, 53), "");
  EXPECT_TRUE(n.udp_ports().test(53));
  EXPECT_FALSE(n.tcp_ports().test(53));
  EXPECT_EQ(n.protocol(58), "icmpv6");
  EXPECT_EQ(n.protocol(132), "sctp");
  EXPECT_EQ(n.protocol(253), "253");
}

TEST(ServiceNames, MissingFilesKeepBuiltInProtocolNames) {
  const auto n = ServiceNames::load("/nonexistent/services", "/nonexistent/protocols");
  EXPECT_EQ(n.protocol(6), "tcp");
  EXPECT_EQ(n.protocol(58), "icmpv6");
  EXPECT_EQ(n.service(6, 80), "");
}

}  // namespace
}  // namespace wiretop::exporting
