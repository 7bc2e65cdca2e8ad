// DHCP (RFC 2131 on the BOOTP message of RFC 951, options RFC 2132) and
// DHCPv6 (RFC 8415): the message types a flow carried, the client's host name
// and its vendor class. Both run over UDP, one message per datagram, several
// datagrams per flow (DISCOVER/OFFER/REQUEST/ACK), so the sessions keep
// accumulating until the inspector's packet budget ends.
#include <optional>
#include <string>

#include "dpi/dissector.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

std::string type_name(const char* const* names, std::size_t count, unsigned type) {
  if (type >= 1 && type <= count) return names[type - 1];
  return "TYPE" + std::to_string(type);
}

// The fixed BOOTP part (RFC 2131 2, figure 1) before the magic cookie.
constexpr std::size_t kSnameOffset = 44, kSnameSize = 64;
constexpr std::size_t kFileOffset = 108, kFileSize = 128;
constexpr std::size_t kCookieOffset = 236;
constexpr std::uint32_t kMagicCookie = 0x63825363;  // RFC 2131 3

constexpr std::uint8_t kPadOption = 0, kEndOption = 255;
constexpr std::uint8_t kHostNameOption = 12, kVendorClassOption = 60;  // RFC 2132 3.14, 9.13
constexpr std::uint8_t kOverloadOption = 52, kMessageTypeOption = 53;  // RFC 2132 9.3, 9.6

// DHCP message types: RFC 2132 9.6, RFC 3203 (FORCERENEW), RFC 4388 and
// RFC 6926 (lease query), RFC 7724 (active lease query).
constexpr const char* kDhcpTypes[] = {
    "DISCOVER",      "OFFER",           "REQUEST",          "DECLINE",        "ACK",
    "NAK",           "RELEASE",         "INFORM",           "FORCERENEW",     "LEASEQUERY",
    "LEASEUNASSIGNED", "LEASEUNKNOWN",  "LEASEACTIVE",      "BULKLEASEQUERY", "LEASEQUERYDONE",
    "ACTIVELEASEQUERY", "LEASEQUERYSTATUS", "TLS"};

// A BOOTREQUEST (1) or BOOTREPLY (2) with a hardware address length that fits
// chaddr and the DHCP magic cookie after the fixed part: plain BOOTP (no
// cookie) is not DHCP.
bool is_dhcp(Bytes datagram) {
  const ByteReader r(datagram);
  const auto op = r.peek_u8(0);
  const auto hlen = r.peek_u8(2);
  if (!op || (*op != 1 && *op != 2) || !hlen || *hlen > 16) return false;
  ByteReader cookie(datagram);
  if (!cookie.skip(kCookieOffset)) return false;
  return cookie.be32() == kMagicCookie;
}

// Options area (RFC 2132 2): code, length, value; pad and end have no length.
// Reading stops at end or at the first option that overruns the area; what
// was read before it is kept. Returns the overload option's value (0: none).
std::uint8_t read_options(ByteReader options, AppInfo& out) {
  std::uint8_t overload = 0;
  while (auto code = options.u8()) {
    if (*code == kPadOption) continue;
    if (*code == kEndOption) break;
    auto length = options.u8();
    if (!length) break;
    auto value = options.bytes(*length);
    if (!value) break;
    if (*code == kMessageTypeOption && value->size() == 1)
      add_distinct(out.dhcp_message_types, type_name(kDhcpTypes, std::size(kDhcpTypes), (*value)[0]));
    else if (*code == kHostNameOption && out.dhcp_hostname.empty() && !value->empty())
      out.dhcp_hostname = printable(*value);
    else if (*code == kVendorClassOption && out.dhcp_vendor_class.empty() && !value->empty())
      out.dhcp_vendor_class = printable(*value);
    else if (*code == kOverloadOption && value->size() == 1)
      overload = (*value)[0];
  }
  return overload;
}

// Options in the options field, then (option overload, RFC 2132 9.3) in the
// file field and the sname field, in that order (RFC 2131 4.1).
void read_dhcp(Bytes datagram, AppInfo& out) {
  const std::uint8_t overload = read_options(ByteReader(datagram.subspan(kCookieOffset + 4)), out);
  if (overload & 1) read_options(ByteReader(datagram.subspan(kFileOffset, kFileSize)), out);
  if (overload & 2) read_options(ByteReader(datagram.subspan(kSnameOffset, kSnameSize)), out);
}

class DhcpSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    if (is_dhcp(data)) read_dhcp(data, ctx.out);
    return Progress::More;  // a lease exchange spans several datagrams
  }
};

Match probe_dhcp(const FlowInfo&, Direction, Bytes start) {
  return is_dhcp(start) ? Match::Yes : Match::No;
}

std::unique_ptr<Session> make_dhcp_session() { return std::make_unique<DhcpSession>(); }

