// STUN dissector: message type names and SOFTWARE from captured UDP and TCP
// messages (stun.pcap), RFC 4571 framing, ChannelData skipping, classic
// RFC 3489 on port 3478 only, split segments, truncation and garbage.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kStun;

namespace {

using testing::from_hex;
using testing::probe;
using testing::run_session;
using testing::tcp_flow;
using testing::udp_flow;
using Message = std::vector<std::uint8_t>;
using Strings = std::vector<std::string>;

// stun.pcap frames 16 and 18: a Binding request and its success response.
const Message kBindingRequest = from_hex("000100002112a44253486b6846386f6477677956");
const Message kBindingSuccess =
    from_hex("0101000c2112a44253486b6846386f64776779560020000800017d527c3d45a3");
// stun.pcap frame 199: Channel-Bind success; frame 200: TURN ChannelData.
const Message kChannelBindSuccess = from_hex(
    "010900202112a4424b646662645a3261665a386c0008001445b03978a21e9b7fe18b0443587f8dd2e1549d58"
    "802800049a711341");
const Message kChannelData = from_hex(
    "4001003081ca0006000007d30a913aecc5fbcac8d0aef604bef80b1b0dfc369ee379bbec8ee96d75fa0e2a2c0b"
    "3ecc1a80000001");
// stun.pcap, TCP to coturn: an Allocate request and the 401 error response
// with SOFTWARE "Coturn-4.5.0.5 'dan Eider'" (tshark: stun.att.software).
const Message kAllocate = from_hex("000300082112a442704d5356786253396b724e440019000411000000");
const Message kAllocateError = from_hex(
    "011300642112a442704d5356786253396b724e440009001000000401556e617574686f72697a6564001500106362"
    "63646363636637333533613731300014000d617070732d686f73742e636f6d6964658022001a436f7475726e2d34"
    "2e352e302e35202764616e2045696465722700048028000405f95fe9");
// stun.pcap, Microsoft Teams over TCP port 42000: RFC 4571 length, then STUN.
const Message kTeamsRequest = from_hex(
    "0068000100542112a442f3439453b698fb2950bb06ed000600092f7049303a546f4564000000002400046e6bfc"
    "ff80290008000000000004c2d18054000132000000807000040000000300080014fe92876ad46d7b797d42eb8d"
    "79a805faf31d72d1802800040200fc47");

AppInfo udp(const std::vector<std::pair<Direction, Message>>& datagrams, std::uint16_t port = 3478) {
  return run_session(kStun, udp_flow(port), datagrams);
}

TEST(Stun, CapturedBindingExchangeGivesBothTypes) {
  EXPECT_EQ(probe(kStun, udp_flow(3478), Direction::ToServer, kBindingRequest), Match::Yes);
  EXPECT_EQ(probe(kStun, udp_flow(3478), Direction::ToClient, kBindingSuccess), Match::Yes);
  const AppInfo out =
      udp({{Direction::ToServer, kBindingRequest}, {Direction::ToClient, kBindingSuccess}});
  EXPECT_EQ(out.stun_message_types, (Strings{"BINDING_REQUEST", "BINDING_SUCCESS_RESPONSE"}));
}

TEST(Stun, ContentIsEnoughOnAnyUdpPort) {
  EXPECT_EQ(probe(kStun, udp_flow(8801), Direction::ToServer, kBindingRequest), Match::Yes);
}

TEST(Stun, ChannelDataAndOtherDatagramsAreSkipped) {
  EXPECT_EQ(probe(kStun, udp_flow(3478), Direction::ToClient, kChannelData), Match::No);
  const AppInfo out = udp({{Direction::ToClient, kChannelBindSuccess},
                           {Direction::ToClient, kChannelData},
                           {Direction::ToServer, from_hex("16fefd000000000000000000")}});
  EXPECT_EQ(out.stun_message_types, (Strings{"CHANNEL_BIND_SUCCESS_RESPONSE"}));
}

TEST(Stun, TcpMessagesBackToBackGiveTypesAndSoftware) {
  EXPECT_EQ(probe(kStun, tcp_flow(3478), Direction::ToServer, kAllocate), Match::Yes);
  EXPECT_EQ(probe(kStun, tcp_flow(3478), Direction::ToClient, kAllocateError), Match::Yes);
  Message two = kAllocate;
  two.insert(two.end(), kAllocate.begin(), kAllocate.end());
  const AppInfo out = run_session(kStun, tcp_flow(3478),
                                  {{Direction::ToServer, two}, {Direction::ToClient, kAllocateError}});
  EXPECT_EQ(out.stun_message_types, (Strings{"ALLOCATE_REQUEST", "ALLOCATE_ERROR_RESPONSE"}));
  EXPECT_EQ(out.stun_software, "Coturn-4.5.0.5 'dan Eider'");
}

TEST(Stun, TcpMessageSplitAtEveryByteIsReassembled) {
  for (std::size_t at = 1; at < kAllocateError.size(); ++at) {
    const Message first(kAllocateError.begin(), kAllocateError.begin() + static_cast<long>(at));
    const Message second(kAllocateError.begin() + static_cast<long>(at), kAllocateError.end());
    const AppInfo out = run_session(kStun, tcp_flow(3478),
                                    {{Direction::ToClient, first}, {Direction::ToClient, second}});
    EXPECT_EQ(out.stun_software, "Coturn-4.5.0.5 'dan Eider'") << at;
  }
}

TEST(Stun, Rfc4571FramedTcpIsRecognisedOnAnyPort) {
  EXPECT_EQ(probe(kStun, tcp_flow(42000), Direction::ToServer, kTeamsRequest), Match::Yes);
  const AppInfo out =
      run_session(kStun, tcp_flow(42000), {{Direction::ToServer, kTeamsRequest},
                                           {Direction::ToServer, kTeamsRequest}});
  EXPECT_EQ(out.stun_message_types, (Strings{"BINDING_REQUEST"}));
}

TEST(Stun, ClassicStunCountsOnlyOnPort3478) {
  // RFC 3489 Binding request: no cookie, a 16-byte transaction id.
  const Message classic = from_hex("0001000800112233445566778899aabbccddeeff 0003000400000000");
  EXPECT_EQ(probe(kStun, udp_flow(3478), Direction::ToServer, classic), Match::Yes);
  EXPECT_EQ(probe(kStun, udp_flow(5000), Direction::ToServer, classic), Match::No);
  EXPECT_EQ(udp({{Direction::ToServer, classic}}).stun_message_types, (Strings{"BINDING_REQUEST"}));
  Message other_type = classic;
  other_type[1] = 0x03;  // Allocate did not exist in RFC 3489
  EXPECT_EQ(probe(kStun, udp_flow(3478), Direction::ToServer, other_type), Match::No);
}

TEST(Stun, UnknownMethodIsNamedByNumber) {
  // Google's GOOG-PING (method 0x080) request.
  const AppInfo out = udp({{Direction::ToServer, from_hex("020000002112a442000000000000000000000000")}});
  EXPECT_EQ(out.stun_message_types, (Strings{"METHOD_128_REQUEST"}));
}

TEST(Stun, BadLengthsAndTopBitsAreRejected) {
  const auto flow = udp_flow(3478);
  Message longer = kBindingSuccess;
  longer.insert(longer.end(), {0, 0, 0, 0});
  EXPECT_EQ(probe(kStun, flow, Direction::ToServer, longer), Match::No);
  Message top_bit = kBindingRequest;
  top_bit[0] = 0x80;
  EXPECT_EQ(probe(kStun, flow, Direction::ToServer, top_bit), Match::No);
  Message bad_attr = kBindingSuccess;
  bad_attr[23] = 0x0c;  // attribute longer than the message
  EXPECT_EQ(probe(kStun, flow, Direction::ToServer, bad_attr), Match::No);
}

TEST(Stun, EveryTruncationIsRejectedOrWaits) {
  for (std::size_t size = 0; size < kAllocateError.size(); ++size) {
    const Message cut(kAllocateError.begin(), kAllocateError.begin() + static_cast<long>(size));
    EXPECT_EQ(probe(kStun, udp_flow(3478), Direction::ToClient, cut), Match::No) << size;
    EXPECT_TRUE(udp({{Direction::ToClient, cut}}).stun_message_types.empty()) << size;
    const Match tcp = probe(kStun, tcp_flow(3478), Direction::ToClient, cut);
    EXPECT_EQ(tcp, size < 8 ? Match::Maybe : Match::Yes) << size;
    const AppInfo out = run_session(kStun, tcp_flow(3478), {{Direction::ToClient, cut}});
    EXPECT_TRUE(out.stun_message_types.empty() && out.stun_software.empty()) << size;
  }
}

TEST(Stun, GarbageIsRejectedAndNeverCrashes) {
  std::uint32_t x = 3;
  for (int i = 0; i < 1000; ++i) {
    Message g;
    for (int j = 0; j < 12 + i % 300; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    EXPECT_EQ(probe(kStun, udp_flow(3478), Direction::ToServer, g), Match::No) << i;
    EXPECT_EQ(probe(kStun, tcp_flow(3478), Direction::ToServer, g), Match::No) << i;
    // A valid first message, then garbage: the stream stops being read.
    Message stream = kAllocate;
    stream.insert(stream.end(), g.begin(), g.end());
    const AppInfo out = run_session(kStun, tcp_flow(3478), {{Direction::ToServer, stream}});
    EXPECT_LE(out.stun_message_types.size(), AppInfo::kMaxListItems);
  }
}

}  // namespace
}  // namespace wiretop::dpi
