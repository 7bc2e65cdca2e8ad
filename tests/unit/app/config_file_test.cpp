#include "app/config_file.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace wiretop::app {
namespace {

TEST(ConfigFile, SettingsOfEveryType_AreApplied) {
  Options o;
  const std::string error = apply_config_text(
      "# wiretop settings\n"
      "interface = \"eth1\"\n"
      "bpf-filter = \"tcp port 443\"\n"
      "threads = 3\n"
      "max_flows = 5000          # underscores work too\n"
      "json-log-max-mb = 0.5\n"
      "keep-closed = 30\n"
      "no-dpi = true\n"
      "geoip-db = [\"/a/City.mmdb\", \"/a/ASN.mmdb\"]\n",
      "test.toml", o);
  EXPECT_EQ(error, "");
  EXPECT_EQ(o.interface, "eth1");
  EXPECT_EQ(o.bpf_filter, "tcp port 443");
  EXPECT_EQ(o.threads, 3u);
  EXPECT_EQ(o.max_flows, 5000u);
  EXPECT_DOUBLE_EQ(o.json_log_max_mb, 0.5);
  EXPECT_DOUBLE_EQ(o.keep_closed, 30);
  EXPECT_TRUE(o.no_dpi);
  EXPECT_EQ(o.geoip_dbs, (std::vector<std::string>{"/a/City.mmdb", "/a/ASN.mmdb"}));
}

TEST(ConfigFile, ExportSettings_AreApplied) {
  Options o;
  EXPECT_EQ(apply_config_text("ipfix = \"127.0.0.1:4739\"\nipfix-idle-timeout = 5\npcapng-export = \"/tmp/x\"\n", "t", o),
            "");
  EXPECT_EQ(o.ipfix, "127.0.0.1:4739");
  EXPECT_DOUBLE_EQ(o.ipfix_idle_timeout, 5);
  EXPECT_EQ(o.pcapng_export, "/tmp/x");
  EXPECT_EQ(apply_config_text("ipfix-active-timeout = 0\n", "t", o),
            "t line 1: 'ipfix-active-timeout' must be between 1 and 86400");
}

TEST(ConfigFile, SingleStringForAList_IsOneItem) {
  Options o;
  EXPECT_EQ(apply_config_text("geoip-db = \"/x.mmdb\"\n", "t", o), "");
  EXPECT_EQ(o.geoip_dbs, std::vector<std::string>{"/x.mmdb"});
}

TEST(ConfigFile, UnknownKey_IsAnErrorWithItsLine) {
  Options o;
  EXPECT_EQ(apply_config_text("threads = 2\n\ncolour = false\n", "/etc/wiretop/config.toml", o)
                .rfind("/etc/wiretop/config.toml line 3: unknown setting 'colour'", 0),
            0u);
}

TEST(ConfigFile, OneShotOptions_AreNotSettings) {
  Options o;
  EXPECT_NE(apply_config_text("read = \"x.pcap\"\n", "t", o).find("line 1: unknown setting 'read'"),
            std::string::npos);
  EXPECT_NE(apply_config_text("check = true\n", "t", o).find("unknown setting"), std::string::npos);
}

TEST(ConfigFile, WrongType_IsAnErrorWithItsLine) {
  Options o;
  EXPECT_EQ(apply_config_text("json = true\nthreads = \"four\"\n", "t", o), "t line 2: 'threads' expects an integer");
  EXPECT_EQ(apply_config_text("threads = 2.5\n", "t", o), "t line 1: 'threads' expects an integer");
  EXPECT_EQ(apply_config_text("json = 1\n", "t", o), "t line 1: 'json' expects true or false");
  EXPECT_EQ(apply_config_text("user = 7\n", "t", o), "t line 1: 'user' expects a string");
  EXPECT_EQ(apply_config_text("geoip-db = [1]\n", "t", o), "t line 1: 'geoip-db' expects an array of strings");
}

TEST(ConfigFile, OutOfRange_IsAnErrorWithTheBounds) {
  Options o;
  EXPECT_EQ(apply_config_text("\nrefresh-ms = 10\n", "t", o), "t line 2: 'refresh-ms' must be between 50 and 60000");
  EXPECT_EQ(apply_config_text("threads = -1\n", "t", o), "t line 1: 'threads' must be between 1 and 256");
  EXPECT_EQ(apply_config_text("duration = -0.5\n", "t", o).rfind("t line 1: 'duration' must be between 0", 0), 0u);
}

TEST(ConfigFile, TomlSyntaxError_NamesTheLine) {
  Options o;
  EXPECT_EQ(apply_config_text("threads = 2\njson = \n", "t", o).rfind("t line 2: ", 0), 0u);
  EXPECT_EQ(apply_config_text("[section\n", "t", o).rfind("t line 1: ", 0), 0u);
  EXPECT_EQ(apply_config_text("threads = 1\nthreads = 2\n", "t", o).rfind("t line 2: ", 0), 0u);
}

TEST(ConfigFile, Tables_AreUnknownSettings) {
  Options o;
  EXPECT_EQ(apply_config_text("json = true\n[geoip]\ndb = \"x\"\n", "t", o).rfind("t line 2: unknown setting 'geoip'", 0),
            0u);
}

TEST(ConfigFile, MissingFile_IsNoErrorUnlessNamedOnTheCommandLine) {
  Options o;
  EXPECT_EQ(apply_config_file("/nonexistent/config.toml", false, o), "");
  EXPECT_NE(apply_config_file("/nonexistent/config.toml", true, o), "");
}

TEST(ConfigFile, FileOnDisk_IsApplied) {
  const std::string path = ::testing::TempDir() + "/wiretop_config.toml";
  std::ofstream(path) << "resolve = true\n";
  Options o;
  EXPECT_EQ(apply_config_file(path, true, o), "");
  EXPECT_TRUE(o.resolve);
}

TEST(ConfigFile, DefaultPaths_UserFileLast) {
  setenv("XDG_CONFIG_HOME", "/xdg", 1);
  EXPECT_EQ(default_config_paths(), (std::vector<std::string>{"/etc/wiretop/config.toml", "/xdg/wiretop/config.toml"}));
  unsetenv("XDG_CONFIG_HOME");
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(default_config_paths().back(), "/home/u/.config/wiretop/config.toml");
}

TEST(ConfigFile, ConfigArgument_IsFoundBeforeParsing) {
  const char* a[] = {"wiretop", "-r", "x.pcap", "--config", "/c.toml"};
  EXPECT_EQ(config_path_argument(5, const_cast<char**>(a)), "/c.toml");
  const char* b[] = {"wiretop", "--config=/d.toml"};
  EXPECT_EQ(config_path_argument(2, const_cast<char**>(b)), "/d.toml");
  const char* c[] = {"wiretop", "--json"};
  EXPECT_EQ(config_path_argument(2, const_cast<char**>(c)), "");
}

}  // namespace
}  // namespace wiretop::app
