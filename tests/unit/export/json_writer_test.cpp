#include "export/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace wiretop::exporting {
namespace {

std::string one_field(std::string_view value) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("v", value);
  w.end_object();
  return out;
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControls) {
  const std::string s = one_field(std::string("a\"b\\c\n\x01", 7));
  EXPECT_EQ(s, R"({"v":"a\"b\\c\u000a\u0001"})");
  EXPECT_EQ(nlohmann::json::parse(s)["v"], std::string("a\"b\\c\n\x01", 7));
}

TEST(JsonWriter, InvalidUtf8IsReplacedAndStaysParseable) {
  const std::string hostile = std::string("ok\xff\xc3(\xed\xa0\x80", 8);
  const std::string s = one_field(hostile);
  EXPECT_NO_THROW(nlohmann::json::parse(s));
  EXPECT_EQ(s, R"({"v":"ok\ufffd\ufffd(\ufffd\ufffd\ufffd"})");
}

TEST(JsonWriter, ValidUtf8PassesThrough) {
  EXPECT_EQ(one_field("bücher.example"), "{\"v\":\"bücher.example\"}");
}

TEST(JsonWriter, NumbersNullsBoolsAndNesting) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.field("n", std::uint64_t{18446744073709551615ULL});
  w.field("d", 1.5);
  w.field_null("z");
  w.field_bool("b", true);
  w.key("o");
  w.begin_object();
  w.field("x", std::uint64_t{1});
  w.end_object();
  w.begin_array("a");
  w.value("s");
  w.number(2);
  w.end_array();
  w.end_object();
  EXPECT_EQ(out, R"({"n":18446744073709551615,"d":1.500,"z":null,"b":true,"o":{"x":1},"a":["s",2]})");
}

}  // namespace
}  // namespace wiretop::exporting
