#pragma once
// --ipfix HOST:PORT: a flow cache fed with every connection packet and every
// ended connection, exporting biflow records over UDP (RFC 7011 §10.3) when a
// flow has been quiet for the idle timeout, has run for the active timeout since
// its last record, or ends. Records carry deltas; summed over a connection's
// records they equal its JSON totals. Times are the packet clock.

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/result.h"
#include "export/ipfix_encoding.h"
#include "export/packet_note.h"
#include "model/connection_row.h"

namespace wiretop::exporting {

struct IpfixConfig {
  double active_timeout_s = 60;
  double idle_timeout_s = 15;
  double template_refresh_s = 60;  // RFC 7011 §8.4: UDP exporters resend templates periodically
  std::uint32_t observation_domain = 1;
  std::size_t max_flows = 1u << 20;  // cache cap; past it a flow is exported only when it ends
};

struct IpfixStats {
  std::uint64_t records = 0, messages = 0, send_errors = 0, cache_full = 0;
};

class IpfixExporter {
 public:
  ~IpfixExporter();
  IpfixExporter(const IpfixExporter&) = delete;
  IpfixExporter& operator=(const IpfixExporter&) = delete;

  // A connected UDP socket to "HOST:PORT" ("[v6]:PORT" for IPv6 literals),
  // created now because the sandbox forbids socket() and connect() later.
  static core::Result<std::unique_ptr<IpfixExporter>, std::string> connect(const std::string& host_port,
                                                                           const IpfixConfig& config);
  // Tests: messages go to `send` instead of a socket.
  IpfixExporter(const IpfixConfig& config, IpfixMessageBuilder::Send send);

  void on_packet(const PacketNote& note);
  void on_end(const model::ConnectionRow& row);
  // The packet clock moved: idle and active expiry, template refresh, and the
  // pending message goes out.
  void on_tick(core::Timestamp now);
  void flush() { builder_.flush(); }
  IpfixStats stats() const;

 private:
  struct Entry {
    IpfixFlow flow;  // identity, names, and the delta being accumulated
    std::array<std::uint64_t, 2> exported_packets{}, exported_bytes{};
    std::array<std::uint64_t, 2> total_packets{}, total_bytes{};
    core::Timestamp last_export;
    bool pending = false;  // packets arrived since the last record
  };
  void export_delta(Entry& e, FlowEndReason reason, core::Timestamp now);
  void send_datagram(std::string_view message);

  IpfixConfig config_;
  int fd_ = -1;
  IpfixMessageBuilder builder_;
  std::unordered_map<std::uint64_t, Entry> flows_;
  core::Timestamp last_scan_, last_templates_;
  std::uint64_t send_errors_ = 0, cache_full_ = 0;
};

// Splits "HOST:PORT" / "[V6]:PORT"; false when malformed.
bool split_host_port(const std::string& s, std::string& host, std::string& port);

}  // namespace wiretop::exporting
