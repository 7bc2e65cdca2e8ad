#include "export/pcapng_writer.h"

#include <gtest/gtest.h>

#include "export/packet_note.h"
#include "export_test_util.h"

namespace wiretop::exporting {
namespace {

using testing::hex;

const std::uint8_t kFrame[] = {'a', 'b', 'c'};

TEST(PcapngWriter, SectionHeader_HasByteOrderMagicUnknownLengthAndApplication) {
  std::string out;
  append_pcapng_section_header(out, "wiretop");
  EXPECT_EQ(hex(out),
            "0a0d0d0a" "2c000000" "4d3c2b1a" "0100" "0000" "ffffffffffffffff"
            "0400" "0700" "77697265746f7000"  // shb_userappl "wiretop" padded to 8
            "00000000" "2c000000");
}

TEST(PcapngWriter, InterfaceDescription_CarriesLinktypeSnaplenAndName) {
  std::string out;
  append_pcapng_interface(out, 1, 262144, "eth0");
  EXPECT_EQ(hex(out), "01000000" "20000000" "0100" "0000" "00000400" "0200" "0400" "65746830" "00000000"
                      "20000000");
}

TEST(PcapngWriter, EnhancedPacket_WithComment_IsPaddedAndLengthFramed) {
  std::string out;
  append_pcapng_packet(out, core::Timestamp{1'500'000}, 60, core::Bytes(kFrame, 3), "hi");
  EXPECT_EQ(hex(out),
            "06000000" "30000000"                    // EPB, 48 bytes
            "00000000" "00000000" "60e31600"         // interface 0, 1.5 s in microseconds
            "03000000" "3c000000" "61626300"         // caplen 3, orig 60, frame padded
            "0100" "0200" "68690000" "00000000"      // opt_comment "hi", opt_endofopt
            "30000000");
}

TEST(PcapngWriter, EnhancedPacket_WithoutComment_HasNoOptions) {
  std::string out;
  append_pcapng_packet(out, core::Timestamp{0}, 3, core::Bytes(kFrame, 3), "");
  EXPECT_EQ(out.size(), 36u);
  EXPECT_EQ(hex(out.substr(4, 4)), "24000000");
}

TEST(PcapngWriter, OverlongComment_IsCutToTheOptionCap) {
  std::string out;
  append_pcapng_packet(out, core::Timestamp{0}, 3, core::Bytes(kFrame, 3), std::string(70000, 'x'));
  EXPECT_EQ(out.size(), 28u + 4u + 4u + 4096u + 4u + 4u);
  EXPECT_EQ(hex(out.substr(32, 4)), "01000010");  // code 1, length 4096
}

TEST(PacketNote, Comment_NamesConnectionDirectionProcessAndDpi) {
  PacketNote n;
  n.connection_id = 7;
  n.direction = 1;
  n.pid = 812;
  n.process_name = "curl";
  n.app = "TLS";
  n.sni = "example.com";
  EXPECT_EQ(packet_comment(n), "wiretop conn=7 dir=s2c pid=812 process=curl app=TLS sni=example.com");
}

TEST(PacketNote, Comment_ReplacesSpacesAndControlsInNames) {
  PacketNote n;
  n.connection_id = 1;
  n.process_name = "my app\n";
  n.http_host = "a b";
  EXPECT_EQ(packet_comment(n), "wiretop conn=1 dir=c2s process=my?app? host=a?b");
}

TEST(PacketNote, Comment_WithoutConnection_SaysSo) {
  EXPECT_EQ(packet_comment(PacketNote{}), "wiretop no-connection");
}

}  // namespace
}  // namespace wiretop::exporting
