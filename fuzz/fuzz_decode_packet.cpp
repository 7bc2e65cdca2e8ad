// libFuzzer target for proto::decode_packet. The first byte picks the link
// type, the rest is the frame; the decoder must stay inside it.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "proto/decoded_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto link = static_cast<wiretop::proto::LinkType>(data[0] % 8);
  const wiretop::core::Bytes frame(data + 1, size - 1);
  wiretop::proto::DecodedPacket p;
  wiretop::proto::decode_packet(link, frame, p);
  if (std::size_t{p.payload_offset} + p.payload_length > frame.size()) std::abort();
  return 0;
}
