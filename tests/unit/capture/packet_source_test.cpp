#include "capture/packet_source.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/packet_builder.h"
#include "support/pcap_file.h"

namespace wiretop::capture {
namespace {

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "/" + name; }

std::string write_capture(const std::string& name, int packets) {
  const std::string path = temp_path(name);
  testing::PcapWriter w(path, testing::kLinkEthernet);
  for (int i = 0; i < packets; ++i)
    w.write(1'000'000LL * (100 + i), testing::PacketBuilder().ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1000, 53).payload("x").build());
  return path;
}

TEST(PacketSource, ReadsEveryPacketWithItsTimestampThenEnds) {
  auto src = PacketSource::open_file(write_capture("three.pcap", 3), "");
  ASSERT_TRUE(src.ok()) << src.error();
  Packet p;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ((*src)->next(p), NextStatus::Packet);
    EXPECT_EQ(p.ts.usec, 1'000'000LL * (100 + i));
    EXPECT_EQ(p.len, 14u + 20 + 8 + 1);
  }
  EXPECT_EQ((*src)->next(p), NextStatus::End);
  EXPECT_TRUE((*src)->last_error().empty());
  EXPECT_EQ((*src)->datalink(), 1);
}

TEST(PacketSource, BpfFilterSelectsPackets) {
  auto src = PacketSource::open_file(write_capture("filtered.pcap", 2), "tcp");
  ASSERT_TRUE(src.ok());
  Packet p;
  EXPECT_EQ((*src)->next(p), NextStatus::End);
}

TEST(PacketSource, BadFilterIsAOneLineErrorNamingTheFilter) {
  auto src = PacketSource::open_file(write_capture("badfilter.pcap", 1), "tcp port");
  ASSERT_FALSE(src.ok());
  EXPECT_NE(src.error().find("bad BPF filter 'tcp port'"), std::string::npos);
  EXPECT_EQ(src.error().find('\n'), std::string::npos);
}

TEST(PacketSource, MissingFileSaysSo) {
  auto src = PacketSource::open_file(temp_path("does-not-exist.pcap"), "");
  ASSERT_FALSE(src.ok());
  EXPECT_NE(src.error().find("No such file"), std::string::npos);
}

TEST(PacketSource, DirectoryIsRefused) {
  auto src = PacketSource::open_file(::testing::TempDir(), "");
  ASSERT_FALSE(src.ok());
  EXPECT_NE(src.error().find("directory"), std::string::npos);
}

TEST(PacketSource, TextFileIsNotACapture) {
  const std::string path = temp_path("notes.txt");
  std::ofstream(path) << "this is not a capture file\n";
  auto src = PacketSource::open_file(path, "");
  ASSERT_FALSE(src.ok());
  EXPECT_NE(src.error().find("not a pcap or pcapng"), std::string::npos);
}

TEST(PacketSource, FileCutMidRecordEndsWithANote) {
  const std::string path = write_capture("cut.pcap", 3);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut_path = temp_path("cut-short.pcap");
  std::ofstream(cut_path, std::ios::binary) << bytes.substr(0, bytes.size() - 10);
  auto src = PacketSource::open_file(cut_path, "");
  ASSERT_TRUE(src.ok());
  Packet p;
  EXPECT_EQ((*src)->next(p), NextStatus::Packet);
  EXPECT_EQ((*src)->next(p), NextStatus::Packet);
  EXPECT_EQ((*src)->next(p), NextStatus::End);
  EXPECT_FALSE((*src)->last_error().empty());
}

TEST(PacketSource, UnknownInterfaceIsAnError) {
  LiveOptions o;
  o.interface = "nosuch0";
  auto src = PacketSource::open_live(o);
  ASSERT_FALSE(src.ok());
  EXPECT_EQ(src.error().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace wiretop::capture
