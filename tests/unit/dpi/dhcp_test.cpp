// DHCP and DHCPv6 dissectors: probe and session on real and hand-built
// messages, every truncation, garbage and other protocols' datagrams.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kDhcp;
extern const Dissector kDhcpv6;

namespace {

using testing::from_hex;
using testing::probe;
using testing::run_session;
using testing::udp_flow;
using Message = std::vector<std::uint8_t>;

// A BOOTP message: the first 44 bytes (op .. chaddr's start) as hex, zeros up
// to the magic cookie at 236 (rest of chaddr, sname, file), then the options.
Message bootp(std::string_view head_hex, std::string_view options_hex,
              std::string_view cookie_hex = "63825363") {
  Message m = from_hex(head_hex);
  m.resize(236, 0);
  for (std::string_view hex : {cookie_hex, options_hex}) {
    const Message part = from_hex(hex);
    m.insert(m.end(), part.begin(), part.end());
  }
  return m;
}

// whatsapp_login_chat.pcap frame 79: a macOS DISCOVER (tshark: Lucas-iMac).
const Message kMacDiscover = bootp(
    "01010600b6332e0e0000000000000000000000000000000000000000d8306256001c",
    "350101 37090103060f775ffc2c2e 390205dc 3d0701d8306256001c 33040076a700"
    "0c0a4c756361732d694d6163 ff 0000000000000000000000000000");

// The server's OFFER for it (hand-built: message type 2, server id, lease).
const Message kOffer = bootp(
    "02010600b6332e0e0000000000000000c0a8000a0000000000000000d8306256001c",
    "350102 3604c0a80001 330400000e10 ff");

// dhcp-fuzz.pcapng frame 1 (fuzzed by nDPI): message type 106 and an option
// 60 whose length overruns the datagram.
const Message kFuzzed = from_hex(
    "01010600c979b96000000000c0a80168000000000000000000000000001f29da2d790000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000d70000000000005300000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000650000000000000000000063825363"
    "35016a3d0701001f29da2d790c074d4b30333836323c314d53465420352e30370c010f03062c2e2f1f21f92bfc2b03dc"
    "0100ff000000002500000000");

AppInfo dhcp(const std::vector<Message>& datagrams) {
  std::vector<std::pair<Direction, Message>> chunks;
  for (const Message& m : datagrams) chunks.emplace_back(Direction::ToServer, m);
  return run_session(kDhcp, udp_flow(67, 68), chunks);
}

Message garbage(std::size_t size, std::uint32_t seed) {
  Message bytes;
  for (std::size_t i = 0; i < size; ++i) {
    seed = seed * 1103515245 + 12345;
    bytes.push_back(static_cast<std::uint8_t>(seed >> 16));
  }
  return bytes;
}

TEST(Dhcp, CapturedDiscoverGivesTypeAndHostName) {
  EXPECT_EQ(probe(kDhcp, udp_flow(67, 68), Direction::ToServer, kMacDiscover), Match::Yes);
  const AppInfo out = dhcp({kMacDiscover});
  EXPECT_EQ(out.dhcp_message_types, (std::vector<std::string>{"DISCOVER"}));
  EXPECT_EQ(out.dhcp_hostname, "Lucas-iMac");
  EXPECT_EQ(out.dhcp_vendor_class, "");
}

TEST(Dhcp, TypesAccumulateDistinctOverTheFlow) {
  const AppInfo out = dhcp({kMacDiscover, kOffer, kMacDiscover});
  EXPECT_EQ(out.dhcp_message_types, (std::vector<std::string>{"DISCOVER", "OFFER"}));
}

TEST(Dhcp, VendorClassIsRead) {
  const AppInfo out = dhcp({bootp("0101060000000001", "350103 3c084d53465420352e30 ff")});
  EXPECT_EQ(out.dhcp_message_types, (std::vector<std::string>{"REQUEST"}));
  EXPECT_EQ(out.dhcp_vendor_class, "MSFT 5.0");
}

TEST(Dhcp, FuzzedCaptureKeepsOptionsBeforeTheOverrun) {
  EXPECT_EQ(probe(kDhcp, udp_flow(67, 68), Direction::ToServer, kFuzzed), Match::Yes);
  const AppInfo out = dhcp({kFuzzed});
  EXPECT_EQ(out.dhcp_message_types, (std::vector<std::string>{"TYPE106"}));
  EXPECT_EQ(out.dhcp_hostname, "MK03862");
  EXPECT_EQ(out.dhcp_vendor_class, "");
}

TEST(Dhcp, OverloadedFileFieldIsRead) {
  // Option 52 = 1: more options in the file field (offset 108).
  Message m = bootp("0101060000000001", "350101 340101 ff");
  const Message file_options = from_hex("0c036a6f65 ff");
  std::copy(file_options.begin(), file_options.end(), m.begin() + 108);
  EXPECT_EQ(dhcp({m}).dhcp_hostname, "joe");
}

TEST(Dhcp, NonPrintableHostNameIsMasked) {
  EXPECT_EQ(dhcp({bootp("0101060000000001", "0c03610a62 ff")}).dhcp_hostname, "a?b");
}

TEST(Dhcp, PlainBootpAndWrongOpAreNotDhcp) {
  const auto flow = udp_flow(67, 68);
  EXPECT_EQ(probe(kDhcp, flow, Direction::ToServer, bootp("01010600", "ff", "00000000")), Match::No);
  EXPECT_EQ(probe(kDhcp, flow, Direction::ToServer, bootp("03010600", "350101ff")), Match::No);
  EXPECT_EQ(probe(kDhcp, flow, Direction::ToServer, bootp("01011100", "350101ff")), Match::No);
  EXPECT_TRUE(dhcp({bootp("01010600", "350101ff", "00000000")}).dhcp_message_types.empty());
}

TEST(Dhcp, EveryTruncationIsSafe) {
  for (std::size_t size = 0; size < kMacDiscover.size(); ++size) {
    const Message cut(kMacDiscover.begin(), kMacDiscover.begin() + static_cast<long>(size));
    const Match m = probe(kDhcp, udp_flow(67, 68), Direction::ToServer, cut);
    EXPECT_EQ(m, size >= 240 ? Match::Yes : Match::No) << size;
    const AppInfo out = dhcp({cut});
    if (size < 240) {
      EXPECT_TRUE(out.dhcp_message_types.empty()) << size;
    }
    if (size < kMacDiscover.size() - 15) {
      EXPECT_EQ(out.dhcp_hostname, "") << size;
    }
  }
}

TEST(Dhcp, GarbageIsRejectedAndNeverCrashes) {
  for (std::uint32_t seed = 1; seed < 200; ++seed) {
    const Message g = garbage(seed * 3, seed);
    EXPECT_EQ(probe(kDhcp, udp_flow(67, 68), Direction::ToServer, g), Match::No);
    // Garbage options behind a valid header: whatever is read stays bounded.
    Message m = bootp("0101060000000001", "");
    m.insert(m.end(), g.begin(), g.end());
    const AppInfo out = dhcp({m});
    EXPECT_LE(out.dhcp_message_types.size(), AppInfo::kMaxListItems);
  }
}

// DHCPv6 (RFC 8415): hand-built from the RFC's layouts.
// SOLICIT, xid 0x123456: client id (DUID-LL), elapsed time, vendor class
// (enterprise 311, "MSFT 5.0"), client FQDN "host.example" (RFC 4704).
const Message kSolicit = from_hex(
    "01123456"
    "0001000a00030001001122334455"
    "000800020000"
    "0010000e00000137 0008 4d53465420352e30"
    "0027000f00 04686f7374 076578616d706c65 00");
const Message kAdvertise = from_hex(
    "02123456 0001000a00030001001122334455 0002000a00030001aabbccddeeff");

AppInfo dhcpv6(const std::vector<Message>& datagrams) {
  std::vector<std::pair<Direction, Message>> chunks;
  for (const Message& m : datagrams) chunks.emplace_back(Direction::ToServer, m);
  return run_session(kDhcpv6, udp_flow(547, 546), chunks);
}

TEST(Dhcpv6, SolicitAndAdvertiseGiveTypesVendorClassAndFqdn) {
  EXPECT_EQ(probe(kDhcpv6, udp_flow(547, 546), Direction::ToServer, kSolicit), Match::Yes);
  EXPECT_EQ(probe(kDhcpv6, udp_flow(547, 546), Direction::ToClient, kAdvertise), Match::Yes);
  const AppInfo out = dhcpv6({kSolicit, kAdvertise});
  EXPECT_EQ(out.dhcp_message_types, (std::vector<std::string>{"SOLICIT", "ADVERTISE"}));
  EXPECT_EQ(out.dhcp_vendor_class, "MSFT 5.0");
  EXPECT_EQ(out.dhcp_hostname, "host.example");
}

TEST(Dhcpv6, RelayedMessageIsReadInside) {
  Message relay = from_hex("0c00");
  relay.resize(34, 0);  // link and peer addresses
  const Message option = from_hex("0009");
  relay.insert(relay.end(), option.begin(), option.end());
  relay.push_back(0);
  relay.push_back(static_cast<std::uint8_t>(kSolicit.size()));
  relay.insert(relay.end(), kSolicit.begin(), kSolicit.end());
  EXPECT_EQ(probe(kDhcpv6, udp_flow(547, 546), Direction::ToServer, relay), Match::Yes);
  const AppInfo out = dhcpv6({relay});
  EXPECT_EQ(out.dhcp_message_types, (std::vector<std::string>{"RELAY_FORW", "SOLICIT"}));
  EXPECT_EQ(out.dhcp_hostname, "host.example");
}

TEST(Dhcpv6, WithoutIdentifierOrWithLeftoverBytesIsNotDhcpv6) {
  const auto flow = udp_flow(547, 546);
  EXPECT_EQ(probe(kDhcpv6, flow, Direction::ToServer, from_hex("01123456 000800020000")), Match::No);
  Message trailing = kAdvertise;
  trailing.push_back(0);
  EXPECT_EQ(probe(kDhcpv6, flow, Direction::ToServer, trailing), Match::No);
  Message bad_type = kAdvertise;
  bad_type[0] = 14;
  EXPECT_EQ(probe(kDhcpv6, flow, Direction::ToServer, bad_type), Match::No);
  EXPECT_EQ(probe(kDhcpv6, flow, Direction::ToServer, kMacDiscover), Match::No);
  EXPECT_EQ(probe(kDhcp, flow, Direction::ToServer, kSolicit), Match::No);
}

TEST(Dhcpv6, EveryTruncationIsRejected) {
  for (std::size_t size = 0; size < kSolicit.size(); ++size) {
    const Message cut(kSolicit.begin(), kSolicit.begin() + static_cast<long>(size));
    EXPECT_EQ(probe(kDhcpv6, udp_flow(547, 546), Direction::ToServer, cut),
              size == 18 || size == 24 || size == 42 ? Match::Yes : Match::No)
        << size;  // cut right after a whole option
    const AppInfo out = dhcpv6({cut});
    EXPECT_EQ(out.dhcp_hostname, "") << size;
  }
}

TEST(Dhcpv6, GarbageIsRejected) {
  for (std::uint32_t seed = 1; seed < 300; ++seed) {
    const Message g = garbage(4 + seed % 200, seed);
    EXPECT_EQ(probe(kDhcpv6, udp_flow(547, 546), Direction::ToServer, g), Match::No) << seed;
    dhcpv6({g});
  }
}

}  // namespace
}  // namespace wiretop::dpi
