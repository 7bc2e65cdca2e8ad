// Alerts as JSON (export/alert_json.h) and as syslog lines (export/syslog_sink.h).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "export/alert_json.h"
#include "export/syslog_sink.h"

namespace wiretop::exporting {
namespace {

model::Alert sample() {
  model::Alert a;
  a.ts = core::Timestamp{1'700'000'000'000'000};
  a.rule = "tls_old";
  a.severity = "warning";
  a.message = "TLS 1.0 negotiated with \"odd\"\nname";
  a.connection_id = 7;
  a.client = "10.0.0.1:40000";
  a.server = "192.0.2.1:443";
  a.server_name = "odd";
  return a;
}

TEST(AlertJson, RecordAndEventCarryTheSameKeysAndEscapeText) {
  std::string record, event;
  append_alert_json(record, sample(), AlertJson::kRecord);
  append_alert_json(event, sample(), AlertJson::kEvent);
  const auto r = nlohmann::json::parse(record);
  const auto e = nlohmann::json::parse(event);
  EXPECT_EQ(r["kind"], "alert");
  EXPECT_EQ(r["schema_version"], 1);
  EXPECT_EQ(e["event"], "alert");
  EXPECT_FALSE(e.contains("kind"));
  for (const auto* j : {&r, &e}) {
    EXPECT_EQ((*j)["ts"], "2023-11-14T22:13:20.000000Z");
    EXPECT_EQ((*j)["message"], "TLS 1.0 negotiated with \"odd\"\nname");
    EXPECT_EQ((*j)["id"], 7);
    EXPECT_EQ((*j)["server_name"], "odd");
    EXPECT_FALSE(j->contains("pid"));      // unknown: absent
    EXPECT_FALSE(j->contains("app_proto"));
  }
}

TEST(SyslogSink, OneLinePerAlertAtTheSeverityPriority) {
  char dir[] = "/tmp/wiretop-syslog-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/log";
  const int server = ::socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(::bind(server, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  {
    auto sink = SyslogSink::open(path);
    ASSERT_TRUE(sink.ok()) << sink.error();
    sink->send(sample());
    EXPECT_EQ(sink->failures(), 0u);
  }
  char buf[1024];
  const ssize_t n = ::recv(server, buf, sizeof buf, MSG_DONTWAIT);
  ASSERT_GT(n, 0);
  const std::string line(buf, static_cast<std::size_t>(n));
  EXPECT_EQ(line.rfind("<28>", 0), 0u) << line;  // daemon.warning
  EXPECT_NE(line.find(" wiretop["), std::string::npos);
  EXPECT_NE(line.find("alert rule=tls_old severity=warning id=7 client=10.0.0.1:40000 server=192.0.2.1:443: "
                      "TLS 1.0 negotiated with \"odd\"?name"),
            std::string::npos)
      << line;
  ::close(server);
  ::unlink(path.c_str());
  ::rmdir(dir);
  EXPECT_FALSE(SyslogSink::open(path).ok());  // nobody listens: a start-up error
}

}  // namespace
}  // namespace wiretop::exporting
