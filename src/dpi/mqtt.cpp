// MQTT 3.1 (IBM's "MQIsdp"), 3.1.1 (OASIS, section 3.1) and 5.0 (OASIS,
// section 3.1): the client's CONNECT packet, the first thing on the
// connection, gives the client identifier and whether a user name follows.
#include <optional>
#include <string_view>
#include <vector>

#include "dpi/dissector.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::ByteReader;
using core::Bytes;

constexpr std::uint8_t kConnect = 0x10;  // packet type 1, flags 0 (MQTT 3.1.1 2.2.2)
constexpr std::uint8_t kLevel31 = 3, kLevel311 = 4, kLevel5 = 5;
constexpr std::uint8_t kUserNameFlag = 0x80, kReservedFlag = 0x01;  // 3.1.1 3.1.2.3
// The client identifier comes before the will, user name and password; a
// CONNECT whose identifier is not within this many bytes is given up on.
constexpr std::size_t kMaxBuffered = 4096;

// Variable Byte Integer (MQTT 5.0 1.5.5, "remaining length" in 3.1.1 2.2.3):
// 7 bits per byte, at most 4 bytes. `partial` when the bytes end inside it.
std::optional<std::uint32_t> varint(ByteReader& r, bool& partial) {
  std::uint32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    const auto byte = r.u8();
    if (!byte) {
      partial = true;
      return std::nullopt;
    }
    value |= std::uint32_t{*byte & 0x7fu} << (7 * i);
    if (!(*byte & 0x80)) return value;
  }
  return std::nullopt;  // a fifth byte: malformed
}

// A string with a 2-byte length (MQTT 3.1.1 1.5.3).
std::optional<Bytes> mqtt_string(ByteReader& r) {
  const auto length = r.be16();
  if (!length) return std::nullopt;
  return r.bytes(*length);
}

struct Connect {
  Bytes client_id;
  bool user_name = false;
};

enum class Parse : std::uint8_t { Bad, Partial, Done };

// The fixed header and protocol name/level of a CONNECT: what the probe
// checks. Leaves `r` after the level.
Parse connect_start(ByteReader& r, std::uint8_t& level) {
  bool partial = false;
  const auto type = r.u8();
  if (!type) return Parse::Partial;
  if (*type != kConnect) return Parse::Bad;
  const auto remaining = varint(r, partial);
  if (!remaining) return partial ? Parse::Partial : Parse::Bad;
  if (*remaining < 10) return Parse::Bad;  // name, level, flags, keep alive, client id length
  const auto name_length = r.be16();
  if (!name_length) return Parse::Partial;
  const std::string_view expected = *name_length == 4 ? "MQTT" : *name_length == 6 ? "MQIsdp" : "";
  if (expected.empty()) return Parse::Bad;
  for (const char ch : expected) {
    const auto byte = r.u8();
    if (!byte) return Parse::Partial;
    if (*byte != static_cast<std::uint8_t>(ch)) return Parse::Bad;
  }
  const auto lvl = r.u8();
  if (!lvl) return Parse::Partial;
  level = *lvl;
  const bool known = expected == "MQIsdp" ? level == kLevel31 : (level == kLevel311 || level == kLevel5);
  return known ? Parse::Done : Parse::Bad;
}

// The whole CONNECT up to the client identifier (3.1.1 3.1.3.1, 5.0
// 3.1.2.11 for the properties before it).
Parse read_connect(Bytes stream, Connect& out) {
  ByteReader r(stream);
  std::uint8_t level = 0;
  const Parse start = connect_start(r, level);
  if (start != Parse::Done) return start;
  const auto flags = r.u8();
  if (!flags) return Parse::Partial;
  if (*flags & kReservedFlag) return Parse::Bad;
  if (!r.skip(2)) return Parse::Partial;  // keep alive
  if (level == kLevel5) {
    bool partial = false;
    const auto properties = varint(r, partial);
    if (!properties) return partial ? Parse::Partial : Parse::Bad;
    if (!r.skip(*properties)) return Parse::Partial;
  }
  const auto client_id = mqtt_string(r);
  if (!client_id) return Parse::Partial;
  out.client_id = *client_id;
  out.user_name = (*flags & kUserNameFlag) != 0;
  return Parse::Done;
}

// Reads the client's CONNECT, buffered across segments; the server's side
// (CONNACK, then publishes) says nothing more.
class MqttSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    if (ctx.dir != Direction::ToServer) return Progress::More;
    const std::size_t room = kMaxBuffered - buffer_.size();
    buffer_.insert(buffer_.end(), data.begin(), data.begin() + static_cast<long>(std::min(room, data.size())));
    Connect connect;
    const Parse parse = read_connect(buffer_, connect);
    if (parse == Parse::Partial && buffer_.size() < kMaxBuffered) return Progress::More;
    if (parse == Parse::Done) {
      ctx.out.mqtt_client_id = printable(connect.client_id);
      ctx.out.mqtt_username_present = connect.user_name;
    }
    return Progress::Done;
  }

 private:
  std::vector<std::uint8_t> buffer_;
};

// The client's first bytes: a CONNECT with a known protocol name and level.
Match probe(const FlowInfo&, Direction dir, Bytes start) {
  if (dir != Direction::ToServer) return Match::No;
  ByteReader r(start);
  std::uint8_t level = 0;
  switch (connect_start(r, level)) {
    case Parse::Done: return Match::Yes;
    case Parse::Partial: return Match::Maybe;
    case Parse::Bad: return Match::No;
  }
  return Match::No;
}

std::unique_ptr<Session> make_session() { return std::make_unique<MqttSession>(); }

}  // namespace

extern const Dissector kMqtt{"MQTT", kTcp, {1883}, false, probe, make_session};

}  // namespace wiretop::dpi
