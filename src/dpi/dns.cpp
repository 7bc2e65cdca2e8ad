// DNS (RFC 1035), multicast DNS (RFC 6762) and LLMNR (RFC 4795): the
// questions of every query and response (dns_queries), the answer section's
// RDATA (dns_answers), the last response's rcode, and each A/AAAA answer's
// address bound to the name the client asked (NameSink), following CNAME
// chains back to it. Over UDP one message per datagram; over TCP each message
// follows a 2-byte length (RFC 1035 4.2.2, RFC 7766 8) and may be split across
// segments or share one with the next.
//
// The three share one wire format, so content alone cannot tell them apart:
// the flow does (the multicast group, else the well-known port, see
// flavor_of) and each probe answers only for its own flavour, so the right
// one wins whatever the registry order. On those ports a probe is lenient
// (sane header and first question), so captures cut by a small snaplen still
// count; on any other port the whole first message must parse exactly.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "dpi/dissector.h"
#include "dpi/dns_wire.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

enum class Flavor : std::uint8_t { Dns, Mdns, Llmnr };

constexpr std::uint16_t kDnsPort = 53, kMdnsPort = 5353, kLlmnrPort = 5355, kNetbiosNsPort = 137;
// 224.0.0.251 / ff02::fb (RFC 6762 3) and 224.0.0.252 / ff02::1:3 (RFC 4795 2).
constexpr std::array<std::uint8_t, 4> kMdnsV4{224, 0, 0, 251}, kLlmnrV4{224, 0, 0, 252};
constexpr std::array<std::uint8_t, 16> kMdnsV6{0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb};
constexpr std::array<std::uint8_t, 16> kLlmnrV6{0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3};
// The root name; tshark prints it this way too, so both tools agree on it.
constexpr std::string_view kRootName = "<Root>";

bool is_group(const core::IpAddress& a, const std::array<std::uint8_t, 4>& v4,
              const std::array<std::uint8_t, 16>& v6) {
  if (a.is_v4()) return std::equal(v4.begin(), v4.end(), a.bytes().begin());
  return a.is_v6() && a.bytes() == v6;
}

struct FlowFlavor {
  Flavor flavor = Flavor::Dns;
  bool well_known = false;  // decided by a group address or port, not by default
};

// The multicast group first (an mDNS query may come from any port), then the
// server's port, then the client's.
FlowFlavor flavor_of(const FlowInfo& flow) {
  for (const core::IpAddress* ip : {&flow.server_ip, &flow.client_ip}) {
    if (is_group(*ip, kMdnsV4, kMdnsV6)) return {Flavor::Mdns, true};
    if (is_group(*ip, kLlmnrV4, kLlmnrV6)) return {Flavor::Llmnr, true};
  }
  for (const std::uint16_t port : {flow.server_port, flow.client_port}) {
    if (port == kDnsPort) return {Flavor::Dns, true};
    if (port == kMdnsPort) return {Flavor::Mdns, true};
    if (port == kLlmnrPort) return {Flavor::Llmnr, true};
  }
  return {};
}

// The NetBIOS name service (RFC 1002 4.2) uses this very layout: its names
// parse as DNS names, so its port is left to the NetBIOS dissector.
bool is_netbios_ns(const FlowInfo& flow) {
  return flow.server_port == kNetbiosNsPort || flow.client_port == kNetbiosNsPort;
}

// IN, CH, HS, NONE, ANY (RFC 1035 3.2.4, RFC 2136 2.4); mDNS uses the top bit
// as a flag (RFC 6762 5.4, 10.2).
bool known_class(std::uint16_t klass) {
  const std::uint16_t value = klass & 0x7fff;
  return value == 1 || value == 3 || value == 4 || value == 254 || value == 255;
}

// Opcodes QUERY, IQUERY, STATUS, NOTIFY, UPDATE (IANA "DNS OpCodes"); 5 is the
// least a question takes (root name, type, class), 11 a record.
bool plausible_header(const dns::Header& h, std::size_t size, bool strict) {
  if (h.opcode == 3 || h.opcode > 5) return false;
  const std::size_t records = std::size_t{h.ancount} + h.nscount + h.arcount;
  if (h.qdcount == 0 && (records == 0 || !h.response)) return false;  // an mDNS announcement
  const std::size_t body = size - dns::kHeaderSize;
  if (std::size_t{h.qdcount} * 5 > body) return false;
  return !strict || (records * 11 <= body && (h.response || h.rcode == 0));
}

bool first_item_parses(ByteReader r, const dns::Header& h) {
  if (h.qdcount > 0) {
    const auto question = dns::read_question(r);
    return question && known_class(question->klass);
  }
  const auto record = dns::read_record(r);
  return record && known_class(record->klass);
}

bool parses_exactly(ByteReader r, const dns::Header& h) {
  for (std::uint32_t i = 0; i < h.qdcount; ++i) {
    const auto question = dns::read_question(r);
    if (!question || !known_class(question->klass)) return false;
  }
  const std::uint32_t records = std::uint32_t{h.ancount} + h.nscount + h.arcount;
  for (std::uint32_t i = 0; i < records; ++i)
    if (!dns::read_record(r)) return false;
  return r.empty();
}

