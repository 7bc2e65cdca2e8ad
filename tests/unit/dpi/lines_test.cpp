#include "dpi/lines.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "dpi_test_util.h"

namespace wiretop::dpi {
namespace {

using testing::from_text;

struct Collected {
  std::vector<std::pair<std::string, bool>> lines;
  std::size_t consumed = 0;
};

Collected feed(LineSplitter& splitter, const std::string& text, std::size_t stop_after = 1000) {
  Collected c;
  const auto bytes = from_text(text);
  c.consumed = splitter.feed(core::Bytes(bytes), [&](std::string_view line, bool whole) {
    c.lines.emplace_back(std::string(line), whole);
    return c.lines.size() < stop_after;
  });
  return c;
}

TEST(LineSplitter, CrLfAndBareLfBothEndALine) {
  LineSplitter s(100);
  const Collected c = feed(s, "one\r\ntwo\nthree\r\n\r\n");
  EXPECT_EQ(c.lines, (std::vector<std::pair<std::string, bool>>{
                         {"one", true}, {"two", true}, {"three", true}, {"", true}}));
}

TEST(LineSplitter, LineSplitAcrossFeedsIsWhole) {
  LineSplitter s(100);
  EXPECT_TRUE(feed(s, "Host: exa").lines.empty());
  EXPECT_EQ(s.pending(), 9u);
  EXPECT_TRUE(feed(s, "mple.com\r").lines.empty());
  const Collected c = feed(s, "\nnext");
  EXPECT_EQ(c.lines, (std::vector<std::pair<std::string, bool>>{{"Host: example.com", true}}));
  EXPECT_EQ(s.pending(), 4u);
}

TEST(LineSplitter, OverlongLineIsCutCountedAndFlagged) {
  LineSplitter s(4);
  const Collected c = feed(s, "abcdefgh\r\nok\r\n");
  EXPECT_EQ(c.lines, (std::vector<std::pair<std::string, bool>>{{"abcd", false}, {"ok", true}}));
  EXPECT_EQ(s.overlong_lines(), 1u);
}

TEST(LineSplitter, StoppingReportsTheBytesConsumed) {
  // The SSH banner and the binary packet after it in one segment.
  LineSplitter s(255);
  const Collected c = feed(s, std::string("SSH-2.0-x\r\n\x00\x00\x01", 14), 1);
  EXPECT_EQ(c.lines.size(), 1u);
  EXPECT_EQ(c.consumed, 11u);
}

TEST(LineText, CaseInsensitiveHelpers) {
  EXPECT_TRUE(iequals("Content-Type", "content-TYPE"));
  EXPECT_FALSE(iequals("Host", "Hosts"));
  EXPECT_TRUE(istarts_with("EHLO me", "ehlo "));
  EXPECT_TRUE(icontains("220 mx ESMTP Postfix", "smtp"));
  EXPECT_FALSE(icontains("220 ready", "ftp"));
  EXPECT_EQ(trimmed(" \t a b \t"), "a b");
}

TEST(LineText, StartAndFirstLineOfAStream) {
  bool partial = false;
  EXPECT_TRUE(bytes_start_with(from_text("PRI * x"), "PRI", partial));
  EXPECT_FALSE(bytes_start_with(from_text("PR"), "PRI", partial));
  EXPECT_TRUE(partial);
  EXPECT_FALSE(bytes_start_with(from_text("PX"), "PRI", partial));
  EXPECT_FALSE(partial);
  bool complete = false;
  EXPECT_EQ(first_line(from_text("GET / HTTP/1.1\r\nHost: x\r\n"), 100, complete),
            "GET / HTTP/1.1");
  EXPECT_TRUE(complete);
  EXPECT_EQ(first_line(from_text("GET /very/long"), 5, complete), "GET /");
  EXPECT_FALSE(complete);
}

}  // namespace
}  // namespace wiretop::dpi