// RFC 8415 7.3 message types, with '-' written '_'.
constexpr const char* kDhcpv6Types[] = {
    "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM", "RENEW", "REBIND", "REPLY",
    "RELEASE", "DECLINE", "RECONFIGURE", "INFORMATION_REQUEST", "RELAY_FORW", "RELAY_REPL"};
constexpr std::uint8_t kRelayForw = 12, kRelayRepl = 13;

// RFC 8415 21 option codes; client FQDN is RFC 4704.
constexpr std::uint16_t kClientIdOption = 1, kServerIdOption = 2, kRelayMessageOption = 9;
constexpr std::uint16_t kVendorClassOption6 = 16, kClientFqdnOption = 39;

// Relays nest the client's message in a Relay Message option; a few levels
// are enough (RFC 8415 sets HOP_COUNT_LIMIT to 8).
constexpr int kMaxRelayDepth = 8;

// The options of a client/server message (after 4 bytes) or of a relay
// message (after 34: type, hop count, link and peer addresses; RFC 8415 9).
std::optional<ByteReader> dhcpv6_options(Bytes message) {
  ByteReader r(message);
  const auto type = r.u8();
  if (!type || *type == 0 || *type > kRelayRepl) return std::nullopt;
  if (!r.skip(*type >= kRelayForw ? 33 : 3)) return std::nullopt;
  return r;
}

// A message whose options are well formed up to its exact end and that
// carries what RFC 8415 16 makes mandatory: a client or server identifier, or
// for relays the relayed message.
bool is_dhcpv6(Bytes message) {
  auto options = dhcpv6_options(message);
  if (!options || options->empty()) return false;
  const bool relay = message[0] >= kRelayForw;
  bool has_required = false;
  while (!options->empty()) {
    const auto code = options->be16();
    const auto length = options->be16();
    if (!code || !length || !options->skip(*length)) return false;
    if (relay ? *code == kRelayMessageOption
              : (*code == kClientIdOption || *code == kServerIdOption))
      has_required = true;
  }
  return has_required;
}

// vendor-class-data (RFC 8415 21.16): enterprise number, then length-prefixed
// opaque strings; the first one names the client.
std::optional<std::string> first_vendor_class(ByteReader value) {
  if (!value.skip(4)) return std::nullopt;
  const auto length = value.be16();
  if (!length || *length == 0) return std::nullopt;
  const auto data = value.bytes(*length);
  if (!data) return std::nullopt;
  return printable(*data);
}

// Client FQDN (RFC 4704 4): flags, then a domain name in DNS wire format
// without compression (RFC 8415 10), possibly partial (no root label).
std::optional<std::string> fqdn_text(ByteReader value) {
  if (!value.skip(1)) return std::nullopt;
  std::string name;
  while (auto length = value.u8()) {
    if (*length == 0) break;
    if (*length > 63) return std::nullopt;
    const auto label = value.bytes(*length);
    if (!label) return std::nullopt;
    if (!name.empty()) name.push_back('.');
    name += printable(*label);
    if (name.size() >= AppInfo::kMaxText) break;
  }
  if (name.empty()) return std::nullopt;
  return printable(name);
}

void read_dhcpv6(Bytes message, AppInfo& out, int depth) {
  auto options = dhcpv6_options(message);
  if (!options) return;
  add_distinct(out.dhcp_message_types,
               type_name(kDhcpv6Types, std::size(kDhcpv6Types), message[0]));
  while (!options->empty()) {
    const auto code = options->be16();
    const auto length = options->be16();
    if (!code || !length) return;
    auto value = options->sub(*length);
    if (!value) return;
    if (*code == kRelayMessageOption && depth < kMaxRelayDepth) {
      read_dhcpv6(value->whole(), out, depth + 1);
    } else if (*code == kVendorClassOption6 && out.dhcp_vendor_class.empty()) {
      out.dhcp_vendor_class = first_vendor_class(*value).value_or("");
    } else if (*code == kClientFqdnOption && out.dhcp_hostname.empty()) {
      out.dhcp_hostname = fqdn_text(*value).value_or("");
    }
  }
}

class Dhcpv6Session final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    if (is_dhcpv6(data)) read_dhcpv6(data, ctx.out, 0);
    return Progress::More;  // SOLICIT/ADVERTISE/REQUEST/REPLY: several datagrams
  }
};

Match probe_dhcpv6(const FlowInfo&, Direction, Bytes start) {
  return is_dhcpv6(start) ? Match::Yes : Match::No;
}

std::unique_ptr<Session> make_dhcpv6_session() { return std::make_unique<Dhcpv6Session>(); }

}  // namespace

extern const Dissector kDhcp{"DHCP", kUdp, {67, 68}, false, probe_dhcp, make_dhcp_session};
extern const Dissector kDhcpv6{"DHCPV6", kUdp, {546, 547}, false, probe_dhcpv6,
                               make_dhcpv6_session};

}  // namespace wiretop::dpi
