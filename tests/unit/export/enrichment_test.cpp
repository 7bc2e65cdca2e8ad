// Address classes, the OUI registry parser and the enricher (issue 8).
#include <gtest/gtest.h>

#include <string>

#include "export/address_class.h"
#include "export/connection_json.h"
#include "export/enricher.h"
#include "export/geoip.h"
#include "export/oui.h"

namespace wiretop::exporting {
namespace {

std::string_view class_of(const char* text) { return address_class(*core::IpAddress::parse(text)); }

TEST(AddressClass, Ipv4SpecialBlocks_AreNamed) {
  EXPECT_EQ(class_of("8.8.8.8"), "public");
  EXPECT_EQ(class_of("10.1.2.3"), "private");
  EXPECT_EQ(class_of("172.16.0.1"), "private");
  EXPECT_EQ(class_of("172.32.0.1"), "public");  // just outside 172.16/12
  EXPECT_EQ(class_of("192.168.255.255"), "private");
  EXPECT_EQ(class_of("100.64.0.1"), "shared");
  EXPECT_EQ(class_of("100.128.0.1"), "public");
  EXPECT_EQ(class_of("127.0.0.53"), "loopback");
  EXPECT_EQ(class_of("169.254.1.1"), "link_local");
  EXPECT_EQ(class_of("224.0.0.251"), "multicast");
  EXPECT_EQ(class_of("255.255.255.255"), "broadcast");
  EXPECT_EQ(class_of("0.0.0.0"), "unspecified");
  EXPECT_EQ(class_of("0.1.2.3"), "bogon");
  EXPECT_EQ(class_of("192.0.2.7"), "bogon");
  EXPECT_EQ(class_of("198.19.255.1"), "bogon");
  EXPECT_EQ(class_of("198.20.0.1"), "public");
  EXPECT_EQ(class_of("203.0.113.9"), "bogon");
  EXPECT_EQ(class_of("240.0.0.1"), "bogon");
}

TEST(AddressClass, Ipv6SpecialBlocks_AreNamed) {
  EXPECT_EQ(class_of("2a00:1450::1"), "public");
  EXPECT_EQ(class_of("::"), "unspecified");
  EXPECT_EQ(class_of("::1"), "loopback");
  EXPECT_EQ(class_of("fd12:3456::1"), "private");
  EXPECT_EQ(class_of("fe80::1"), "link_local");
  EXPECT_EQ(class_of("ff02::fb"), "multicast");
  EXPECT_EQ(class_of("2001:db8::1"), "bogon");
  EXPECT_EQ(class_of("100::1"), "bogon");
  EXPECT_EQ(class_of("::2"), "bogon");
}

TEST(AddressClass, Ipv4MappedIpv6_IsClassedAsItsIpv4Address) {
  EXPECT_EQ(class_of("::ffff:192.168.1.1"), "private");
  EXPECT_EQ(class_of("::ffff:8.8.4.4"), "public");
}

TEST(AddressClass, EmptyAddress_HasNoClass) { EXPECT_EQ(address_class(core::IpAddress{}), ""); }

// The head of Debian's /usr/share/ieee-data/oui.txt (CRLF line ends as shipped).
constexpr std::string_view kOuiText =
    "OUI/MA-L                                                    Organization                                 \r\n"
    "company_id                                                  Organization                                 \r\n"
    "                                                            Address                                      \r\n"
    "\r\n"
    "00-22-72   (hex)\t\tAmerican Micro-Fuel Device Corp.\r\n"
    "002272     (base 16)\t\tAmerican Micro-Fuel Device Corp.\r\n"
    "\t\t\t\t2181 Buchanan Loop\r\n"
    "\t\t\t\tFerndale  WA  98248\r\n"
    "\t\t\t\tUS\r\n"
    "\r\n"
    "00-D0-EF   (hex)\t\tIGT\r\n"
    "00D0EF     (base 16)\t\tIGT\r\n";

TEST(OuiRegistry, HexLines_GiveVendorByFirstThreeOctets) {
  const OuiRegistry r = OuiRegistry::parse(kOuiText);
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.vendor({0x00, 0x22, 0x72, 0x01, 0x02, 0x03}), "American Micro-Fuel Device Corp.");
  EXPECT_EQ(r.vendor({0x00, 0xd0, 0xef, 0xff, 0xff, 0xff}), "IGT");
  EXPECT_EQ(r.vendor({0x00, 0x11, 0x22, 0x33, 0x44, 0x55}), "");
}

TEST(OuiRegistry, LocallyAdministeredMac_HasNoVendor) {
  const OuiRegistry r = OuiRegistry::parse("02-22-72   (hex)\t\tNot A Real Assignment\n");
  EXPECT_EQ(r.vendor({0x02, 0x22, 0x72, 0, 0, 1}), "");
}

TEST(OuiRegistry, GarbageAndTruncatedLines_AreSkipped) {
  const OuiRegistry r = OuiRegistry::parse(
      "00-22-7   (hex)\t\tShort\n00-2G-72   (hex)\t\tBad digit\n00-22-72\n00-22-73   (hex)\n"
      "00-22-74   (hex)\t\tCtrl\x01 char\n\n\n(hex)\n");
  EXPECT_EQ(r.size(), 1u);
  EXPECT_EQ(r.vendor({0x00, 0x22, 0x74, 0, 0, 0}), "Ctrl? char");
}

TEST(OuiRegistry, LongVendorName_IsCapped) {
  const OuiRegistry r = OuiRegistry::parse("00-22-72   (hex)\t\t" + std::string(500, 'x') + "\n");
  EXPECT_EQ(r.vendor({0x00, 0x22, 0x72, 0, 0, 0}).size(), OuiRegistry::kMaxVendorLength);
}

TEST(OuiRegistry, MissingFile_GivesEmptyRegistry) {
  EXPECT_EQ(OuiRegistry::load("/nonexistent/oui.txt").size(), 0u);
}

TEST(GeoIp, MissingDatabase_IsAnErrorNamingTheFile) {
  const auto g = GeoIp::open({"/nonexistent/City.mmdb"});
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().find("/nonexistent/City.mmdb"), std::string::npos);
}

