#pragma once
// IPFIX (RFC 7011) encoding of wiretop's biflows (RFC 5103): the two templates
// (IPv4 and IPv6 addresses), data records, and message framing. Reverse-direction
// counters use the RFC 5103 Reverse PEN; process and server names are
// enterprise elements under kWiretopPen (listed in README.md, "IPFIX export").

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/ip_address.h"
#include "core/timestamp.h"

namespace wiretop::exporting {

// RFC 5103 §6: reverse elements are the forward ones under this enterprise number.
inline constexpr std::uint32_t kReversePen = 29305;
// Enterprise number for wiretop's own elements. wiretop has no PEN of its own;
// 32473 is the one IANA reserves for documentation and examples (RFC 5612).
inline constexpr std::uint32_t kWiretopPen = 32473;
inline constexpr std::uint16_t kTemplateV4 = 256, kTemplateV6 = 257;
// Keeps each message in one unfragmented UDP datagram on a 1500-byte path.
inline constexpr std::size_t kMaxMessageBytes = 1400;

// RFC 7011 flowEndReason (IANA element 136).
enum class FlowEndReason : std::uint8_t { IdleTimeout = 1, ActiveTimeout = 2, EndOfFlow = 3, ForcedEnd = 4,
                                          LackOfResources = 5 };

// One biflow record: the client is the source (biflowDirection = initiator).
struct IpfixFlow {
  std::uint8_t ip_proto = 0;
  core::IpAddress client_ip, server_ip;
  std::uint16_t client_port = 0, server_port = 0;
  core::Timestamp start, end;
  std::array<std::uint64_t, 2> packets{}, bytes{};  // deltas: [0] client to server, [1] back
  std::array<std::uint8_t, 2> tcp_flags{};          // ORed over the deltas' packets
  FlowEndReason end_reason = FlowEndReason::IdleTimeout;
  std::uint32_t pid = 0;
  std::string process_name, server_name, app;
};

// Appends a Template Set holding both templates.
void append_ipfix_template_set(std::string& out);
// Appends one data record (no set header) for the flow's template (ipfix_template_id).
void append_ipfix_record(std::string& out, const IpfixFlow& flow);
std::uint16_t ipfix_template_id(const IpfixFlow& flow);

// Packs records into messages no longer than kMaxMessageBytes and hands each
// finished message to `send`. The template set leads the first message and
// any message after refresh_templates().
class IpfixMessageBuilder {
 public:
  using Send = std::function<void(std::string_view message)>;
  IpfixMessageBuilder(std::uint32_t observation_domain, Send send)
      : domain_(observation_domain), send_(std::move(send)) {}

  // `export_time`: the message header's Export Time (seconds).
  void add(const IpfixFlow& flow, core::Timestamp export_time);
  void flush();
  void refresh_templates() { templates_due_ = true; }
  std::uint64_t records() const { return sequence_; }
  std::uint64_t messages() const { return messages_; }

 private:
  void start_message(core::Timestamp export_time);
  void close_set();

  std::uint32_t domain_;
  Send send_;
  std::string message_;
  std::size_t set_start_ = 0;
  std::uint16_t set_id_ = 0;
  std::uint32_t sequence_ = 0;        // data records sent before this message (RFC 7011 §3.1)
  std::uint32_t pending_records_ = 0;
  std::uint64_t messages_ = 0;
  bool templates_due_ = true;
  std::string record_;
};

}  // namespace wiretop::exporting
