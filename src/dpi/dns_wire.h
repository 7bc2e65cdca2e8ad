#pragma once
// The DNS message format (RFC 1035 4.1) as DNS, mDNS (RFC 6762), LLMNR
// (RFC 4795) and the NetBIOS name service (RFC 1002 4.2, the same layout)
// share it: the header, questions, resource records, and domain names with
// compression pointers (RFC 1035 4.1.4). Every reader takes a ByteReader over
// the *whole* message (pointers are offsets from its start) positioned at the
// item to read, and advances it past the item only on success.

#include <cstdint>
#include <optional>
#include <string>

#include "core/byte_reader.h"
#include "dpi/app_info.h"

namespace wiretop::dpi::dns {

inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kMaxNameWire = 255;  // RFC 1035 2.3.4, on the wire
inline constexpr std::uint16_t kTypeA = 1, kTypeNs = 2, kTypeCname = 5, kTypePtr = 12,
                               kTypeMx = 15, kTypeTxt = 16, kTypeAaaa = 28, kTypeSrv = 33,
                               kTypeDname = 39, kTypeAny = 255;
inline constexpr std::uint16_t kClassIn = 1;

struct Header {
  std::uint16_t id = 0;
  bool response = false;  // QR
  std::uint8_t opcode = 0;
  std::uint8_t rcode = 0;
  std::uint16_t qdcount = 0, ancount = 0, nscount = 0, arcount = 0;
};

struct Question {
  std::string name;  // raw label bytes joined by '.', "" for the root
  std::uint16_t type = 0;
  std::uint16_t klass = 0;  // mDNS: the top bit is the unicast-response flag
};

struct Record {
  std::string owner;
  std::uint16_t type = 0;
  std::uint16_t klass = 0;  // mDNS: the top bit is the cache-flush flag
  std::uint32_t ttl = 0;
  std::size_t rdata_offset = 0;  // from the start of the message
  core::Bytes rdata;
};

std::optional<Header> read_header(core::ByteReader& message);

// Labels joined by '.', raw (they may hold '.' or any byte), no trailing dot,
// "" for the root. nullopt for a truncated name, a reserved label type, a
// name over 255 bytes, a chain of more than 128 pointers, or a pointer that
// does not point strictly before the labels it continues (so no loop can form).
std::optional<std::string> read_name(core::ByteReader& message);

std::optional<Question> read_question(core::ByteReader& message);
std::optional<Record> read_record(core::ByteReader& message);

// "A", "AAAA", ... (IANA "Resource Record (RR) TYPEs"), else "TYPE<n>" (RFC 3597 5).
std::string type_name(std::uint16_t type);
// "NOERROR", "NXDOMAIN", ... (IANA "DNS RCODEs", header values), else "RCODE<n>".
std::string rcode_name(std::uint8_t rcode);

// Appends to app.dns_queries unless present; once kMaxDnsQueries are kept,
// counts dns_queries_overflow instead.
void add_query(AppInfo& out, DnsQuery query);
// Appends to app.dns_answers unless present or kMaxDnsAnswers are kept.
void add_answer(AppInfo& out, std::string text);

}  // namespace wiretop::dpi::dns
