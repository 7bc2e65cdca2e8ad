// Readers for the DNS message format (RFC 1035 4.1) shared by the DNS, mDNS,
// LLMNR and NetBIOS name service dissectors; see dns_wire.h.
#include "dpi/dns_wire.h"

#include <algorithm>
#include <array>

namespace wiretop::dpi::dns {
namespace {

using core::ByteReader;

// A real name has at most 127 labels, each of which could be followed by a
// pointer; more hops than that is a crafted chain.
constexpr int kMaxPointerHops = 128;

}  // namespace

std::optional<Header> read_header(ByteReader& message) {
  ByteReader r = message;
  const auto id = r.be16();
  const auto flags = r.be16();
  const auto qd = r.be16();
  const auto an = r.be16();
  const auto ns = r.be16();
  const auto ar = r.be16();
  if (!ar) return std::nullopt;
  message = r;
  Header h;
  h.id = *id;
  h.response = (*flags & 0x8000) != 0;
  h.opcode = static_cast<std::uint8_t>((*flags >> 11) & 0x0f);
  h.rcode = static_cast<std::uint8_t>(*flags & 0x0f);
  h.qdcount = *qd;
  h.ancount = *an;
  h.nscount = *ns;
  h.arcount = *ar;
  return h;
}

// RFC 1035 4.1.4: a label is a length byte (00xxxxxx) and that many bytes; a
// pointer is 11 and a 14-bit offset. 01 and 10 are reserved (RFC 6891 5
// retired the only extended label type), so they end the parse.
std::optional<std::string> read_name(ByteReader& message) {
  ByteReader cur = message;
  std::size_t segment_start = cur.position();
  std::size_t wire_length = 1;  // the root label that ends every name
  std::optional<std::size_t> end;  // where the caller resumes: after the first pointer
  int hops = 0;
  std::string name;
  for (;;) {
    const auto length = cur.u8();
    if (!length) return std::nullopt;
    if ((*length & 0xc0) == 0xc0) {
      const auto low = cur.u8();
      if (!low || ++hops > kMaxPointerHops) return std::nullopt;
      const std::size_t target = (std::size_t{*length & 0x3fu} << 8) | *low;
      if (target >= segment_start) return std::nullopt;  // strictly backwards: no loops
      if (!end) end = cur.position();
      cur.seek(target);
      segment_start = target;
      continue;
    }
    if ((*length & 0xc0) != 0) return std::nullopt;
    if (*length == 0) break;
    wire_length += 1 + std::size_t{*length};
    const auto label = cur.bytes(*length);
    if (!label || wire_length > kMaxNameWire) return std::nullopt;
    if (!name.empty()) name += '.';  // labels are never empty: length 0 ends the name
    name.append(label->begin(), label->end());
  }
  message.seek(end.value_or(cur.position()));
  return name;
}

std::optional<Question> read_question(ByteReader& message) {
  ByteReader r = message;
  auto name = read_name(r);
  if (!name) return std::nullopt;
  const auto type = r.be16();
  const auto klass = r.be16();
  if (!klass) return std::nullopt;
  message = r;
  return Question{std::move(*name), *type, *klass};
}

std::optional<Record> read_record(ByteReader& message) {
  ByteReader r = message;
  auto owner = read_name(r);
  if (!owner) return std::nullopt;
  const auto type = r.be16();
  const auto klass = r.be16();
  const auto ttl = r.be32();
  const auto rdlength = r.be16();
  if (!rdlength) return std::nullopt;
  const std::size_t offset = r.position();
  const auto rdata = r.bytes(*rdlength);
  if (!rdata) return std::nullopt;
  message = r;
  return Record{std::move(*owner), *type, *klass, *ttl, offset, *rdata};
}

std::string type_name(std::uint16_t type) {
  struct Name {
    std::uint16_t type;
    const char* name;
  };
  static constexpr std::array<Name, 33> kNames{{
      {1, "A"},        {2, "NS"},       {5, "CNAME"},  {6, "SOA"},    {10, "NULL"},
      {12, "PTR"},     {13, "HINFO"},   {15, "MX"},    {16, "TXT"},   {17, "RP"},
      {18, "AFSDB"},   {24, "SIG"},     {25, "KEY"},   {28, "AAAA"},  {29, "LOC"},
      {33, "SRV"},     {35, "NAPTR"},   {39, "DNAME"}, {41, "OPT"},   {43, "DS"},
      {44, "SSHFP"},   {46, "RRSIG"},   {47, "NSEC"},  {48, "DNSKEY"}, {50, "NSEC3"},
      {52, "TLSA"},    {64, "SVCB"},    {65, "HTTPS"}, {99, "SPF"},   {251, "IXFR"},
      {252, "AXFR"},   {255, "ANY"},    {257, "CAA"},
  }};
  for (const Name& n : kNames)
    if (n.type == type) return n.name;
  return "TYPE" + std::to_string(type);
}

std::string rcode_name(std::uint8_t rcode) {
  // RFC 1035 4.1.1 (0-5), RFC 2136 2.2 (6-10), RFC 8490 (11).
  static constexpr std::array<const char*, 12> kNames{
      "NOERROR", "FORMERR",  "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE", "DSOTYPENI"};
  if (rcode < kNames.size()) return kNames[rcode];
  return "RCODE" + std::to_string(rcode);
}

void add_query(AppInfo& out, DnsQuery query) {
  if (std::find(out.dns_queries.begin(), out.dns_queries.end(), query) != out.dns_queries.end())
    return;
  // Counts every question that did not fit, repeats included: telling
  // distinct ones apart would need the unbounded set the cap exists to avoid.
  if (out.dns_queries.size() >= AppInfo::kMaxDnsQueries) {
    ++out.dns_queries_overflow;
    return;
  }
  out.dns_queries.push_back(std::move(query));
}

void add_answer(AppInfo& out, std::string text) {
  auto& list = out.dns_answers;
  if (list.size() >= AppInfo::kMaxDnsAnswers) return;
  if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(std::move(text));
}

}  // namespace wiretop::dpi::dns
