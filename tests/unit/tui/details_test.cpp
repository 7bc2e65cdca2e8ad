#include "tui/details.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace wiretop::tui {
namespace {

bool has_line(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST(Details, EnrichedEnds_ShowCountryCityAsAndMacVendor) {
  model::ConnectionRow row;
  row.client_ip = *core::IpAddress::parse("192.168.1.10");
  row.server_ip = *core::IpAddress::parse("81.2.69.160");
  row.country = "GB";
  row.ends[0].address_class = "private";
  row.ends[0].has_mac = true;
  row.ends[0].mac = {0x00, 0x22, 0x72, 0xab, 0xcd, 0xef};
  row.ends[0].mac_vendor = "American Micro-Fuel Device Corp.";
  row.ends[1].address_class = "public";
  row.ends[1].country = "GB";
  row.ends[1].city = "London";
  row.ends[1].asn = 20712;
  row.ends[1].as_org = "Andrews & Arnold Ltd";
  const auto lines = details_lines(row);
  EXPECT_TRUE(has_line(lines, "country         GB"));
  EXPECT_TRUE(has_line(lines, "client info     private  mac 00:22:72:ab:cd:ef American Micro-Fuel Device Corp."));
  EXPECT_TRUE(has_line(lines, "server info     public  GB London  AS20712 Andrews & Arnold Ltd"));
}

TEST(Details, NothingEnriched_LeavesTheLinesOut) {
  model::ConnectionRow row;
  const auto lines = details_lines(row);
  for (const std::string& l : lines) {
    EXPECT_NE(l.rfind("country", 0), 0u) << l;
    EXPECT_NE(l.rfind("client info", 0), 0u) << l;
  }
}

TEST(Details, Owners_ShowNameExeCmdlineUserParentsAndSource) {
  model::ConnectionRow row;
  auto owner = std::make_shared<host::ProcessInfo>();
  owner->pid = 4242;
  owner->name = "curl";
  owner->user = "alice";
  owner->exe = "/usr/bin/curl";
  owner->cmdline = "curl -s https://example.com";
  owner->parents = {{4000, "bash"}, {1, "systemd"}};
  owner->container = "docker-0123abcd";
  owner->source = host::OwnerSource::kEbpf;
  owner->confidence = 100;
  row.process = owner;
  const auto lines = details_lines(row);
  EXPECT_TRUE(has_line(lines, "client process  curl (pid 4242, user alice) via ebpf, confidence 100%"));
  EXPECT_TRUE(has_line(lines, "  exe           /usr/bin/curl"));
  EXPECT_TRUE(has_line(lines, "  cmdline       curl -s https://example.com"));
  EXPECT_TRUE(has_line(lines, "  parents       bash(4000) < systemd(1)"));
  EXPECT_TRUE(has_line(lines, "  container     docker-0123abcd"));
  for (const std::string& l : lines) EXPECT_NE(l.rfind("server process", 0), 0u) << l;
}

TEST(Details, Timeline_HandshakeLastPacketAndEnd) {
  model::ConnectionRow row;
  row.ip_proto = 6;
  row.first_seen = core::Timestamp{1'000'000};
  row.last_seen = core::Timestamp{3'500'000};
  row.rtt_ms = 12.5;
  row.state = "CLOSED";
  row.end_reason = "closed";
  EXPECT_TRUE(has_line(details_lines(row),
                       "timeline        start, handshake done +12.5 ms, last packet +2.500 s, ended (closed) in CLOSED"));
}

}  // namespace
}  // namespace wiretop::tui
