#pragma once
// A minimal append-only JSON writer for one object per line. Hand-written
// because records are formatted on the hot output path (tens of thousands
// per second) where building a DOM per record would dominate.

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace wiretop::exporting {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() {
    comma();
    out_ += '{';
    first_ = true;
  }
  void end_object() {
    out_ += '}';
    first_ = false;
  }
  void begin_array(std::string_view k) {
    key(k);
    out_ += '[';
    first_ = true;
  }
  void end_array() {
    out_ += ']';
    first_ = false;
  }
  // Keys are our own ASCII literals: written as they are, without escaping.
  void key(std::string_view k) {
    comma();
    out_ += '"';
    out_ += k;
    out_ += "\":";
    first_ = true;  // the value follows without a comma
  }
  void field(std::string_view k, std::string_view v) {
    key(k);
    value(v);
  }
  void field(std::string_view k, std::uint64_t v) {
    key(k);
    number(v);
  }
  // A number with exactly three decimals (milliseconds with microsecond precision).
  void field(std::string_view k, double v);
  void field_bool(std::string_view k, bool v) {
    key(k);
    out_ += v ? "true" : "false";
    first_ = false;
  }
  void field_null(std::string_view k) {
    key(k);
    out_ += "null";
    first_ = false;
  }
  void value(std::string_view v) {
    comma();
    string_literal(v);
    first_ = false;
  }
  void number(std::uint64_t v) {
    comma();
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, res.ptr);
    first_ = false;
  }

 private:
  void comma() {
    if (!first_) out_ += ',';
  }
  // RFC 8259 section 7: escape quote, backslash and control characters; bytes
  // that are not valid UTF-8 are replaced so every line stays parseable.
  void string_literal(std::string_view s);

  std::string& out_;
  bool first_ = true;
};

}  // namespace wiretop::exporting
