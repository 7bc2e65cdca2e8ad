#pragma once
// Drives a flow::Tracker with real frames: built by PacketBuilder, decoded by
// proto::decode_packet, timestamped on a test packet clock.

#include <gtest/gtest.h>

#include <vector>

#include "flow/tracker.h"
#include "proto/decoded_packet.h"
#include "support/packet_builder.h"

namespace wiretop::flow::test {

using testing::PacketBuilder;
namespace tf = proto::tcp_flag;

struct Ended {
  Connection conn;
  EndReason reason;
};

class TrackerTest : public ::testing::Test {
 protected:
  void make_tracker(TrackerConfig cfg = {}) {
    tracker_ = std::make_unique<Tracker>(cfg, [this](const Connection& c, EndReason r) {
      ended_.push_back({c, r});
    });
  }
  void SetUp() override { make_tracker(); }

  // Feeds one Ethernet frame at `t_ms` milliseconds on the packet clock.
  void feed(const std::vector<std::uint8_t>& frame, std::int64_t t_ms) {
    proto::DecodedPacket p;
    ASSERT_EQ(proto::decode_packet(proto::LinkType::Ethernet, frame, p), proto::DecodeError::None);
    tracker_->process(p, core::Timestamp{kBase + t_ms * 1000}, static_cast<std::uint32_t>(frame.size()));
  }
  static std::vector<std::uint8_t> tcp4(const char* src, std::uint16_t sport, const char* dst,
                                        std::uint16_t dport, std::uint8_t flags, std::uint32_t seq,
                                        std::uint32_t ack, std::size_t payload = 0) {
    return PacketBuilder()
        .ethernet()
        .ipv4(src, dst)
        .tcp(sport, dport, flags, seq, ack)
        .payload(std::string(payload, 'x'))
        .build();
  }
  static std::vector<std::uint8_t> udp4(const char* src, std::uint16_t sport, const char* dst,
                                        std::uint16_t dport, std::size_t payload = 10) {
    return PacketBuilder().ethernet().ipv4(src, dst).udp(sport, dport).payload(std::string(payload, 'u')).build();
  }
  // Everything still open ends now; returns the records in end order.
  std::vector<Ended>& flush() {
    tracker_->flush(EndReason::EndOfInput);
    return ended_;
  }

  static constexpr std::int64_t kBase = 1'700'000'000'000'000;  // 2023-11-14
  std::unique_ptr<Tracker> tracker_;
  std::vector<Ended> ended_;
};

}  // namespace wiretop::flow::test
