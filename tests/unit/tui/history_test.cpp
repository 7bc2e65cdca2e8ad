#include "tui/history.h"

#include <gtest/gtest.h>

#include <memory>

namespace wiretop::tui {
namespace {

// An outbound TCP connection from 10.0.0.1 (client, local) to `server`:
// `up` bytes and rate client->server, `down` back.
model::ConnectionRow conn(std::uint64_t id, const char* server, std::uint16_t port,
                          double down_rate, double up_rate, std::uint64_t down = 0,
                          std::uint64_t up = 0) {
  model::ConnectionRow r;
  r.id = id;
  r.ip_proto = 6;
  r.client_ip = *core::IpAddress::parse("10.0.0.1");
  r.server_ip = *core::IpAddress::parse(server);
  r.has_ports = true;
  r.client_port = static_cast<std::uint16_t>(40000 + id);
  r.server_port = port;
  r.rate_bps = {up_rate, down_rate};
  r.bytes = {up, down};
  r.state = "ESTABLISHED";
  return r;
}

model::ConnectionRow owned(model::ConnectionRow r, std::uint32_t pid, const char* name) {
  r.pid = pid;
  r.process_name = name;
  return r;
}

model::ConnectionRow named(model::ConnectionRow r, const char* server_name,
                           const char* proto = "") {
  r.server_name = server_name;
  if (*proto) {
    auto app = std::make_shared<dpi::AppInfo>();
    app->proto = proto;
    r.app = app;
  }
  return r;
}

TEST(Ring, KeepsTheNewestCapacityItemsOldestFirst) {
  Ring<int> ring(3);
  for (int i = 1; i <= 5; ++i) ring.push(i);
  ASSERT_EQ(ring.size(), 3u);
  EXPECT_EQ(ring[0], 3);
  EXPECT_EQ(ring[2], 5);
  EXPECT_EQ(ring.back(), 5);
}

TEST(History, Totals_SumRatesTowardAndFromTheLocalSide) {
  History h;
  h.sample({conn(1, "1.1.1.1", 443, 100, 10), conn(2, "2.2.2.2", 80, 50, 5)});
  ASSERT_EQ(h.totals().size(), 1u);
  EXPECT_DOUBLE_EQ(h.totals().back().down, 150);
  EXPECT_DOUBLE_EQ(h.totals().back().up, 15);
}

TEST(History, Totals_InboundConnectionCountsClientToServerAsDown) {
  auto r = conn(1, "10.0.0.1", 22, 0, 0);
  r.client_ip = *core::IpAddress::parse("203.0.113.9");
  r.rate_bps = {70, 7};  // client->server is toward us: the server is local
  r.locality_known = true;
  r.server_local = true;
  History h;
  h.sample({r});
  EXPECT_DOUBLE_EQ(h.totals().back().down, 70);
  EXPECT_DOUBLE_EQ(h.totals().back().up, 7);
  EXPECT_EQ(host_label(r), "203.0.113.9");
}

TEST(History, Totals_AreBoundedToTheSampleCount) {
  History h(4);
  for (int i = 0; i < 10; ++i) h.sample({conn(1, "1.1.1.1", 443, i, 0)});
  EXPECT_EQ(h.totals().size(), 4u);
  EXPECT_DOUBLE_EQ(h.totals()[0].down, 6);
  EXPECT_EQ(h.samples_taken(), 10u);
}

TEST(History, ProtocolShares_UseDpiNameElseServiceAndAddUpToOne) {
  History h;
  h.sample({named(conn(1, "1.1.1.1", 443, 0, 0, 600, 0), "a.example.com", "TLS"),
            conn(2, "2.2.2.2", 8080, 0, 0, 300, 100),
            named(conn(3, "3.3.3.3", 9, 0, 0, 0, 0), "", "UNKNOWN")});
  const auto& p = h.protocols();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].label, "TLS");
  EXPECT_DOUBLE_EQ(p[0].fraction, 0.6);
  EXPECT_EQ(p[1].label, "tcp/8080");
  EXPECT_DOUBLE_EQ(p[1].fraction, 0.4);
  EXPECT_EQ(p[2].label, "tcp/9");  // DPI's UNKNOWN says less than the port
}