// `present` is the start of a message of `size` bytes (fewer over TCP while
// the probe window fills).
Match probe_message(Bytes present, std::size_t size, bool strict) {
  if (size < dns::kHeaderSize) return Match::No;
  const bool whole = present.size() >= size;
  ByteReader r(present.first(std::min(present.size(), size)));
  const auto header = dns::read_header(r);
  if (!header) return Match::Maybe;
  if (!plausible_header(*header, size, strict)) return Match::No;
  if (strict ? parses_exactly(r, *header) : first_item_parses(r, *header)) return Match::Yes;
  return whole ? Match::No : Match::Maybe;
}

Match probe_flavor(Flavor mine, const FlowInfo& flow, Bytes start) {
  const FlowFlavor flavor = flavor_of(flow);
  if (flavor.flavor != mine || (!flavor.well_known && is_netbios_ns(flow))) return Match::No;
  if (flow.transport == Transport::Udp) return probe_message(start, start.size(), !flavor.well_known);
  ByteReader r(start);
  const auto length = r.be16();
  if (!length) return Match::Maybe;
  return probe_message(r.rest(), *length, !flavor.well_known);
}

Match probe_dns(const FlowInfo& flow, Direction, Bytes start) {
  return probe_flavor(Flavor::Dns, flow, start);
}
Match probe_mdns(const FlowInfo& flow, Direction, Bytes start) {
  return probe_flavor(Flavor::Mdns, flow, start);
}
Match probe_llmnr(const FlowInfo& flow, Direction, Bytes start) {
  return probe_flavor(Flavor::Llmnr, flow, start);
}

std::string display_name(const std::string& raw) {
  return raw.empty() ? std::string(kRootName) : printable(raw);
}

// A domain name inside RDATA, `skip` bytes after its start.
std::optional<std::string> rdata_name(Bytes message, const dns::Record& record, std::size_t skip) {
  ByteReader r(message);
  if (skip >= record.rdata.size() || !r.seek(record.rdata_offset + skip)) return std::nullopt;
  const auto name = dns::read_name(r);
  if (!name) return std::nullopt;
  return display_name(*name);
}

// TXT RDATA (RFC 1035 3.3.14): character-strings, shown joined by spaces
// (DNS-SD puts one key=value in each, RFC 6763 6.3).
std::optional<std::string> txt_text(Bytes rdata) {
  ByteReader r(rdata);
  std::string text;
  while (!r.empty() && text.size() < AppInfo::kMaxText) {
    const auto length = r.u8();
    const auto chars = r.bytes(length.value_or(0));
    if (!chars) break;
    if (!text.empty()) text += ' ';
    text.append(chars->begin(), chars->end());
  }
  if (text.empty()) return std::nullopt;
  return printable(text);
}

std::optional<std::string> rdata_text(Bytes message, const dns::Record& record) {
  switch (record.type) {
    case dns::kTypeA:
      if (record.rdata.size() != 4) return std::nullopt;
      return core::IpAddress::v4_bytes(record.rdata).to_string();
    case dns::kTypeAaaa:
      if (record.rdata.size() != 16) return std::nullopt;
      return core::IpAddress::v6_bytes(record.rdata).to_string();
    case dns::kTypeCname:
    case dns::kTypePtr:
    case dns::kTypeNs:
    case dns::kTypeDname:
      return rdata_name(message, record, 0);
    case dns::kTypeMx:  // preference, exchange (RFC 1035 3.3.9)
      return rdata_name(message, record, 2);
    case dns::kTypeSrv:  // priority, weight, port, target (RFC 2782)
      return rdata_name(message, record, 6);
    case dns::kTypeTxt:
      return txt_text(record.rdata);
    default:
      return std::nullopt;
  }
}

