#include "gen/schedule.h"

#include <algorithm>

#include "gen/payloads.h"
#include "support/packet_builder.h"

namespace wiretop::bench {
namespace {

namespace flag = tcp_flag;

constexpr std::uint32_t kInitialWindow = 10;  // segments (RFC 6928)
constexpr std::uint32_t kFrameOverhead = 14 + 40 + 32;  // Ethernet + IP + TCP with timestamps

// Writes one flow's events. The capture point sits next to the clients, so a server
// packet answers a client packet one RTT after it, and client packets answer at once.
class FlowScript {
 public:
  FlowScript(const FlowPlan& f, std::uint32_t id, const NameCatalogue& names,
             std::vector<Event>& out)
      : f_(f), id_(id), names_(names), out_(out), rng_(mix_seed(f.seed, 0x5c4ed)) {}

  void run() {
    switch (f_.kind) {
      case FlowKind::Dns:
        return dns();
      case FlowKind::Quic:
        return quic();
      case FlowKind::Tls:
      case FlowKind::Http:
        return tcp();
    }
  }

 private:
  Event& emit(std::int64_t ts, bool from_client, Content content = Content::None) {
    Event e;
    e.ts_us = ts;
    e.flow = id_;
    e.index = next_index_++;
    e.from_client = from_client;
    e.content = content;
    out_.push_back(e);
    return out_.back();
  }
  // Client-side processing between receiving and answering: tens to hundreds of µs.
  std::int64_t stack_delay() { return rng_.between(20, 250); }
  std::int64_t rtt() const { return f_.rtt_us; }

  Event& tcp_segment(std::int64_t ts, bool from_client, std::uint8_t flags,
                     Content content = Content::None, std::uint32_t length = 0) {
    Event& e = emit(ts, from_client, content);
    e.tcp_flags = flags;
    e.seq = from_client ? client_seq_ : server_seq_;
    e.ack = (flags & flag::kAck) ? (from_client ? server_seq_ : client_seq_) : 0;
    e.length = length;
    std::uint32_t& seq = from_client ? client_seq_ : server_seq_;
    seq += length + ((flags & (flag::kSyn | flag::kFin)) ? 1 : 0);
    return e;
  }