TEST(History, ProtocolShares_BeyondTheBarCountAddUpInOther) {
  std::vector<model::ConnectionRow> rows;
  for (std::uint16_t i = 0; i < 12; ++i)
    rows.push_back(conn(i, "1.1.1.1", static_cast<std::uint16_t>(1000 + i), 0, 0, 100 + i, 0));
  History h;
  h.sample(rows);
  ASSERT_EQ(h.protocols().size(), History::kMaxShares);
  EXPECT_EQ(h.protocols().back().label, "other");
  EXPECT_EQ(h.protocols().front().label, "tcp/1011");
  std::uint64_t sum = 0;
  for (const auto& s : h.protocols()) sum += s.bytes;
  EXPECT_EQ(sum, 12u * 100 + 66);
}

TEST(History, AppShares_GroupServerNamesByRegisteredDomain) {
  History h;
  h.sample({named(conn(1, "1.1.1.1", 443, 0, 0, 100), "r1.googlevideo.com"),
            named(conn(2, "1.1.1.2", 443, 0, 0, 100), "r2.googlevideo.com"),
            named(conn(3, "1.1.1.3", 443, 0, 0, 100), "www.bbc.co.uk"),
            conn(4, "1.1.1.4", 443, 0, 0, 100)});
  const auto& a = h.apps();
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].label, "googlevideo.com");
  EXPECT_DOUBLE_EQ(a[0].fraction, 0.5);
  EXPECT_EQ(a[1].label, "(no name)");
  EXPECT_EQ(a[2].label, "bbc.co.uk");
}

TEST(History, Labels_ProcessUnknownUntilAttributed) {
  EXPECT_EQ(process_label(conn(1, "1.1.1.1", 443, 0, 0)), "unknown");
  EXPECT_EQ(process_label(owned(conn(1, "1.1.1.1", 443, 0, 0), 42, "curl")), "curl (42)");
  EXPECT_EQ(process_label(owned(conn(1, "1.1.1.1", 443, 0, 0), 42, "")), "pid 42");
  EXPECT_EQ(host_label(named(conn(1, "1.1.1.1", 443, 0, 0), "example.org")), "example.org");
  EXPECT_EQ(host_label(conn(1, "1.1.1.1", 443, 0, 0)), "1.1.1.1");
}

TEST(History, TopHosts_RankByRateAndCarryTheirRecentRates) {
  History h;
  h.sample({conn(1, "1.1.1.1", 443, 10, 0), conn(2, "2.2.2.2", 443, 20, 0)});
  h.sample({conn(1, "1.1.1.1", 443, 30, 0), conn(2, "2.2.2.2", 443, 5, 0),
            conn(3, "2.2.2.2", 80, 5, 0)});
  const auto& top = h.top_hosts();
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].label, "1.1.1.1");
  EXPECT_EQ(top[0].recent, (std::vector<double>{10, 30}));
  EXPECT_EQ(top[1].label, "2.2.2.2");
  EXPECT_EQ(top[1].recent, (std::vector<double>{20, 10}));  // two connections, one host
}

TEST(History, TopHosts_KeepAtMostTopCountAndRecentSamplesEach) {
  std::vector<model::ConnectionRow> rows;
  for (int i = 0; i < 30; ++i) {
    const std::string ip = "10.9.0." + std::to_string(i + 1);
    rows.push_back(conn(static_cast<std::uint64_t>(i), ip.c_str(), 443, i, 0));
  }
  History h;
  for (std::size_t s = 0; s < History::kRecentSamples + 7; ++s) h.sample(rows);
  ASSERT_EQ(h.top_hosts().size(), History::kTopCount);
  EXPECT_EQ(h.top_hosts()[0].label, "10.9.0.30");
  EXPECT_EQ(h.top_hosts()[0].recent.size(), History::kRecentSamples);
}

