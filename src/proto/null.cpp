// BSD loopback encapsulation: a 4-byte address family before the IP header.
// DLT_NULL stores it in the capturing host's byte order (in practice little
// endian today), DLT_LOOP (OpenBSD) in network byte order.

#include "proto/layers.h"

namespace wiretop::proto::detail {
namespace {

constexpr std::size_t kFamilyHeader = 4;
constexpr std::uint32_t kAfInet = 2;
// AF_INET6 differs per BSD: 24 NetBSD/OpenBSD, 28 FreeBSD, 30 macOS
// (see https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html).
constexpr std::uint32_t kAfInet6Bsd = 24, kAfInet6FreeBsd = 28, kAfInet6Darwin = 30;

}  // namespace

DecodeError decode_null(core::Bytes frame, bool big_endian, DecodedPacket& out) {
  core::ByteReader r(frame);
  const auto family = big_endian ? r.be32() : r.le32();
  if (!family) return DecodeError::TruncatedLink;
  switch (*family) {
    case kAfInet:
      return decode_ipv4(frame, kFamilyHeader, out);
    case kAfInet6Bsd:
    case kAfInet6FreeBsd:
    case kAfInet6Darwin:
      return decode_ipv6(frame, kFamilyHeader, out);
    default:
      return DecodeError::UnsupportedLink;
  }
}

}  // namespace wiretop::proto::detail
