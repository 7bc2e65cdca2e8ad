#pragma once
// Drives one dissector the way the inspector does (probe, then feed in order),
// for dissector unit tests. Bytes are written as hex or text next to the test.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dpi/dissector.h"

namespace wiretop::dpi::testing {

struct RecordingSinks : NameSink, Expectations {
  struct Name { core::IpAddress address; std::string name; };
  struct Expected { core::IpAddress address; std::uint16_t port; std::string proto; };
  std::vector<Name> names;
  std::vector<Expected> expected;
  void learned_name(core::Timestamp, const core::IpAddress& a, std::string_view n) override {
    names.push_back({a, std::string(n)});
  }
  void expect(core::Timestamp, const core::IpAddress& a, std::uint16_t port,
              std::string_view proto) override {
    expected.push_back({a, port, std::string(proto)});
  }
};

inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> out;
  int hi = -1;
  for (char ch : hex) {
    int v = (ch >= '0' && ch <= '9') ? ch - '0'
            : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
            : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10 : -1;
    if (v < 0) continue;  // spaces, newlines
    if (hi < 0) hi = v;
    else { out.push_back(static_cast<std::uint8_t>(hi * 16 + v)); hi = -1; }
  }
  return out;
}
inline std::vector<std::uint8_t> from_text(std::string_view text) {
  return {text.begin(), text.end()};
}

inline FlowInfo tcp_flow(std::uint16_t server_port, std::uint16_t client_port = 40000) {
  FlowInfo f;
  f.transport = Transport::Tcp;
  f.client_ip = *core::IpAddress::parse("10.0.0.1");
  f.server_ip = *core::IpAddress::parse("10.0.0.2");
  f.client_port = client_port;
  f.server_port = server_port;
  return f;
}
inline FlowInfo udp_flow(std::uint16_t server_port, std::uint16_t client_port = 40000) {
  FlowInfo f = tcp_flow(server_port, client_port);
  f.transport = Transport::Udp;
  return f;
}

// Feeds `chunks` (direction, bytes) to `d` directly (no probe), in order.
// Stops at the first Done. Returns the AppInfo filled in.
inline AppInfo run_session(const Dissector& d, const FlowInfo& flow,
                           const std::vector<std::pair<Direction, std::vector<std::uint8_t>>>& chunks,
                           RecordingSinks* sinks = nullptr) {
  RecordingSinks local;
  RecordingSinks& s = sinks ? *sinks : local;
  AppInfo out;
  out.proto = std::string(d.proto);
  auto session = d.make_session();
  if (!session) return out;
  for (const auto& [dir, bytes] : chunks) {
    Context ctx{flow, dir, core::Timestamp{1'000'000}, s, s, out};
    if (session->feed(ctx, core::Bytes(bytes.data(), bytes.size())) == Progress::Done) break;
  }
  return out;
}

inline Match probe(const Dissector& d, const FlowInfo& flow, Direction dir,
                   const std::vector<std::uint8_t>& bytes) {
  return d.probe(flow, dir, core::Bytes(bytes.data(), bytes.size()));
}

}  // namespace wiretop::dpi::testing
