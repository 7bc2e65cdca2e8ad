#pragma once
// What the engine knows about a packet's connection when the packet is handled:
// the pcapng comment and the IPFIX flow cache are written from it.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ip_address.h"
#include "core/timestamp.h"

namespace wiretop::exporting {

struct PacketNote {
  std::uint64_t connection_id = 0;  // 0: the packet belongs to no connection (ARP, bad frame)
  int direction = 0;                // 0: client to server, 1: server to client
  core::Timestamp ts, first_seen;
  std::uint8_t ip_proto = 0;
  std::uint8_t tcp_flags = 0;       // this packet's (0 when not TCP)
  core::IpAddress client_ip, server_ip;
  std::uint16_t client_port = 0, server_port = 0;
  std::array<std::uint64_t, 2> packets{}, bytes{};  // the connection's totals, this packet included
  // As far as known when the packet was handled (empty: not known yet).
  std::uint32_t pid = 0;
  std::string_view process_name;
  std::string_view app;        // DPI protocol ("TLS", "HTTP", ...)
  std::string_view sni;
  std::string_view http_host;
};

// The pcapng opt_comment for a packet: connection id, direction, process,
// DPI result, e.g. "wiretop conn=7 dir=c2s pid=812 process=curl app=TLS sni=example.com".
std::string packet_comment(const PacketNote& note);

}  // namespace wiretop::exporting
