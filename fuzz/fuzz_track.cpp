// libFuzzer target for the tracker: a sequence of frames (2-byte length
// prefixes, Ethernet) with advancing timestamps, through decode and track.
// Exercises the state machine, fragment and ICMP matching, expiry and eviction.

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "flow/tracker.h"
#include "proto/decoded_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wiretop::flow::TrackerConfig cfg;
  cfg.max_flows = 8;  // small, so eviction runs too
  std::uint64_t ended = 0;
  wiretop::flow::Tracker tracker(cfg, [&](const wiretop::flow::Connection&, wiretop::flow::EndReason) { ++ended; });
  std::int64_t usec = 1'700'000'000'000'000;
  std::size_t pos = 0;
  wiretop::proto::DecodedPacket p;
  while (pos + 3 <= size) {
    const std::size_t len = (std::size_t{data[pos]} << 8 | data[pos + 1]) % 1600;
    usec += std::int64_t{data[pos + 2]} * 250'000;  // up to ~64 s between packets
    pos += 3;
    const std::size_t n = len < size - pos ? len : size - pos;
    const wiretop::core::Bytes frame(data + pos, n);
    pos += n;
    if (wiretop::proto::decode_packet(wiretop::proto::LinkType::Ethernet, frame, p) ==
        wiretop::proto::DecodeError::None) {
      tracker.process(p, wiretop::core::Timestamp{usec}, static_cast<std::uint32_t>(n));
    }
  }
  tracker.flush(wiretop::flow::EndReason::EndOfInput);
  if (tracker.size() != 0) std::abort();  // flush must end every record
  return 0;
}