TEST(GeoIp, NoDatabases_LookupFindsNothing) {
  const GeoIp g = GeoIp::discover({"/nonexistent"});
  EXPECT_TRUE(g.empty());
  EXPECT_TRUE(g.lookup(*core::IpAddress::parse("8.8.8.8")).country.empty());
}

TEST(Enricher, ClassesAndMacVendor_AppearInJson) {
  const Enricher e(GeoIp{}, OuiRegistry::parse(kOuiText));
  model::ConnectionRow row;
  row.client_ip = *core::IpAddress::parse("192.168.1.10");
  row.server_ip = *core::IpAddress::parse("8.8.8.8");
  row.ends[0].has_mac = true;
  row.ends[0].mac = {0x00, 0x22, 0x72, 0xab, 0xcd, 0xef};
  e.apply(row);
  EXPECT_EQ(row.ends[0].address_class, "private");
  EXPECT_EQ(row.ends[1].address_class, "public");
  EXPECT_EQ(row.ends[0].mac_vendor, "American Micro-Fuel Device Corp.");
  std::string json;
  append_connection_json(json, row, ServiceNames::load("/nonexistent", "/nonexistent"));
  EXPECT_NE(json.find(R"("client_class":"private","client_mac":"00:22:72:ab:cd:ef",)"
                      R"("client_mac_vendor":"American Micro-Fuel Device Corp.","server_class":"public")"),
            std::string::npos)
      << json;
  EXPECT_EQ(json.find("server_mac"), std::string::npos);
}

}  // namespace
}  // namespace wiretop::exporting
