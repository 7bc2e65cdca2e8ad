// The NetBIOS name service (RFC 1002 4.2, UDP 137): the names asked,
// registered, released or answered (dns_queries, type "NB" or "NBSTAT"), the
// addresses of positive NB answers and the names of NBSTAT answers
// (dns_answers), and the last response's rcode. Messages use the DNS layout
// (dns_wire.h); each NetBIOS name is one 32-byte label in RFC 1001 14.1's
// "first-level encoding" (every half-byte as a letter 'A'-'P') of 15
// space-padded characters and a suffix byte giving the service, optionally
// followed by a scope as more labels. Names are shown as tshark's nbns.name
// shows them: "GUNNAR<00>", the scope after a dot.
#include <optional>
#include <string>

#include "dpi/dissector.h"
#include "dpi/dns_wire.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::uint16_t kTypeNb = 0x20, kTypeNbstat = 0x21;  // RFC 1002 4.2.1.3
constexpr std::size_t kEncodedLength = 32;
constexpr std::size_t kNbEntry = 6;       // NB_FLAGS, NB_ADDRESS (RFC 1002 4.2.13)
constexpr std::size_t kNodeNameEntry = 18;  // 16-byte name, NAME_FLAGS (RFC 1002 4.2.18)

// Query, registration, release, WACK, refresh (RFC 1002 4.2.1.1; 9 is the
// refresh code Windows sends) and multi-homed registration (0xf).
bool known_opcode(std::uint8_t opcode) {
  return opcode == 0 || (opcode >= 5 && opcode <= 9) || opcode == 0xf;
}

char hex_digit(unsigned value) {
  return "0123456789abcdef"[value & 0x0f];
}

// The 15 characters (trailing spaces and NULs dropped, the padding of ordinary
// names and of the "*" wildcard) and the suffix of a 16-byte NetBIOS name.
std::string display_name(std::string raw, const std::string& scope) {
  const auto suffix = static_cast<std::uint8_t>(raw.back());
  raw.pop_back();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\0')) raw.pop_back();
  std::string text = printable(raw) + '<' + hex_digit(suffix >> 4u) + hex_digit(suffix) + '>';
  if (!scope.empty()) text += '.' + printable(scope);
  return text;
}

// RFC 1001 14.1: two letters 'A'-'P' per byte; the label is exactly 32.
std::optional<std::string> decode_name(const std::string& dns_name) {
  if (dns_name.size() < kEncodedLength) return std::nullopt;
  if (dns_name.size() > kEncodedLength && dns_name[kEncodedLength] != '.') return std::nullopt;
  std::string raw;
  for (std::size_t i = 0; i < kEncodedLength; i += 2) {
    const char hi = dns_name[i], lo = dns_name[i + 1];
    if (hi < 'A' || hi > 'P' || lo < 'A' || lo > 'P') return std::nullopt;
    raw.push_back(static_cast<char>(((hi - 'A') << 4) | (lo - 'A')));
  }
  const std::string scope =
      dns_name.size() > kEncodedLength ? dns_name.substr(kEncodedLength + 1) : std::string();
  return display_name(std::move(raw), scope);
}

std::string nbns_type_name(std::uint16_t type) {
  if (type == kTypeNb) return "NB";
  if (type == kTypeNbstat) return "NBSTAT";
  return dns::type_name(type);
}

// RFC 1002 4.2.6: 1-5 as in DNS, then ACT_ERR and CFT_ERR.
std::string nbns_rcode_name(std::uint8_t rcode) {
  if (rcode == 6) return "ACT_ERR";
  if (rcode == 7) return "CFT_ERR";
  return dns::rcode_name(rcode);
}

bool is_nbns_item(const std::string& name, std::uint16_t type, std::uint16_t klass) {
  return (type == kTypeNb || type == kTypeNbstat) && klass == dns::kClassIn &&
         decode_name(name).has_value();
}

// Each section holds at most one entry in every RFC 1002 packet.
Match probe(const FlowInfo&, Direction, Bytes start) {
  ByteReader r(start);
  const auto h = dns::read_header(r);
  if (!h || !known_opcode(h->opcode) || h->qdcount > 1 || h->ancount > 1 || h->nscount > 1 ||
      h->arcount > 1)
    return Match::No;
  if (h->qdcount == 1) {
    const auto q = dns::read_question(r);
    return q && is_nbns_item(q->name, q->type, q->klass) ? Match::Yes : Match::No;
  }
  if (h->ancount + h->nscount + h->arcount == 0 || !h->response) return Match::No;
  const auto record = dns::read_record(r);
  return record && is_nbns_item(record->owner, record->type, record->klass) ? Match::Yes
                                                                            : Match::No;
}

void add_nb_addresses(Bytes rdata, AppInfo& out) {
  ByteReader r(rdata);
  while (r.remaining() >= kNbEntry) {
    r.skip(2);
    dns::add_answer(out, core::IpAddress::v4_bytes(*r.bytes(4)).to_string());
  }
}

// NODE_NAME entries of an NBSTAT answer (RFC 1002 4.2.18).
void add_node_names(Bytes rdata, AppInfo& out) {
  ByteReader r(rdata);
  const std::uint8_t count = r.u8().value_or(0);
  for (std::uint8_t i = 0; i < count && r.remaining() >= kNodeNameEntry; ++i) {
    const Bytes name = *r.bytes(16);
    r.skip(2);
    dns::add_answer(out, display_name(std::string(name.begin(), name.end()), {}));
  }
}

void read_record(const dns::Record& record, bool answer, AppInfo& out) {
  const auto name = decode_name(record.owner);
  if (!name) return;
  dns::add_query(out, {*name, nbns_type_name(record.type)});
  if (!answer) return;
  if (record.type == kTypeNb) add_nb_addresses(record.rdata, out);
  if (record.type == kTypeNbstat) add_node_names(record.rdata, out);
}

// Questions name what is asked; the records of registrations, releases and
// responses carry the name too (a positive response has no question), so
// theirs are listed as well.
void read_message(Bytes message, AppInfo& out) {
  ByteReader r(message);
  const auto header = dns::read_header(r);
  if (!header) return;
  if (header->response) out.dns_rcode = nbns_rcode_name(header->rcode);
  for (std::uint32_t i = 0; i < header->qdcount; ++i) {
    const auto question = dns::read_question(r);
    if (!question) return;
    if (const auto name = decode_name(question->name))
      dns::add_query(out, {*name, nbns_type_name(question->type)});
  }
  const std::uint32_t records = std::uint32_t{header->ancount} + header->nscount + header->arcount;
  for (std::uint32_t i = 0; i < records; ++i) {
    const auto record = dns::read_record(r);
    if (!record) return;
    read_record(*record, header->response && i < header->ancount, out);
  }
}

class NetbiosSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    read_message(data, ctx.out);
    return Progress::More;  // each datagram may name something new, within the budget
  }
};

std::unique_ptr<Session> make_session() {
  return std::make_unique<NetbiosSession>();
}

}  // namespace

extern const Dissector kNetbios{"NETBIOS", kUdp, {137}, false, probe, make_session};

}  // namespace wiretop::dpi
