// --metrics: the counters (sums of ended connections, bounded labels, drop
// counters that only grow), the HTTP answers, and a real scrape over loopback.
#include "export/metrics.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "export/metrics_server.h"

namespace wiretop::exporting {
namespace {

model::ConnectionRow row(const std::string& process, std::uint8_t proto, std::uint64_t c2s, std::uint64_t s2c) {
  model::ConnectionRow r;
  r.ip_proto = proto;
  r.client_ip = *core::IpAddress::parse("10.0.0.1");
  r.server_ip = *core::IpAddress::parse("192.0.2.1");
  r.bytes = {c2s, s2c};
  r.packets = {2, 3};
  r.process_name = process;
  return r;
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(Metrics, EndedConnections_SumPerProcessAndProtocol) {
  const auto names = ServiceNames::load();
  Metrics m(names);
  m.on_connection_end(row("curl", 6, 100, 1000));
  m.on_connection_end(row("curl", 17, 10, 20));
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, R"(wiretop_process_bytes_total{direction="out",process="curl"} 110)")) << text;
  EXPECT_TRUE(has_line(text, R"(wiretop_process_bytes_total{direction="in",process="curl"} 1020)"));
  EXPECT_TRUE(has_line(text, R"(wiretop_process_packets_total{direction="in",process="curl"} 6)"));
  EXPECT_TRUE(has_line(text, R"(wiretop_process_connections_total{process="curl"} 2)"));
  EXPECT_TRUE(has_line(text, R"(wiretop_protocol_bytes_total{direction="in",proto="tcp"} 1000)"));
  EXPECT_TRUE(has_line(text, R"(wiretop_protocol_connections_total{proto="udp"} 1)"));
}

TEST(Metrics, TooManyProcesses_FoldIntoOther) {
  const auto names = ServiceNames::load();
  Metrics m(names);
  for (std::size_t i = 0; i < Metrics::kMaxLabelValues + 5; ++i) m.on_connection_end(row("p" + std::to_string(i), 6, 1, 1));
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, R"(wiretop_process_connections_total{process="other"} 5)")) << text;
  EXPECT_TRUE(has_line(text, "wiretop_metrics_labels_folded_total 5"));
  EXPECT_TRUE(has_line(text, R"(wiretop_process_connections_total{process="p0"} 1)"));
}

TEST(Metrics, CaptureCounters_AddOnlyWhatGrew) {
  const auto names = ServiceNames::load();
  Metrics m(names);
  m.on_capture({5, 0, 2});
  m.on_capture({7, 0, 2});
  m.set_sandbox({{"seccomp", "applied"}});
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, "wiretop_capture_drops_total 7")) << text;
  EXPECT_TRUE(has_line(text, "wiretop_ring_drops_total 2"));
  EXPECT_TRUE(has_line(text, R"(wiretop_sandbox_layer{layer="seccomp",state="applied"} 1)"));
}

TEST(MetricsServer, Respond_OnlyGetMetricsIsServed) {
  const MetricsServer::Render body = [] { return std::string("x 1\n"); };
  const std::string ok = MetricsServer::respond("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n", body);
  EXPECT_EQ(ok.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << ok;
  EXPECT_NE(ok.find("Content-Length: 4\r\n"), std::string::npos);
  EXPECT_EQ(ok.substr(ok.size() - 4), "x 1\n");
  EXPECT_EQ(MetricsServer::respond("GET /metrics?x=1 HTTP/1.0\r\n\r\n", body).rfind("HTTP/1.0 200", 0), 0u);
  EXPECT_EQ(MetricsServer::respond("GET / HTTP/1.0\r\n\r\n", body).rfind("HTTP/1.0 404", 0), 0u);
  EXPECT_EQ(MetricsServer::respond("POST /metrics HTTP/1.0\r\n\r\n", body).rfind("HTTP/1.0 400", 0), 0u);
  EXPECT_EQ(MetricsServer::respond("GET /metrics HTTP/1.0\r\n", body).rfind("HTTP/1.0 400", 0), 0u) << "no end of headers";
  EXPECT_EQ(MetricsServer::respond("GET /metrics\r\n\r\n", body).rfind("HTTP/1.0 400", 0), 0u);
  EXPECT_EQ(MetricsServer::respond("GET /metrics HTTP/1.0\r\n" + std::string(9000, 'a') + "\r\n\r\n", body)
                .rfind("HTTP/1.0 400", 0),
            0u);
}

std::string scrape(std::uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

TEST(MetricsServer, ServesScrapesOverLoopback) {
  auto server = MetricsServer::listen("127.0.0.1:0", [] { return std::string("wiretop_up 1\n"); });
  ASSERT_TRUE(server) << server.error();
  ASSERT_NE((*server)->port(), 0);
  (*server)->start();
  const std::string first = scrape((*server)->port(), "GET /metrics HTTP/1.0\r\n\r\n");
  EXPECT_NE(first.find("\r\n\r\nwiretop_up 1\n"), std::string::npos) << first;
  EXPECT_EQ(scrape((*server)->port(), "GET /nope HTTP/1.0\r\n\r\n").rfind("HTTP/1.0 404", 0), 0u);
  EXPECT_EQ((*server)->served(), 2u);
}

TEST(MetricsServer, BadAddress_IsOneLineError) {
  auto bad = MetricsServer::listen("localhost:9464", [] { return std::string(); });
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("--metrics localhost:9464"), std::string::npos) << bad.error();
  EXPECT_FALSE(MetricsServer::listen("9464", [] { return std::string(); }));
}

}  // namespace
}  // namespace wiretop::exporting
