// BitTorrent dissector: info hash from the captured peer handshake
// (bittorrent.pcap; nDPI's "BT Hash"), split segments, uTP SYN and data
// packets, DHT KRPC messages, truncation and look-alikes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kBittorrent;

namespace {

using testing::from_hex;
using testing::from_text;
using testing::probe;
using testing::run_session;
using testing::tcp_flow;
using testing::udp_flow;
using Message = std::vector<std::uint8_t>;

// bittorrent.pcap, stream 0 (uTorrent 1.8.6 peer id "-UM1860-").
const Message kHandshake = from_hex(
    "13426974546f7272656e742070726f746f636f6c0000000000100005dcfcdccfb9e670ccc3dd40c78c161f2bea"
    "2431262d554d313836302d418e181ac9ba17987152663e");
constexpr const char* kHash = "dcfcdccfb9e670ccc3dd40c78c161f2bea243126";

Message concat(const Message& a, const Message& b) {
  Message out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

TEST(Bittorrent, CapturedHandshakeGivesInfoHashOnAnyPort) {
  EXPECT_EQ(probe(kBittorrent, tcp_flow(38305), Direction::ToServer, kHandshake), Match::Yes);
  const AppInfo out = run_session(kBittorrent, tcp_flow(38305), {{Direction::ToServer, kHandshake}});
  EXPECT_EQ(out.bittorrent_info_hash, kHash);
}

TEST(Bittorrent, HandshakeSplitAtEveryByteIsReassembled) {
  for (std::size_t at = 1; at < kHandshake.size(); ++at) {
    const Message first(kHandshake.begin(), kHandshake.begin() + static_cast<long>(at));
    const Message second(kHandshake.begin() + static_cast<long>(at), kHandshake.end());
    const AppInfo out = run_session(kBittorrent, tcp_flow(6881),
                                    {{Direction::ToServer, first}, {Direction::ToServer, second}});
    EXPECT_EQ(out.bittorrent_info_hash, kHash) << at;
  }
}

TEST(Bittorrent, ServerHandshakeAlsoCounts) {
  const AppInfo out = run_session(
      kBittorrent, tcp_flow(6881),
      {{Direction::ToServer, from_hex("00000000")}, {Direction::ToClient, kHandshake}});
  EXPECT_EQ(out.bittorrent_info_hash, kHash);
}

TEST(Bittorrent, TruncatedHandshakeWaitsAndGivesNoHash) {
  for (std::size_t size = 0; size < 48; ++size) {
    const Message cut(kHandshake.begin(), kHandshake.begin() + static_cast<long>(size));
    EXPECT_EQ(probe(kBittorrent, tcp_flow(6881), Direction::ToServer, cut),
              size < 20 ? Match::Maybe : Match::Yes)
        << size;
    EXPECT_EQ(run_session(kBittorrent, tcp_flow(6881), {{Direction::ToServer, cut}}).bittorrent_info_hash,
              "")
        << size;
  }
}

TEST(Bittorrent, LookAlikesAreRejected) {
  const auto tcp = tcp_flow(6881);
  EXPECT_EQ(probe(kBittorrent, tcp, Direction::ToServer, from_text("\x13" "BitTorrent protocoX")),
            Match::No);
  EXPECT_EQ(probe(kBittorrent, tcp, Direction::ToServer, from_text("GET /announce?info_hash=")),
            Match::No);
  Message tcp_bytes_over_udp = kHandshake;
  EXPECT_EQ(probe(kBittorrent, udp_flow(6881), Direction::ToServer, tcp_bytes_over_udp), Match::No);
}

// uTP (BEP 29): ST_SYN, then ST_DATA carrying the same handshake.
const Message kUtpSyn = from_hex("41001a2b 00112233 00000000 00100000 0001 0000");
const Message kUtpData = concat(from_hex("01001a2c 00112244 00000100 00100000 0002 0001"), kHandshake);

TEST(Bittorrent, UtpSynAndDataPacketAreRecognisedAndGiveTheHash) {
  EXPECT_EQ(probe(kBittorrent, udp_flow(51413), Direction::ToServer, kUtpSyn), Match::Yes);
  EXPECT_EQ(probe(kBittorrent, udp_flow(51413), Direction::ToServer, kUtpData), Match::Yes);
  const AppInfo out = run_session(kBittorrent, udp_flow(51413),
                                  {{Direction::ToServer, kUtpSyn}, {Direction::ToServer, kUtpData}});
  EXPECT_EQ(out.bittorrent_info_hash, kHash);
  Message late_syn = kUtpSyn;
  late_syn[11] = 1;  // a timestamp difference: not a connection's first packet
  EXPECT_EQ(probe(kBittorrent, udp_flow(51413), Direction::ToServer, late_syn), Match::No);
  Message with_payload = kUtpSyn;
  with_payload.push_back(0);
  EXPECT_EQ(probe(kBittorrent, udp_flow(51413), Direction::ToServer, with_payload), Match::No);
}

TEST(Bittorrent, DhtQueriesAndResponsesAreRecognised) {
  const auto flow = udp_flow(6881);
  // BEP 5's examples.
  const Message ping = from_text("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe");
  const Message pong = from_text("d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re");
  const Message error = from_text("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee");
  for (const Message* m : {&ping, &pong, &error})
    EXPECT_EQ(probe(kBittorrent, flow, Direction::ToServer, *m), Match::Yes);
  EXPECT_EQ(run_session(kBittorrent, flow, {{Direction::ToServer, ping}}).bittorrent_info_hash, "");
  EXPECT_EQ(probe(kBittorrent, flow, Direction::ToServer,
                  from_text("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aae")),
            Match::No);
  EXPECT_EQ(probe(kBittorrent, flow, Direction::ToServer, from_text("d1:ad")), Match::No);
}

TEST(Bittorrent, GarbageIsRejected) {
  std::uint32_t x = 17;
  for (int i = 0; i < 1000; ++i) {
    Message g;
    for (int j = 0; j < 1 + i % 200; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    EXPECT_NE(probe(kBittorrent, tcp_flow(6881), Direction::ToServer, g), Match::Yes) << i;
    EXPECT_EQ(probe(kBittorrent, udp_flow(6881), Direction::ToServer, g), Match::No) << i;
    run_session(kBittorrent, udp_flow(6881), {{Direction::ToServer, g}});
    run_session(kBittorrent, tcp_flow(6881), {{Direction::ToServer, g}});
  }
}

}  // namespace
}  // namespace wiretop::dpi
