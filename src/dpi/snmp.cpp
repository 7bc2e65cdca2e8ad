// SNMP over UDP (RFC 1157 v1, RFC 1901/3416 v2c, RFC 3412 v3): the message
// version and, for v1/v2c, the community string. The message is BER
// (X.690): SEQUENCE { INTEGER version, OCTET STRING community, PDU } for
// v1/v2c, SEQUENCE { INTEGER 3, SEQUENCE msgGlobalData, ... } for v3.
#include <optional>

#include "dpi/dissector.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::uint8_t kSequence = 0x30, kInteger = 0x02, kOctetString = 0x04;
// PDUs are context-specific constructed tags [0]..[8]: GetRequest .. Report
// (RFC 3416 3; [4] is the v1 Trap of RFC 1157).
constexpr std::uint8_t kFirstPdu = 0xa0, kLastPdu = 0xa8;
constexpr std::uint8_t kV1 = 0, kV2c = 1, kV3 = 3;

// A BER length (X.690 8.1.3): short form, or long form with 1-3 length bytes
// (an SNMP message never comes near 16 MiB; indefinite form (0x80) is not
// allowed in SNMP, RFC 3417 8).
std::optional<std::size_t> ber_length(ByteReader& r) {
  const auto first = r.u8();
  if (!first) return std::nullopt;
  if (*first < 0x80) return *first;
  const int count = *first & 0x7f;
  if (count == 0 || count > 3) return std::nullopt;
  std::size_t length = 0;
  for (int i = 0; i < count; ++i) {
    const auto byte = r.u8();
    if (!byte) return std::nullopt;
    length = (length << 8) | *byte;
  }
  return length;
}

struct Message {
  std::uint8_t version = 0;
  std::optional<Bytes> community;  // v1/v2c
};

// The message header up to the PDU tag (v1/v2c) or msgGlobalData's tag (v3).
// The outer length may exceed the datagram (a capture cut by its snap length)
// but never fall short of it: one datagram holds one message.
std::optional<Message> read_message(Bytes datagram) {
  ByteReader r(datagram);
  if (r.u8() != kSequence) return std::nullopt;
  const auto total = ber_length(r);
  if (!total || *total < r.remaining()) return std::nullopt;
  if (r.u8() != kInteger || r.u8() != 1) return std::nullopt;
  const auto version = r.u8();
  if (!version || (*version != kV1 && *version != kV2c && *version != kV3)) return std::nullopt;
  Message m;
  m.version = *version;
  if (m.version == kV3) {
    if (r.peek_u8() != kSequence) return std::nullopt;
    return m;
  }
  if (r.u8() != kOctetString) return std::nullopt;
  const auto length = ber_length(r);
  if (!length) return std::nullopt;
  m.community = r.bytes(*length);
  const auto pdu = r.u8();
  if (!m.community || !pdu || *pdu < kFirstPdu || *pdu > kLastPdu) return std::nullopt;
  return m;
}

const char* version_name(std::uint8_t version) {
  return version == kV1 ? "v1" : version == kV2c ? "v2c" : "v3";
}

// Request and response carry the same version and community: the first
// message says it all.
class SnmpSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    const auto m = read_message(data);
    if (!m) return Progress::More;
    ctx.out.snmp_version = version_name(m->version);
    if (m->community) {
      ctx.out.snmp_community = printable(*m->community);
      ctx.out.cleartext_auth = "snmp_community";  // v1/v2c authenticate by this string alone
    }
    return Progress::Done;
  }
};

Match probe(const FlowInfo&, Direction, Bytes start) {
  return read_message(start) ? Match::Yes : Match::No;
}

std::unique_ptr<Session> make_session() { return std::make_unique<SnmpSession>(); }

}  // namespace

extern const Dissector kSnmp{"SNMP", kUdp, {161, 162}, false, probe, make_session};

}  // namespace wiretop::dpi
