// SMB over TCP (MS-SMB2 2.1, MS-CIFS 2.1): identification only. Every message
// rides in a NetBIOS session service message (RFC 1002 4.3.6: type 0x00 and
// a length; direct TCP on 445 uses the same 4 bytes, MS-SMB2 2.1) and starts
// with a protocol id: 0xFF "SMB" (SMB1), 0xFE "SMB" (SMB2/3) or 0xFD "SMB"
// (SMB3 transform header, encrypted). Other NetBIOS session traffic (session
// requests, keep-alives, anything without that id) is not SMB.
#include "dpi/dissector.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::uint8_t kSessionMessage = 0x00;
constexpr std::uint8_t kSmb1 = 0xff, kSmb2 = 0xfe, kSmb3Transform = 0xfd;
constexpr std::uint32_t kMaxLength = 0x00ffffff;  // 24 bits on 445 (MS-SMB2 2.1)
constexpr std::uint32_t kSmb1HeaderSize = 32, kSmb2HeaderSize = 64, kTransformHeaderSize = 52;

std::uint32_t header_size(std::uint8_t protocol) {
  return protocol == kSmb1 ? kSmb1HeaderSize : protocol == kSmb2 ? kSmb2HeaderSize : kTransformHeaderSize;
}

// Either direction: the first message of a connection (negotiate request or
// response; the server's when the capture missed the client's).
Match probe(const FlowInfo&, Direction, Bytes start) {
  ByteReader r(start);
  const auto type = r.peek_u8(0);
  const auto length = r.size() >= 4 ? ByteReader(start.subspan(1)).be24() : std::nullopt;
  const auto protocol = r.peek_u8(4);
  r.skip(5);
  if (type && *type != kSessionMessage) return Match::No;
  if (!length) return Match::Maybe;
  if (!protocol) return *length == 0 ? Match::No : Match::Maybe;
  if (*protocol != kSmb1 && *protocol != kSmb2 && *protocol != kSmb3Transform) return Match::No;
  if (*length < header_size(*protocol) || *length > kMaxLength) return Match::No;
  for (const char ch : {'S', 'M', 'B'}) {
    const auto byte = r.u8();
    if (!byte) return Match::Maybe;
    if (*byte != static_cast<std::uint8_t>(ch)) return Match::No;
  }
  if (*protocol != kSmb2) return Match::Yes;
  // SMB2 header StructureSize is always 64 (MS-SMB2 2.2.1).
  const auto structure_size = r.le16();
  if (!structure_size) return Match::Maybe;
  return *structure_size == kSmb2HeaderSize ? Match::Yes : Match::No;
}

}  // namespace

extern const Dissector kSmb{"SMB", kTcp, {445, 139}, false, probe, nullptr};

}  // namespace wiretop::dpi
