// flow::Tracker::process on decoded packets: the per-packet fast path of established
// TCP connections, whole TCP connections from SYN to the last ACK, and DNS lookups.
//
// A handful of template packets are decoded once; each flow's packets are the templates
// with the client's address, port and sequence numbers patched in, so the benchmark
// measures the tracker and not the building of packets.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "flow/tracker.h"
#include "proto/decoded_packet.h"
#include "support/packet_builder.h"

namespace {

using wiretop::core::IpAddress;
using wiretop::core::Timestamp;
using wiretop::flow::Connection;
using wiretop::flow::EndReason;
using wiretop::flow::Tracker;
using wiretop::flow::TrackerConfig;
using wiretop::proto::DecodedPacket;
using wiretop::testing::PacketBuilder;
using wiretop::testing::TcpSpec;

constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;
constexpr std::uint32_t kMss = 1448;
constexpr std::uint32_t kClientIsn = 1'000, kServerIsn = 5'000'000;
constexpr std::uint16_t kFirstPort = 1024;
constexpr std::int64_t kStartUs = 1'715'679'000'000'000;

struct Template {
  DecodedPacket packet;
  std::uint32_t frame_len = 0;
  bool from_client = true;
};

Template make(bool from_client, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
              std::size_t payload) {
  TcpSpec t;
  t.sport = from_client ? kFirstPort : 443;
  t.dport = from_client ? 443 : kFirstPort;
  t.flags = flags;
  t.seq = seq;
  t.ack = ack;
  t.options = {0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 1};
  const char* client = "10.0.0.1";
  const char* server = "142.250.1.1";
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv4(from_client ? client : server, from_client ? server : client)
                         .tcp(t)
                         .payload(std::vector<std::uint8_t>(payload, 0x17))
                         .build();
  Template out;
  out.from_client = from_client;
  out.frame_len = static_cast<std::uint32_t>(frame.size());
  wiretop::proto::decode_packet(wiretop::proto::LinkType::Ethernet, frame, out.packet);
  return out;
}

Template make_dns(bool from_client) {
  const auto frame = PacketBuilder()
                         .ethernet()
                         .ipv4(from_client ? "10.0.0.1" : "192.168.1.1",
                               from_client ? "192.168.1.1" : "10.0.0.1")
                         .udp(from_client ? kFirstPort : 53, from_client ? 53 : kFirstPort)
                         .payload(wiretop::testing::dns_message(7, "config.scdn.co", !from_client))
                         .build();
  Template out;
  out.from_client = from_client;
  out.frame_len = static_cast<std::uint32_t>(frame.size());
  wiretop::proto::decode_packet(wiretop::proto::LinkType::Ethernet, frame, out.packet);
  return out;
}

// Moves a template onto flow `flow` (client 10.x.y.z) using client port `port`.
void stamp(Template& t, std::uint32_t flow, std::uint16_t port) {
  const IpAddress client = IpAddress::v4(0x0a000000u | (flow & 0x00ffffffu));
  DecodedPacket& p = t.packet;
  (t.from_client ? p.src : p.dst) = client;
  (t.from_client ? p.src_port : p.dst_port) = port;
}

bool usable(benchmark::State& state, const std::vector<Template>& templates) {
  for (const auto& t : templates) {
    if (!t.packet.has_ports) {
      state.SkipWithError("proto::decode_packet does not decode the template packets yet");
      return false;
    }
  }
  return true;
}

// One data segment and its ACK per established connection, round-robin over
// state.range(0) connections: lookup and in-order sequence tracking.
void BM_Track_EstablishedTcp(benchmark::State& state) {
  const auto flows = static_cast<std::uint32_t>(state.range(0));
  std::vector<Template> handshake{make(true, kSyn, kClientIsn, 0, 0),
                                  make(false, kSyn | kAck, kServerIsn, kClientIsn + 1, 0),
                                  make(true, kAck, kClientIsn + 1, kServerIsn + 1, 0)};
  Template data = make(false, kAck | kPsh, kServerIsn + 1, kClientIsn + 1, kMss);
  Template ack = make(true, kAck, kClientIsn + 1, kServerIsn + 1 + kMss, 0);
  if (!usable(state, {handshake[0], data, ack})) return;

  std::uint64_t ended = 0;
  Tracker tracker(TrackerConfig{}, [&](const Connection&, EndReason) { ++ended; });
  std::int64_t now = kStartUs;
  for (auto& t : handshake) {
    for (std::uint32_t f = 0; f < flows; ++f) {
      stamp(t, f, kFirstPort);
      tracker.process(t.packet, Timestamp{now++}, t.frame_len);
    }
  }
  std::uint32_t f = 0;
  for (auto _ : state) {
    stamp(data, f, kFirstPort);
    tracker.process(data.packet, Timestamp{now++}, data.frame_len);
    stamp(ack, f, kFirstPort);
    tracker.process(ack.packet, Timestamp{now++}, ack.frame_len);
    if (++f == flows) {  // every connection got one more segment: move the stream on
      f = 0;
      data.packet.seq += kMss;
      ack.packet.ack += kMss;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 2);
  state.counters["records"] = tracker.size();
  state.counters["ended"] = static_cast<double>(ended);
}

// Whole connections or lookups: `steps` packets each, state.range(0) of them open at once;
// each round uses new client ports, so records are created, closed and expired throughout.
void run_lifecycles(benchmark::State& state, std::vector<Template> steps) {
  if (!usable(state, steps)) return;
  const auto flows = static_cast<std::uint32_t>(state.range(0));
  std::uint64_t ended = 0;
  Tracker tracker(TrackerConfig{}, [&](const Connection&, EndReason) { ++ended; });
  std::int64_t now = kStartUs;
  std::uint32_t step = 0, f = 0;
  std::uint16_t port = kFirstPort;
  for (auto _ : state) {
    Template& t = steps[step];
    stamp(t, f, port);
    tracker.process(t.packet, Timestamp{now++}, t.frame_len);
    if (++f < flows) continue;
    f = 0;
    if (++step < steps.size()) continue;
    step = 0;
    port = static_cast<std::uint16_t>(port == 65535 ? kFirstPort : port + 1);
    now += 2'000'000;  // two seconds between rounds: closed records linger, then expire
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["records"] = tracker.size();
  state.counters["ended"] = static_cast<double>(ended);
}

void BM_Track_TcpConnection(benchmark::State& state) {
  const std::uint32_t c = kClientIsn, s = kServerIsn;
  run_lifecycles(state, {
                            make(true, kSyn, c, 0, 0),
                            make(false, kSyn | kAck, s, c + 1, 0),
                            make(true, kAck, c + 1, s + 1, 0),
                            make(true, kAck | kPsh, c + 1, s + 1, 517),  // ClientHello
                            make(false, kAck, s + 1, c + 518, kMss),
                            make(false, kAck | kPsh, s + 1 + kMss, c + 518, 900),
                            make(true, kAck, c + 518, s + 1 + kMss + 900, 0),
                            make(true, kFin | kAck, c + 518, s + 1 + kMss + 900, 0),
                            make(false, kFin | kAck, s + 1 + kMss + 900, c + 519, 0),
                            make(true, kAck, c + 519, s + 2 + kMss + 900, 0),
                        });
}

void BM_Track_DnsLookup(benchmark::State& state) {
  run_lifecycles(state, {make_dns(true), make_dns(false)});
}

BENCHMARK(BM_Track_EstablishedTcp)->Arg(1 << 10)->Arg(1 << 16)->Arg(1 << 19);
BENCHMARK(BM_Track_TcpConnection)->Arg(1 << 10)->Arg(1 << 16);
BENCHMARK(BM_Track_DnsLookup)->Arg(1 << 10)->Arg(1 << 16);

}  // namespace