TEST(History, Processes_RankByEgressOrIngressRollingRate) {
  History h;
  h.sample({owned(conn(1, "1.1.1.1", 443, 1000, 10), 1, "browser"),
            owned(conn(2, "2.2.2.2", 22, 10, 500), 2, "backup")});
  const auto egress = h.processes_by_egress(true);
  ASSERT_EQ(egress.size(), 2u);
  EXPECT_EQ(egress[0].label, "backup (2)");
  const auto ingress = h.processes_by_egress(false);
  EXPECT_EQ(ingress[0].label, "browser (1)");
  EXPECT_DOUBLE_EQ(ingress[0].rolling.down, 1000);
}

TEST(History, Processes_RollingRateAveragesTheLastSamples) {
  History h;
  for (int i = 0; i < 10; ++i)
    h.sample({owned(conn(1, "1.1.1.1", 443, i < 8 ? 0 : 100, 0), 1, "a")});
  const auto p = h.processes_by_egress(false);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_DOUBLE_EQ(p[0].rolling.down, 200.0 / History::kRollingSamples);
  EXPECT_DOUBLE_EQ(p[0].rate.down, 100);
}

TEST(History, Processes_RetainEndedConnectionsOnceEach) {
  History h;
  h.sample({owned(conn(1, "1.1.1.1", 443, 0, 0, 100, 10), 7, "app"),
            owned(conn(2, "1.1.1.2", 443, 0, 0, 50, 5), 7, "app")});
  h.sample({owned(conn(1, "1.1.1.1", 443, 0, 0, 200, 20), 7, "app")});  // 2 ended
  h.sample({owned(conn(1, "1.1.1.1", 443, 0, 0, 300, 30), 7, "app")});  // 2 is not counted twice
  auto p = h.processes_by_egress(true);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].retained.down, 350u);
  EXPECT_EQ(p[0].retained.up, 35u);
  EXPECT_EQ(p[0].connections, 1u);
  h.sample({});  // 1 ends too
  p = h.processes_by_egress(true);
  EXPECT_EQ(p[0].retained.down, 350u);
  EXPECT_EQ(p[0].connections, 0u);
}

TEST(History, Processes_ConnectionListedAgainIsNotCountedTwice) {
  History h;
  const auto row = owned(conn(1, "1.1.1.1", 443, 0, 0, 100, 0), 7, "app");
  h.sample({row});
  h.sample({});     // a snapshot that missed it
  h.sample({row});  // back again
  EXPECT_EQ(h.processes_by_egress(true)[0].retained.down, 100u);
  h.sample({});
  EXPECT_EQ(h.processes_by_egress(true)[0].retained.down, 100u);
}

TEST(History, Processes_BeyondTheCapAddUpInOther) {
  std::vector<model::ConnectionRow> rows;
  for (std::uint32_t i = 0; i < History::kMaxProcesses + 3; ++i)
    rows.push_back(owned(conn(i, "1.1.1.1", 443, 0, 0, 1, 0), i + 1, "p"));
  History h;
  h.sample(rows);
  const auto p = h.processes_by_egress(false);
  EXPECT_EQ(p.size(), History::kMaxProcesses + 1);  // the cap plus "other"
  EXPECT_GT(h.processes_over_cap(), 0u);
}

TEST(History, EmptySample_GivesZeroTotalsAndNoShares) {
  History h;
  h.sample({});
  EXPECT_DOUBLE_EQ(h.totals().back().total(), 0);
  EXPECT_TRUE(h.protocols().empty());
  EXPECT_TRUE(h.top_hosts().empty());
}

}  // namespace
}  // namespace wiretop::tui
