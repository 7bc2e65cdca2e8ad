#include "gen/frames.h"

#include "gen/payloads.h"

namespace wiretop::bench {
namespace {

namespace flag = tcp_flag;

void push32(ByteVec& v, std::uint32_t x) {
  for (int i = 3; i >= 0; --i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

// TCP timestamps (RFC 7323) tick in milliseconds on both ends. The server's clock is read
// half an RTT before its packets reach the capture point; a client packet reaches the
// server half an RTT after passing it.
struct TcpClocks {
  std::uint32_t tsval, tsecr;
};
TcpClocks clocks(const FlowPlan& f, const Event& e) {
  const auto client_base = static_cast<std::uint32_t>(f.seed >> 32);
  const auto server_base = static_cast<std::uint32_t>(f.seed);
  const std::int64_t t = e.ts_us;
  const auto client_at = [&](std::int64_t us) { return client_base + static_cast<std::uint32_t>(us / 1000); };
  const auto server_at = [&](std::int64_t us) { return server_base + static_cast<std::uint32_t>(us / 1000); };
  if (e.from_client) {
    return {client_at(t), (e.tcp_flags & flag::kSyn) ? 0 : server_at(t - f.rtt_us / 2)};
  }
  return {server_at(t - f.rtt_us / 2), client_at(t - f.rtt_us)};
}

ByteVec tcp_options(const FlowPlan& f, const Event& e) {
  ByteVec o;
  if (e.tcp_flags & flag::kRst) return o;  // Linux sends resets bare
  const TcpClocks c = clocks(f, e);
  if (e.tcp_flags & flag::kSyn) {
    const std::uint32_t mss = f.ipv6 ? 1440 : 1460;
    o = {0x02, 0x04, static_cast<std::uint8_t>(mss >> 8), static_cast<std::uint8_t>(mss),
         0x04, 0x02, 0x08, 0x0a};
    push32(o, c.tsval);
    push32(o, c.tsecr);
    o.insert(o.end(), {0x01, 0x03, 0x03, static_cast<std::uint8_t>(e.from_client ? 7 : 9)});
    return o;
  }
  o = {0x01, 0x01, 0x08, 0x0a};
  push32(o, c.tsval);
  push32(o, c.tsecr);
  return o;
}

std::uint16_t tcp_window(const FlowPlan& f, const Event& e) {
  if (e.tcp_flags & flag::kSyn) return e.from_client ? 64240 : 65160;
  // Scaled windows (x128 client, x512 server) of a few hundred KB.
  return static_cast<std::uint16_t>(e.from_client ? 501 + (f.seed >> 8) % 1500
                                                  : 235 + (f.seed >> 24) % 2000);
}

ByteVec payload(const FlowPlan& f, const NameCatalogue& names, const Event& e) {
  switch (e.content) {
    case Content::None:
      return {};
    case Content::TlsClientHello:
      return tls_client_hello_for(f, names);
    case Content::TlsServerFlight: {
      const ByteVec flight = tls_server_flight(f);
      return ByteVec(flight.begin() + e.offset, flight.begin() + e.offset + e.length);
    }
    case Content::TlsClientRequest:
      return tls_client_request(f, e.round);
    case Content::HttpRequest:
      return http_request(f, names, e.round);
    case Content::Response: {
      ByteVec out;
      out.reserve(e.length);
      append_response_slice(f, e.round, e.total, e.offset, e.length, out);
      return out;
    }
    case Content::DnsQuery:
      return dns_query_for(f, names);
    case Content::DnsAnswer:
      return dns_answer_for(f, names);
    case Content::QuicClientInitial:
      return quic_client_initial(f, names);
    case Content::QuicServerInitial:
      return quic_server_initial(f);
    case Content::QuicShort:
      return quic_short_packet(f, e.from_client, e.length,
                               mix_seed(e.index, e.offset, e.round));
  }
  return {};
}

}  // namespace

testing::Frame build_frame(const FlowPlan& f, const Network& network, const NameCatalogue& names,
                           const Event& e) {
  const Client& client = network.client(f.client);
  testing::PacketBuilder b;
  if (e.from_client) {
    b.ethernet(client.mac, Network::kGatewayMac);
  } else {
    b.ethernet(Network::kGatewayMac, client.mac);
  }
  if (client.vlan != 0) b.vlan(client.vlan);
  const std::string& src = e.from_client ? f.client_ip : f.server_ip;
  const std::string& dst = e.from_client ? f.server_ip : f.client_ip;
  // Servers sit 8 to 20 hops away and start from TTL 64 or 128.
  const auto server_ttl = static_cast<std::uint8_t>(((f.seed >> 40) & 1 ? 128 : 64) - 8 -
                                                    (f.seed >> 41) % 12);
  const std::uint8_t ttl = e.from_client ? 64 : server_ttl;
  const bool tcp = f.kind == FlowKind::Tls || f.kind == FlowKind::Http;
  if (f.ipv6) {
    testing::Ipv6Spec ip;
    ip.src = src;
    ip.dst = dst;
    ip.hop_limit = ttl;
    b.ipv6(std::move(ip));
  } else {
    testing::Ipv4Spec ip;
    ip.src = src;
    ip.dst = dst;
    ip.ttl = ttl;
    ip.id = static_cast<std::uint16_t>(mix_seed(f.seed, e.index, e.from_client));
    ip.dont_fragment = tcp || f.kind == FlowKind::Quic;
    b.ipv4(std::move(ip));
  }
  const std::uint16_t sport = e.from_client ? f.client_port : f.server_port;
  const std::uint16_t dport = e.from_client ? f.server_port : f.client_port;
  if (tcp) {
    testing::TcpSpec t;
    t.sport = sport;
    t.dport = dport;
    t.flags = e.tcp_flags;
    t.seq = e.seq;
    t.ack = e.ack;
    t.window = tcp_window(f, e);
    t.options = tcp_options(f, e);
    b.tcp(std::move(t));
  } else {
    b.udp(sport, dport);
  }
  b.payload(payload(f, names, e));
  return b.build();
}

}  // namespace wiretop::bench
