#include "export/pcap_writer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "export/output_file.h"
#include "export_test_util.h"

namespace wiretop::exporting {
namespace {

using testing::hex;

const std::uint8_t kFrame[] = {0xde, 0xad, 0xbe};

TEST(PcapWriter, FileHeader_IsMicrosecondPcap24WithSnaplenAndLinktype) {
  std::string out;
  append_pcap_file_header(out, 1, 262144);
  EXPECT_EQ(hex(out), "d4c3b2a1" "0200" "0400" "00000000" "00000000" "00000400" "01000000");
}

TEST(PcapWriter, Record_CarriesSecondsMicrosCapturedAndOriginalLength) {
  std::string out;
  append_pcap_record(out, core::Timestamp{1'500'000'123'456}, 60, core::Bytes(kFrame, 3));
  // 1500000 s = 0x0016e360, 123456 us = 0x0001e240, caplen 3, orig 60, frame.
  EXPECT_EQ(hex(out), "60e31600" "40e20100" "03000000" "3c000000" "deadbe");
}

std::string temp_path(const char* name) {
  return ::testing::TempDir() + "wiretop_" + std::to_string(::getpid()) + "_" + name;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PcapWriter, CreatedFile_IsPrivateEvenWhenItExistedWithWiderMode) {
  const std::string path = temp_path("mode.pcap");
  std::ofstream(path) << "old contents";
  ::chmod(path.c_str(), 0644);
  {
    auto w = PcapWriter::create(path, 1, 65535);
    ASSERT_TRUE(w);
    (*w)->write(core::Timestamp{2'000'000}, 3, core::Bytes(kFrame, 3));
    EXPECT_EQ((*w)->packets(), 1u);
  }
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string bytes = slurp(path);
  ASSERT_EQ(bytes.size(), 24u + 16u + 3u);  // truncated, then header + one record
  EXPECT_EQ(hex(bytes.substr(40)), "deadbe");
  std::remove(path.c_str());
}

TEST(PcapWriter, UncreatablePath_IsOneLineErrorNamingIt) {
  auto w = PcapWriter::create("/nonexistent-dir/x.pcap", 1, 65535);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().find("/nonexistent-dir/x.pcap"), std::string::npos);
  EXPECT_EQ(w.error().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace wiretop::exporting
