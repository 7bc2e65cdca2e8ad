// proto::decode_packet on the frames that make up most real traffic.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "proto/decoded_packet.h"
#include "support/packet_builder.h"

namespace {

using wiretop::proto::DecodedPacket;
using wiretop::proto::DecodeError;
using wiretop::proto::LinkType;
using wiretop::testing::Frame;
using wiretop::testing::PacketBuilder;
using wiretop::testing::TcpSpec;

constexpr std::uint8_t kAck = 0x10, kPsh = 0x08, kSyn = 0x02;

// NOP, NOP, timestamps (RFC 7323): what every Linux segment after the SYN carries.
std::vector<std::uint8_t> timestamps_option() {
  return {0x01, 0x01, 0x08, 0x0a, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};
}

Frame ipv4_tcp_full_segment() {
  TcpSpec t;
  t.sport = 443;
  t.dport = 51288;
  t.flags = kAck | kPsh;
  t.seq = 1'000'000;
  t.ack = 2'000'000;
  t.options = timestamps_option();
  return PacketBuilder()
      .ethernet()
      .ipv4("104.18.182.117", "192.168.1.128")
      .tcp(t)
      .payload(std::vector<std::uint8_t>(1448, 0x17))
      .build();
}

Frame ipv4_tcp_ack() {
  TcpSpec t;
  t.sport = 51288;
  t.dport = 443;
  t.flags = kAck;
  t.seq = 2'000'000;
  t.ack = 1'001'448;
  t.options = timestamps_option();
  return PacketBuilder().ethernet().ipv4("192.168.1.128", "104.18.182.117").tcp(t).build();
}

Frame ipv6_udp_quic() {
  return PacketBuilder()
      .ethernet()
      .ipv6("2a01:e0a:1f3:c0d0:ed1:bb80:2160:cc9d", "2a03:2880:f0::3f7:f42")
      .udp(48172, 443)
      .payload(std::vector<std::uint8_t>(1252, 0x40))
      .build();
}

Frame vlan_ipv4_udp_dns() {
  return PacketBuilder()
      .ethernet()
      .vlan(20)
      .ipv4("10.20.1.22", "10.20.0.1")
      .udp(35187, 53)
      .payload(wiretop::testing::dns_message(0x16fd, "config.scdn.co", false))
      .build();
}

Frame vlan_ipv6_tcp_syn() {
  TcpSpec t;
  t.sport = 54118;
  t.dport = 443;
  t.flags = kSyn;
  t.seq = 12345;
  // MSS, SACK permitted, timestamps, NOP, window scale: Linux's SYN.
  t.options = {0x02, 0x04, 0x05, 0xa0, 0x04, 0x02, 0x08, 0x0a, 0, 0, 0, 1,
               0,    0,    0,    0,    0x01, 0x03, 0x03, 0x07};
  return PacketBuilder()
      .ethernet()
      .vlan(30)
      .ipv6("2a01:e0a:1f3:c030:3ebc:3bf8:259e:28c4", "2620:1ec:bdf::f299:6081")
      .tcp(t)
      .build();
}

void run_decode(benchmark::State& state, const std::vector<Frame>& frames) {
  DecodedPacket out;
  DecodeError last = DecodeError::None;
  std::size_t bytes = 0;
  for (auto _ : state) {
    for (const Frame& f : frames) {
      last = wiretop::proto::decode_packet(LinkType::Ethernet, f, out);
      benchmark::DoNotOptimize(out);
      bytes += f.size();
    }
  }
  if (last != DecodeError::None) {
    state.SetLabel("decode failed: " + std::string(wiretop::proto::decode_error_name(last)));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_Decode_Ipv4TcpFullSegment(benchmark::State& state) {
  run_decode(state, {ipv4_tcp_full_segment()});
}
void BM_Decode_Ipv4TcpAck(benchmark::State& state) { run_decode(state, {ipv4_tcp_ack()}); }
void BM_Decode_Ipv6Udp(benchmark::State& state) { run_decode(state, {ipv6_udp_quic()}); }
void BM_Decode_VlanIpv4Udp(benchmark::State& state) { run_decode(state, {vlan_ipv4_udp_dns()}); }
void BM_Decode_VlanIpv6TcpSyn(benchmark::State& state) {
  run_decode(state, {vlan_ipv6_tcp_syn()});
}
// Roughly the replay capture's mix: a third full segments, a third ACKs, the rest UDP/other.
void BM_Decode_Mix(benchmark::State& state) {
  run_decode(state, {ipv4_tcp_full_segment(), ipv4_tcp_ack(), ipv6_udp_quic(),
                     ipv4_tcp_full_segment(), ipv4_tcp_ack(), vlan_ipv4_udp_dns(),
                     vlan_ipv6_tcp_syn()});
}

BENCHMARK(BM_Decode_Ipv4TcpFullSegment);
BENCHMARK(BM_Decode_Ipv4TcpAck);
BENCHMARK(BM_Decode_Ipv6Udp);
BENCHMARK(BM_Decode_VlanIpv4Udp);
BENCHMARK(BM_Decode_VlanIpv6TcpSyn);
BENCHMARK(BM_Decode_Mix);

}  // namespace
