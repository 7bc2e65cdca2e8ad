// SSDP dissector: ST/NT, USN and SERVER from searches, announcements and
// search responses; other HTTP-over-UDP text, truncation and garbage.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dpi/dissector.h"
#include "dpi_test_util.h"

namespace wiretop::dpi {
extern const Dissector kSsdp;

namespace {

using testing::from_text;
using testing::probe;
using testing::run_session;
using testing::udp_flow;
using Message = std::vector<std::uint8_t>;

// ssdp-m-search-ua.pcap (Chrome's DIAL discovery).
const Message kSearch = from_text(
    "M-SEARCH * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "MAN: \"ssdp:discover\"\r\n"
    "MX: 1\r\n"
    "ST: urn:dial-multiscreen-org:service:dial:1\r\n"
    "USER-AGENT: Google Chrome/99.0.4844.74 Mac OS X\r\n"
    "\r\n");
// A device's answer (UPnP Device Architecture 2.0, 1.3.3).
const Message kResponse = from_text(
    "HTTP/1.1 200 OK\r\n"
    "CACHE-CONTROL: max-age=1800\r\n"
    "EXT:\r\n"
    "LOCATION: http://192.168.1.20:8008/ssdp/device-desc.xml\r\n"
    "Server: Linux/3.8.13+, UPnP/1.0, Portable SDK for UPnP devices/1.6.18\r\n"
    "st: urn:dial-multiscreen-org:service:dial:1\r\n"
    "USN: uuid:1234::urn:dial-multiscreen-org:service:dial:1\r\n"
    "\r\n");
const Message kNotify = from_text(
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "NT: upnp:rootdevice\r\n"
    "NTS: ssdp:alive\r\n"
    "SERVER: Linux/3.x UPnP/1.0 miniupnpd/2.0\r\n"
    "USN: uuid:abcd::upnp:rootdevice\r\n"
    "\r\n");

AppInfo ssdp(const std::vector<std::pair<Direction, Message>>& datagrams) {
  return run_session(kSsdp, udp_flow(1900), datagrams);
}

TEST(Ssdp, CapturedSearchGivesSt) {
  EXPECT_EQ(probe(kSsdp, udp_flow(1900), Direction::ToServer, kSearch), Match::Yes);
  const AppInfo out = ssdp({{Direction::ToServer, kSearch}});
  EXPECT_EQ(out.ssdp_st, "urn:dial-multiscreen-org:service:dial:1");
  EXPECT_EQ(out.ssdp_usn, "");
  EXPECT_EQ(out.ssdp_server, "");
}

TEST(Ssdp, ResponseAddsUsnAndServerWithAnyHeaderCase) {
  EXPECT_EQ(probe(kSsdp, udp_flow(1900), Direction::ToClient, kResponse), Match::Yes);
  const AppInfo out = ssdp({{Direction::ToServer, kSearch}, {Direction::ToClient, kResponse}});
  EXPECT_EQ(out.ssdp_st, "urn:dial-multiscreen-org:service:dial:1");
  EXPECT_EQ(out.ssdp_usn, "uuid:1234::urn:dial-multiscreen-org:service:dial:1");
  EXPECT_EQ(out.ssdp_server, "Linux/3.8.13+, UPnP/1.0, Portable SDK for UPnP devices/1.6.18");
}

TEST(Ssdp, NotifyGivesNtAsSt) {
  EXPECT_EQ(probe(kSsdp, udp_flow(1900), Direction::ToServer, kNotify), Match::Yes);
  const AppInfo out = ssdp({{Direction::ToServer, kNotify}});
  EXPECT_EQ(out.ssdp_st, "upnp:rootdevice");
  EXPECT_EQ(out.ssdp_usn, "uuid:abcd::upnp:rootdevice");
  EXPECT_EQ(out.ssdp_server, "Linux/3.x UPnP/1.0 miniupnpd/2.0");
}

TEST(Ssdp, OtherHttpOverUdpIsNotSsdp) {
  const auto flow = udp_flow(1900);
  EXPECT_EQ(probe(kSsdp, flow, Direction::ToClient,
                  from_text("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")),
            Match::No);
  EXPECT_EQ(probe(kSsdp, flow, Direction::ToServer,
                  from_text("GET / HTTP/1.1\r\nST: x\r\nUSN: y\r\n\r\n")),
            Match::No);
  EXPECT_EQ(probe(kSsdp, flow, Direction::ToServer, from_text("M-SEARCH * HTTP/1.0\r\n\r\n")),
            Match::No);
  EXPECT_EQ(probe(kSsdp, flow, Direction::ToServer, from_text("m-search * HTTP/1.1\r\n")),
            Match::No);
}

TEST(Ssdp, EveryTruncationIsSafeAndKeepsOnlyWholeLines) {
  for (const Message* m : {&kSearch, &kResponse, &kNotify}) {
    for (std::size_t size = 0; size < m->size(); ++size) {
      const Message cut(m->begin(), m->begin() + static_cast<long>(size));
      const AppInfo out = ssdp({{Direction::ToServer, cut}});
      if (!out.ssdp_st.empty()) {
        EXPECT_TRUE(out.ssdp_st == "urn:dial-multiscreen-org:service:dial:1" ||
                    out.ssdp_st == "upnp:rootdevice")
            << size;
      }
    }
  }
  EXPECT_EQ(probe(kSsdp, udp_flow(1900), Direction::ToServer, from_text("M-SEARCH * HTTP/1.")),
            Match::No);
}

TEST(Ssdp, ControlBytesAreMaskedAndOverlongLinesIgnored) {
  const AppInfo masked =
      ssdp({{Direction::ToServer, from_text(std::string("NOTIFY * HTTP/1.1\r\nNT: a\x01z\r\n\r\n"))}});
  EXPECT_EQ(masked.ssdp_st, "a?z");
  const AppInfo overlong = ssdp(
      {{Direction::ToServer, from_text("NOTIFY * HTTP/1.1\r\nNT: " + std::string(5000, 'x') + "\r\n\r\n")}});
  EXPECT_EQ(overlong.ssdp_st, "");
}

TEST(Ssdp, GarbageIsRejected) {
  std::uint32_t x = 5;
  for (int i = 0; i < 500; ++i) {
    Message g;
    for (int j = 0; j < i; ++j) {
      x = x * 1103515245 + 12345;
      g.push_back(static_cast<std::uint8_t>(x >> 16));
    }
    EXPECT_EQ(probe(kSsdp, udp_flow(1900), Direction::ToServer, g), Match::No);
    ssdp({{Direction::ToServer, g}});
  }
}

}  // namespace
}  // namespace wiretop::dpi
