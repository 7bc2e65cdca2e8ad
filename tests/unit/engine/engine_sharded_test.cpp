// The sharded engine gives the inline engine's records whichever thread runs
// shard 0: its own worker (a core to spare for the capture thread) or the
// capture thread itself (--threads >= cores, engine.cpp run_sharded).
#include "engine/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <unistd.h>
#include <string>
#include <string_view>
#include <vector>

#include "export/connection_json.h"
#include "export/service_names.h"
#include "support/packet_builder.h"
#include "support/pcap_file.h"

namespace wiretop::engine {
namespace {

// The record without its "id":N keys (ids are per shard). Hand-written: GCC 12
// under the asan preset stops on a maybe-uninitialized warning inside <regex>.
std::string without_ids(std::string line) {
  static constexpr std::string_view kKey = "\"id\":";
  for (std::size_t at = line.find(kKey); at != std::string::npos; at = line.find(kKey, at)) {
    std::size_t end = at + kKey.size();
    while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
    if (end < line.size() && line[end] == ',') ++end;
    line.erase(at, end - at);
  }
  return line;
}

using testing::PacketBuilder;

constexpr int kClients = 48;

std::string client_ip(int c) { return "10.0." + std::to_string(c / 200) + "." + std::to_string(c % 200 + 1); }
std::string server_ip(int c) { return "93.184." + std::to_string(c / 200) + "." + std::to_string(c % 200 + 1); }

// Per client: a DNS answer naming its server (a pair that usually hashes to
// another shard than the connection it names), then a TCP connection to that
// server; every third one is left open, the others close or go quiet and
// expire on the packet clock (the shards' ticks).
void write_capture(const std::string& path) {
  testing::PcapWriter w(path, testing::kLinkEthernet);
  ASSERT_TRUE(w.ok());
  std::int64_t ts = 1'700'000'000'000'000;
  for (int c = 0; c < kClients; ++c) {
    const std::uint32_t a = (93u << 24) | (184u << 16) | (static_cast<std::uint32_t>(c / 200) << 8) |
                            static_cast<std::uint32_t>(c % 200 + 1);
    const auto answer = testing::dns_message(static_cast<std::uint16_t>(c), "host" + std::to_string(c) + ".example",
                                             true, a);
    w.write(ts += 1000, PacketBuilder().ethernet().ipv4("8.8.8.8", client_ip(c)).udp(53, 40000).payload(answer).build());
    const auto sport = static_cast<std::uint16_t>(41000 + c);
    w.write(ts += 1000, PacketBuilder().ethernet().ipv4(client_ip(c), server_ip(c)).tcp(sport, 80, 0x02, 1).build());
    w.write(ts += 1000, PacketBuilder().ethernet().ipv4(server_ip(c), client_ip(c)).tcp(80, sport, 0x12, 9, 2).build());
    w.write(ts += 1000, PacketBuilder().ethernet().ipv4(client_ip(c), server_ip(c)).tcp(sport, 80, 0x18, 2, 10)
                            .payload("GET / HTTP/1.1\r\n\r\n").build());
    if (c % 3 == 1)
      w.write(ts += 1000, PacketBuilder().ethernet().ipv4(client_ip(c), server_ip(c)).tcp(sport, 80, 0x11, 20, 10).build());
    ts += 20'000'000;  // 20 s of packet clock between clients: quiet flows time out
  }
  w.close();
}

// The records of `threads` shards on a machine of `cores` cores, as sorted JSON without ids
// (each shard numbers its own connections).
std::vector<std::string> records(const std::string& path, unsigned threads, unsigned cores) {
  static const exporting::ServiceNames names = exporting::ServiceNames::load();
  EngineOptions o;
  o.read_file = path;
  o.threads = threads;
  o.cores = cores;
  auto opened = Engine::open(std::move(o), names);
  EXPECT_TRUE(opened) << opened.error();
  if (!opened) return {};
  std::vector<std::string> out;
  std::atomic<bool> stop{false};
  (*opened)->run(
      [&](const model::ConnectionRow& r) {
        std::string line;
        exporting::append_connection_json(line, r, names);
        out.push_back(without_ids(std::move(line)));
      },
      stop);
  std::sort(out.begin(), out.end());
  return out;
}

class EngineSharded : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "engine_sharded_" + std::to_string(::getpid()) + ".pcap";
    write_capture(path_);
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_;
};

TEST_F(EngineSharded, CaptureThreadHandlingShardZero_GivesTheInlineRecords) {
  const auto inline_records = records(path_, 1, 2);
  ASSERT_EQ(inline_records.size(), 2u * kClients);  // the DNS exchange and the connection
  const auto named = std::count_if(inline_records.begin(), inline_records.end(), [](const std::string& r) {
    return r.find("\"server_name_source\":\"dns\"") != std::string::npos;
  });
  EXPECT_EQ(named, kClients);  // every connection is named from its DNS answer
  EXPECT_EQ(records(path_, 2, 2), inline_records);  // shard 0 on the capture thread
  EXPECT_EQ(records(path_, 3, 2), inline_records);
}

TEST_F(EngineSharded, CaptureThreadOnlyRouting_GivesTheInlineRecords) {
  const auto inline_records = records(path_, 1, 8);
  EXPECT_EQ(records(path_, 2, 8), inline_records);  // every shard on a worker of its own
  EXPECT_EQ(records(path_, 4, 8), inline_records);
}

}  // namespace
}  // namespace wiretop::engine
