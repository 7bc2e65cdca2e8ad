#include "proto/decoded_packet.h"

namespace wiretop::proto {
std::string_view decode_error_name(DecodeError) { return "none"; }
DecodeError decode_packet(LinkType, core::Bytes, DecodedPacket& out) {
  out = DecodedPacket{};
  return DecodeError::UnsupportedLink;
}
}  // namespace wiretop::proto