bool same_name(std::string_view a, std::string_view b) {
  // DNS names compare case-insensitively, ASCII only (RFC 4343).
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

// A response's A/AAAA answers and the CNAMEs that lead to them, so that each
// address is reported under the name the client asked. Both lists are capped
// so that a crafted response cannot make the chain walk quadratic in its size.
class Bindings {
 public:
  void note(Bytes message, const dns::Record& record) {
    if ((record.klass & 0x7fff) != dns::kClassIn || record.owner.empty()) return;
    if (record.type == dns::kTypeCname && aliases_.size() < kMaxAliases) {
      ByteReader r(message);
      if (!r.seek(record.rdata_offset)) return;
      if (auto target = dns::read_name(r)) aliases_.push_back({record.owner, std::move(*target)});
    } else if (record.type == dns::kTypeA && record.rdata.size() == 4 &&
               addresses_.size() < kMaxAddresses) {
      addresses_.push_back({record.owner, core::IpAddress::v4_bytes(record.rdata)});
    } else if (record.type == dns::kTypeAaaa && record.rdata.size() == 16 &&
               addresses_.size() < kMaxAddresses) {
      addresses_.push_back({record.owner, core::IpAddress::v6_bytes(record.rdata)});
    }
  }

  void report(const Context& ctx) const {
    for (const Address& a : addresses_)
      ctx.names.learned_name(ctx.ts, a.address, printable(asked_name(a.owner)));
  }

 private:
  static constexpr std::size_t kMaxAliases = 64, kMaxAddresses = 256;
  static constexpr int kMaxChain = 16;
  struct Alias {
    std::string owner, target;
  };
  struct Address {
    std::string owner;
    core::IpAddress address;
  };

  // Walks the CNAME chain back from `owner` to its start (RFC 1034 3.6.2).
  const std::string& asked_name(const std::string& owner) const {
    const std::string* name = &owner;
    for (int hop = 0; hop < kMaxChain; ++hop) {
      const auto alias = std::find_if(aliases_.begin(), aliases_.end(),
                                      [&](const Alias& a) { return same_name(a.target, *name); });
      if (alias == aliases_.end()) break;
      name = &alias->owner;
    }
    return *name;
  }

  std::vector<Alias> aliases_;
  std::vector<Address> addresses_;
};

// One message: its questions always (queries and responses alike), the answer
// section of responses. Reading stops at the first item that does not parse;
// what came before it is kept.
void read_message(const Context& ctx, Bytes message) {
  ByteReader r(message);
  const auto header = dns::read_header(r);
  if (!header) return;
  if (header->response) ctx.out.dns_rcode = dns::rcode_name(header->rcode);
  for (std::uint32_t i = 0; i < header->qdcount; ++i) {
    const auto question = dns::read_question(r);
    if (!question) return;
    dns::add_query(ctx.out, {display_name(question->name), dns::type_name(question->type)});
  }
  if (!header->response) return;
  Bindings bindings;
  for (std::uint32_t i = 0; i < header->ancount; ++i) {
    const auto record = dns::read_record(r);
    if (!record) break;
    if (auto text = rdata_text(message, *record)) dns::add_answer(ctx.out, std::move(*text));
    bindings.note(message, *record);
  }
  bindings.report(ctx);
}

class DnsSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    if (ctx.flow.transport == Transport::Udp) {
      read_message(ctx, data);
      return Progress::More;  // every datagram may ask something new
    }
    feed_stream(ctx, streams_[ctx.dir == Direction::ToServer ? 0 : 1], data);
    return streams_[0].dead && streams_[1].dead ? Progress::Done : Progress::More;
  }

 private:
  struct Stream {
    std::vector<std::uint8_t> buffer;  // a split message, length prefix included
    bool dead = false;                 // framing lost: nothing more is read this way
  };
  // Keep a buffer's memory after a message only if it is this small.
  static constexpr std::size_t kKeptCapacity = 4096;

  // Whole messages inside `data` are read in place; a split one is gathered
  // in the stream's buffer, which the 16-bit length caps at 64 KiB + 2.
  static void feed_stream(const Context& ctx, Stream& s, Bytes data) {
    ByteReader in(data);
    while (!s.dead && !in.empty()) {
      if (s.buffer.empty()) {
        const auto length = in.peek_be16();
        if (length && in.remaining() >= 2u + *length) {
          in.skip(2);
          s.dead = !read_framed(ctx, *in.bytes(*length));
          continue;
        }
      }
      const auto length = ByteReader(s.buffer).peek_be16();
      const std::size_t want = length ? 2u + *length : 2u;
      const Bytes part = *in.bytes(std::min(want - s.buffer.size(), in.remaining()));
      s.buffer.insert(s.buffer.end(), part.begin(), part.end());
      if (s.buffer.size() < want) continue;
      if (length) {
        s.dead = !read_framed(ctx, Bytes(s.buffer).subspan(2));
        s.buffer.clear();
        if (s.buffer.capacity() > kKeptCapacity) std::vector<std::uint8_t>().swap(s.buffer);
      } else if (*ByteReader(s.buffer).peek_be16() < dns::kHeaderSize) {
        s.dead = true;  // no message is shorter than its header
      }
    }
  }

  // False when the message cannot be DNS: the stream's framing is lost
  // (a capture that began mid-message, or not DNS at all).
  static bool read_framed(const Context& ctx, Bytes message) {
    ByteReader r(message);
    const auto header = dns::read_header(r);
    if (!header || !plausible_header(*header, message.size(), false)) return false;
    read_message(ctx, message);
    return true;
  }

  std::array<Stream, 2> streams_;
};

std::unique_ptr<Session> make_session() {
  return std::make_unique<DnsSession>();
}

}  // namespace

extern const Dissector kDns{"DNS", kTcpUdp, {kDnsPort}, true, probe_dns, make_session};
extern const Dissector kMdns{"MDNS", kUdp, {kMdnsPort}, true, probe_mdns, make_session};
extern const Dissector kLlmnr{"LLMNR", kTcpUdp, {kLlmnrPort}, true, probe_llmnr, make_session};

}  // namespace wiretop::dpi
