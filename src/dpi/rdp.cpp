// RDP (MS-RDPBCGR 2.2.1.1): identification only. A client opens with an
// X.224 Connection Request (ITU-T X.224 13.3) inside a TPKT (RFC 1006 6):
// TPKT version 3, reserved 0, length; length indicator, CR code 0xE0,
// destination reference 0, source reference, class 0; then the RDP-specific
// routing token or "Cookie: mstshash=..." line and/or an RDP Negotiation
// Request. The tail is what tells RDP from other TPKT users (ISO-TSAP/S7).
#include <algorithm>
#include <string_view>

#include "dpi/dissector.h"
#include "dpi/lines.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::uint8_t kTpktVersion = 3, kConnectionRequest = 0xe0;
constexpr std::size_t kCrSize = 11;       // TPKT header (4) + fixed CR TPDU (7)
constexpr std::uint8_t kNegRequest = 1;   // MS-RDPBCGR 2.2.1.1.1 rdpNegReq type
constexpr std::uint16_t kNegRequestLength = 8;
constexpr std::size_t kMaxRequest = 1024;  // a cookie or token line is short

// What follows the fixed TPDU (`size` bytes, of which `tail` holds those
// captured so far): an rdpNegReq, a cookie or token line (which may be
// followed by an rdpNegReq), or nothing at all.
Match request_tail(ByteReader tail, std::size_t size) {
  if (size == 0) return Match::Yes;
  if (tail.empty()) return Match::Maybe;
  bool partial = false;
  if (bytes_start_with(tail.rest(), "Cookie: ", partial)) return Match::Yes;
  if (partial) return Match::Maybe;
  const auto type = tail.peek_u8(0);
  const auto length = tail.peek_u8(2);
  const auto length_high = tail.peek_u8(3);
  if (!type || *type != kNegRequest) return Match::No;
  if (!length_high) return Match::Maybe;
  return (*length | (*length_high << 8)) == kNegRequestLength ? Match::Yes : Match::No;
}

// Fields read by offset, so a short prefix answers Maybe on what is there.
Match probe(const FlowInfo&, Direction dir, Bytes start) {
  if (dir != Direction::ToServer) return Match::No;
  const ByteReader r(start);
  const auto version = r.peek_u8(0);
  const auto reserved = r.peek_u8(1);
  const auto length = r.peek_be16(2);
  const auto indicator = r.peek_u8(4);
  const auto code = r.peek_u8(5);
  const auto destination = r.peek_be16(6);
  if ((version && *version != kTpktVersion) || (reserved && *reserved != 0)) return Match::No;
  if (length && (*length < kCrSize || *length > kMaxRequest)) return Match::No;
  if (indicator && *indicator != *length - 5) return Match::No;  // bytes after itself
  if (code && *code != kConnectionRequest) return Match::No;
  if (destination && *destination != 0) return Match::No;
  if (r.size() < kCrSize) return Match::Maybe;  // source reference, class option
  const std::size_t tail_size = *length - kCrSize;
  const Bytes tail = start.subspan(kCrSize);
  return request_tail(ByteReader(tail.first(std::min(tail_size, tail.size()))), tail_size);
}

}  // namespace

extern const Dissector kRdp{"RDP", kTcp, {3389}, false, probe, nullptr};

}  // namespace wiretop::dpi
