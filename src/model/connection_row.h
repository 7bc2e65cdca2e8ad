#pragma once
// A connection as the views and exporters see it: a flat, self-contained row
// copied out of the tracker, so nothing downstream touches tracker state.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/ip_address.h"
#include "core/timestamp.h"
#include "dpi/app_info.h"
#include "flow/rate.h"
#include "host/process_info.h"

namespace wiretop::flow {
struct Connection;
enum class EndReason : std::uint8_t;
}  // namespace wiretop::flow

namespace wiretop::model {

// What local databases say about one end of a connection (issue 8
// enrichment, filled by export/enricher.h before a row is shown or written).
struct EndpointInfo {
  std::string_view address_class;  // "public", "private", "loopback", ... (export/address_class.h)
  std::string country;              // ISO 3166 code from GeoIP, or empty
  std::string city;
  std::uint32_t asn = 0;  // 0: unknown
  std::string as_org;
  bool has_mac = false;  // learned from ARP / neighbour discovery: the end is on-link
  std::array<std::uint8_t, 6> mac{};
  std::string mac_vendor;  // IEEE OUI registry organisation, or empty
};

struct ConnectionRow {
  std::uint64_t id = 0;
  std::uint8_t ip_proto = 0;
  core::IpAddress client_ip, server_ip;
  bool has_ports = false;
  std::uint16_t client_port = 0, server_port = 0;
  bool is_icmp = false;
  bool is_icmp_echo = false;
  std::uint8_t icmp_type = 0, icmp_code = 0;
  std::uint16_t icmp_id = 0;
  bool has_vlan = false;
  std::uint16_t vlan = 0;
  core::Timestamp first_seen, last_seen;
  std::string_view state;       // upper-case TCP state, or NEW/ACTIVE
  std::string_view end_reason;  // empty while live
  std::string_view service;     // the server port's /etc/services name, set by views that show it
  std::array<std::uint64_t, 2> packets{}, bytes{}, frame_bytes{};
  std::array<std::uint32_t, 2> retransmits{}, out_of_order{}, dup_acks{};
  std::uint32_t fragments = 0, icmp_errors = 0;
  double rtt_ms = -1;  // negative: not measured
  double idle_timeout_s = 0;  // silence after which the tracker ends it (0: unknown)
  std::array<double, 2> rate_bps{};  // bytes per second, client→server and back
  // The window rate_bps was computed from: a view holding a row the shard did
  // not re-serve (no packet since) recomputes its decaying rates from this.
  flow::RateWindow rate_window;
  bool locality_known = false;  // live capture: client_local/server_local are meaningful
  bool client_local = false, server_local = false;

  // Deep packet inspection (null: nothing inspected yet, or no payload).
  std::shared_ptr<const dpi::AppInfo> app;
  // A name for the server: the SNI, else the HTTP host, else a DNS answer seen
  // on the wire before the connection began. Empty when none is known.
  std::string server_name;
  std::string_view server_name_source;  // "sni", "http_host", "dns" or empty

  // Process attribution (issue 6): the local socket's owner (the client's when
  // the client is local, else the server's); pid 0 = unknown.
  std::uint32_t pid = 0;
  std::string process_name;
  // The owner of the client socket when the client is local, and of the server
  // socket when the server is local (both on loopback); null when unknown.
  std::shared_ptr<const host::ProcessInfo> process, server_process;
  // Enrichment (issue 8): ISO 3166 country code of the remote address, or empty.
  std::string country;
  std::array<EndpointInfo, 2> ends;  // client, server
};

// Copies a tracker record into a row; `now` is the packet clock for the rates
// from `rate` (null: the tracker keeps none, rate_bps stays 0).
ConnectionRow to_row(const flow::Connection& c, flow::EndReason reason, core::Timestamp now,
                     const flow::RateWindow* rate = nullptr);

}  // namespace wiretop::model
