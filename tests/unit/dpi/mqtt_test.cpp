// MQTT dissector: client id and user-name flag from captured CONNECTs
// (mqtt.pcap: 3.1 "MQIsdp" and 3.1.1), a hand-built 5.0 CONNECT with
// properties, split segments, truncation and other protocols' first bytes.
#include <gtest/gtest.h>

#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kMqtt;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::run_session;
using testing::tcp_flow;
using Message = std::vector<std::uint8_t>;

// mqtt.pcap, first flow: MQTT 3.1 CONNECT, user name and password flags set.
const Message kMqIsdp = from_hex(
    "104000064d514973647003c20014001663626161626362616261636262626262616161616162000c303244353035"
    "303232334433000c303244353035303232334433");
// mqtt.pcap, Azure IoT flow: MQTT 3.1.1 CONNECT, cut after the client id and
// the start of the user name (the rest is a password, not needed).
const Message kAzure = from_hex(
    "109a0200044d51545404c00258001050343737373549443137305732313230004a696f74617a");
// MQTT 5.0: level 5, clean start, keep alive 60, properties (session expiry
// 0x11 = 10), client id "sensor-1".
const Message kV5 = from_hex("101a00044d5154540502003c05110000000a000873656e736f722d31");

AppInfo mqtt(const std::vector<std::pair<Direction, Message>>& chunks) {
  return run_session(kMqtt, tcp_flow(1883), chunks);
}

TEST(Mqtt, CapturedV31ConnectGivesClientIdAndUserName) {
  EXPECT_EQ(probe(kMqtt, tcp_flow(1883), Direction::ToServer, kMqIsdp), Match::Yes);
  const AppInfo out = mqtt({{Direction::ToServer, kMqIsdp}});
  EXPECT_EQ(out.mqtt_client_id, "cbaabcbabacbbbbbaaaaab");
  EXPECT_TRUE(out.mqtt_username_present);
}

TEST(Mqtt, CapturedV311ConnectWithTwoByteRemainingLength) {
  EXPECT_EQ(probe(kMqtt, tcp_flow(8883), Direction::ToServer, kAzure), Match::Yes);
  const AppInfo out = mqtt({{Direction::ToServer, kAzure}});
  EXPECT_EQ(out.mqtt_client_id, "P47775ID170W2120");
  EXPECT_TRUE(out.mqtt_username_present);
}

TEST(Mqtt, V5PropertiesAreSkipped) {
  EXPECT_EQ(probe(kMqtt, tcp_flow(1883), Direction::ToServer, kV5), Match::Yes);
  const AppInfo out = mqtt({{Direction::ToServer, kV5}});
  EXPECT_EQ(out.mqtt_client_id, "sensor-1");
  EXPECT_FALSE(out.mqtt_username_present);
}

TEST(Mqtt, ConnectSplitAtEveryByteIsReassembledAndServerBytesIgnored) {
  for (std::size_t at = 1; at < kMqIsdp.size(); ++at) {
    const Message first(kMqIsdp.begin(), kMqIsdp.begin() + static_cast<long>(at));
    const Message second(kMqIsdp.begin() + static_cast<long>(at), kMqIsdp.end());
    const AppInfo out = mqtt({{Direction::ToServer, first},
                              {Direction::ToClient, from_hex("20020000")},
                              {Direction::ToServer, second}});
    EXPECT_EQ(out.mqtt_client_id, "cbaabcbabacbbbbbaaaaab") << at;
  }
}

TEST(Mqtt, TruncatedConnectWaitsThenGivesNothing) {
  for (std::size_t size = 0; size < kV5.size(); ++size) {
    const Message cut(kV5.begin(), kV5.begin() + static_cast<long>(size));
    const Match m = probe(kMqtt, tcp_flow(1883), Direction::ToServer, cut);
    EXPECT_EQ(m, size < 9 ? Match::Maybe : Match::Yes) << size;
    EXPECT_EQ(mqtt({{Direction::ToServer, cut}}).mqtt_client_id, "") << size;
  }
}

TEST(Mqtt, OtherPacketsNamesAndLevelsAreRejected) {
  const auto flow = tcp_flow(1883);
  EXPECT_EQ(probe(kMqtt, flow, Direction::ToClient, from_hex("20020000")), Match::No);
  EXPECT_EQ(probe(kMqtt, flow, Direction::ToClient, kMqIsdp), Match::No);
  Message flags = kV5;
  flags[0] = 0x12;  // CONNECT's fixed-header flags must be 0
  EXPECT_EQ(probe(kMqtt, flow, Direction::ToServer, flags), Match::No);
  Message level = kV5;
  level[8] = 3;  // level 3 belongs to "MQIsdp"
  EXPECT_EQ(probe(kMqtt, flow, Direction::ToServer, level), Match::No);
  Message name = kV5;
  name[5] = 'X';
  EXPECT_EQ(probe(kMqtt, flow, Direction::ToServer, name), Match::No);
  EXPECT_EQ(probe(kMqtt, flow, Direction::ToServer, from_hex("10ffffffff7f")), Match::No);
  EXPECT_EQ(probe(kMqtt, flow, Direction::ToServer, from_text("GET / HTTP/1.1\r\n")), Match::No);
  Message reserved = kV5;
  reserved[9] |= 1;
  EXPECT_EQ(mqtt({{Direction::ToServer, reserved}}).mqtt_client_id, "");
}

TEST(Mqtt, GarbageIsRejected) {
  std::uint32_t x = 11;
  for (int i = 0; i < 500; ++i) {
    Message g;
    for (int j = 0; j < 1 + i; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    g[0] = i % 2 ? 0x10 : g[0];
    EXPECT_NE(probe(kMqtt, tcp_flow(1883), Direction::ToServer, g), Match::Yes) << i;
    mqtt({{Direction::ToServer, g}});
  }
}

}  // namespace
}  // namespace wiretop::dpi