  // The server's answer: `packets` segments/datagrams in slow-start bursts, the client
  // ACKing every second one. Returns the time of the last packet.
  std::int64_t transfer(std::int64_t first, std::uint32_t packets, std::uint32_t total,
                        std::uint32_t full, Content content, std::uint16_t round) {
    const std::int64_t gap =
        std::max<std::int64_t>(1, (full + kFrameOverhead) * 8'000LL / f_.bandwidth_kbps);
    const auto bdp = static_cast<std::uint32_t>(
        static_cast<std::uint64_t>(f_.bandwidth_kbps) * f_.rtt_us / 8'000 / full);
    const std::uint32_t max_window = std::max(kInitialWindow, bdp);
    std::uint32_t window = kInitialWindow;
    std::int64_t burst = first, last = first;
    std::uint32_t sent = 0, offset = 0;
    while (sent < packets) {
      const std::uint32_t n = std::min(window, packets - sent);
      for (std::uint32_t j = 0; j < n; ++j, ++sent) {
        const std::int64_t ts = burst + j * gap;
        const bool final_packet = sent + 1 == packets;
        const std::uint32_t len = final_packet ? total - offset : full;
        server_data(ts, content, round, offset, len, total, final_packet);
        offset += len;
        last = ts;
        if (sent % 2 == 1 || final_packet) last = client_ack(ts + stack_delay(), sent);
      }
      const std::int64_t burst_end = burst + (n - 1) * gap;
      burst = std::max(burst + rtt(), burst_end + gap);
      window = std::min(window * 2, max_window);
    }
    return last;
  }

  void server_data(std::int64_t ts, Content content, std::uint16_t round, std::uint32_t offset,
                   std::uint32_t len, std::uint32_t total, bool final_packet) {
    Event* e = nullptr;
    if (f_.kind == FlowKind::Quic) {
      e = &emit(ts, false, Content::QuicShort);
      e->length = len;
    } else {
      e = &tcp_segment(ts, false, flag::kAck | (final_packet ? flag::kPsh : 0), content, len);
    }
    e->offset = offset;
    e->total = total;
    e->round = round;
  }

  std::int64_t client_ack(std::int64_t ts, std::uint32_t salt) {
    if (f_.kind == FlowKind::Quic) {
      Event& e = emit(ts, true, Content::QuicShort);
      e.length = static_cast<std::uint32_t>(rng_.between(30, 48));
      e.offset = salt;
    } else {
      tcp_segment(ts, true, flag::kAck);
    }
    return ts;
  }

  // Bytes of a response of `packets` full packets but the last, whose size varies.
  std::uint32_t response_total(std::uint32_t packets, std::uint32_t full, std::uint32_t min_tail) {
    return (packets - 1) * full + static_cast<std::uint32_t>(rng_.between(min_tail, full));
  }

  void tcp() {
    client_seq_ = static_cast<std::uint32_t>(rng_.next());
    server_seq_ = static_cast<std::uint32_t>(rng_.next());
    const std::uint32_t mss = tcp_segment_payload(f_);
    std::int64_t t = f_.start_us;
    tcp_segment(t, true, flag::kSyn);
    t += rtt();
    tcp_segment(t, false, flag::kSyn | flag::kAck);
    t += stack_delay();
    tcp_segment(t, true, flag::kAck);
    t += stack_delay();

    std::uint16_t round = 0;
    if (f_.kind == FlowKind::Tls) {
      const auto hello = static_cast<std::uint32_t>(tls_client_hello_for(f_, names_).size());
      tcp_segment(t, true, flag::kPsh | flag::kAck, Content::TlsClientHello, hello);
      const auto flight = static_cast<std::uint32_t>(tls_server_flight(f_).size());
      // The server's first flight leaves after a signature: a fraction of a millisecond to a few.
      t = transfer(t + rtt() + rng_.between(200, 3'000), (flight + mss - 1) / mss, flight, mss,
                   Content::TlsServerFlight, 0);
      round = 1;
    }
    const std::uint32_t min_tail = f_.kind == FlowKind::Http ? kMinHttpResponse : 100;
    for (std::uint32_t packets : f_.response_packets) {
      // The first request follows the handshake at once; later ones wait for the page/app.
      t += round <= 1 ? rng_.between(200, 3'000)
                      : static_cast<std::int64_t>(rng_.log_uniform(1'000, 2'000'000));
      const bool tls = f_.kind == FlowKind::Tls;
      const auto req = static_cast<std::uint32_t>(
          tls ? tls_client_request(f_, round).size() : http_request(f_, names_, round).size());
      Event& e = tcp_segment(t, true, flag::kPsh | flag::kAck,
                             tls ? Content::TlsClientRequest : Content::HttpRequest, req);
      e.round = round;
      const std::int64_t think = static_cast<std::int64_t>(rng_.log_uniform(500, 80'000));
      t = transfer(t + rtt() + think, packets, response_total(packets, mss, min_tail), mss,
                   Content::Response, round);
      ++round;
    }
    close(t);
  }

  void close(std::int64_t t) {
    switch (f_.ending) {
      case Ending::ClientFin:  // browsers keep idle connections for up to a minute or so
        t += static_cast<std::int64_t>(rng_.log_uniform(50'000, 60'000'000));
        tcp_segment(t, true, flag::kFin | flag::kAck);
        t += rtt();
        tcp_segment(t, false, flag::kFin | flag::kAck);
        tcp_segment(t + stack_delay(), true, flag::kAck);
        break;
      case Ending::ServerFin:  // keep-alive timeout on the server (nginx: 75 s)
        t += static_cast<std::int64_t>(rng_.log_uniform(1'000'000, 75'000'000));
        tcp_segment(t, false, flag::kFin | flag::kAck);
        t += rng_.between(100, 1'000);
        tcp_segment(t, true, flag::kFin | flag::kAck);
        tcp_segment(t + rtt(), false, flag::kAck);
        break;
      case Ending::ClientRst:  // tab closed, navigation aborted
        t += static_cast<std::int64_t>(rng_.log_uniform(10'000, 5'000'000));
        tcp_segment(t, true, flag::kRst | flag::kAck);
        break;
      case Ending::Open:
        break;
    }
  }

  void quic() {
    std::int64_t t = f_.start_us;
    emit(t, true, Content::QuicClientInitial).length = kQuicInitialSize;
    t += rtt();
    emit(t, false, Content::QuicServerInitial).length = kQuicInitialSize;
    // Chrome and Cloudflare send 1-RTT datagrams of 1200 to 1350 bytes.
    static constexpr std::uint32_t kSizes[] = {1200, 1232, 1252, 1350};
    const std::uint32_t full = kSizes[rng_.between(0, 3)];
    std::uint16_t round = 0;
    std::uint32_t salt = 1u << 20;
    for (std::uint32_t packets : f_.response_packets) {
      t += round == 0 ? rng_.between(200, 3'000)
                      : static_cast<std::int64_t>(rng_.log_uniform(1'000, 2'000'000));
      Event& e = emit(t, true, Content::QuicShort);
      e.length = static_cast<std::uint32_t>(rng_.between(60, 400));
      e.offset = salt++;
      const std::int64_t think = static_cast<std::int64_t>(rng_.log_uniform(500, 80'000));
      t = transfer(t + rtt() + think, packets, response_total(packets, full, 60), full,
                   Content::QuicShort, round);
      ++round;
    }
  }

  void dns() {
    emit(f_.start_us, true, Content::DnsQuery);
    emit(f_.start_us + rtt(), false, Content::DnsAnswer);
  }

  const FlowPlan& f_;
  std::uint32_t id_;
  const NameCatalogue& names_;
  std::vector<Event>& out_;
  Rng rng_;
  std::uint32_t next_index_ = 0;
  std::uint32_t client_seq_ = 0, server_seq_ = 0;
};

}  // namespace

void schedule_flow(const FlowPlan& flow, std::uint32_t flow_id, const NameCatalogue& names,
                   std::vector<Event>& out) {
  FlowScript(flow, flow_id, names, out).run();
}

}  // namespace wiretop::bench
