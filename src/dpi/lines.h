#pragma once
// One direction of a line-based text protocol (HTTP/1.x start line and
// headers, FTP, SMTP, IMAP, POP3, the SSH identification string) cut into
// lines across feed() calls: a line may arrive in several TCP segments and a
// segment may hold several lines followed by bytes of something else (the SSH
// binary packets after the banner, a TLS handshake after STARTTLS).
//
// A line ends with LF; a CR before it is dropped. Senders must use CRLF but
// receivers are asked to accept a bare LF (RFC 9112 2.2, RFC 5321 4.1.1.4 in
// practice), and what we read is only to be recognised, not validated.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/byte_reader.h"
#include "dpi/dissector.h"

namespace wiretop::dpi {

class LineSplitter {
 public:
  // `max_line`: bytes of a line kept; a longer line is cut there (the rest is
  // dropped up to its LF) and handed over with whole = false.
  explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

  // Calls `on_line(std::string_view line, bool whole)` for every line `data`
  // completes, in order, until it returns false. The view is valid during the
  // call only. Returns how many bytes of `data` were consumed: all of them, or
  // up to and including the LF of the line that stopped the reading.
  template <typename OnLine>
  std::size_t feed(core::Bytes data, OnLine on_line) {
    core::ByteReader in(data);
    while (const auto byte = in.u8()) {
      if (*byte != '\n') {
        if (partial_.size() < max_line_)
          partial_.push_back(static_cast<char>(*byte));
        else
          overlong_ = true;
        continue;
      }
      std::string_view line(partial_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      const bool whole = !overlong_;
      if (overlong_) ++overlong_lines_;
      const bool go_on = on_line(line, whole);
      partial_.clear();
      overlong_ = false;
      if (!go_on) break;
    }
    return in.position();
  }

  // Bytes of the line still waiting for its LF.
  std::size_t pending() const { return partial_.size(); }
  // How often a line was longer than max_line (the cap's counter).
  std::uint64_t overlong_lines() const { return overlong_lines_; }

 private:
  std::size_t max_line_;
  std::string partial_;
  bool overlong_ = false;
  std::uint64_t overlong_lines_ = 0;
};

// The shape shared by command/reply protocols (FTP, SMTP, IMAP, POP3): each
// direction cut into lines, and a direction's role (the server's replies or
// the client's commands) decided by content from its first line, so a flow
// whose client the tracker guessed wrong is still read. finish() ends the
// session (e.g. once TLS starts: the rest is no text), and so does reading
// `max_bytes` in all: a dissector that sees every packet must not read a
// misidentified bulk transfer byte by byte for its whole life.
class TextSession : public Session {
 public:
  TextSession(std::size_t max_line, std::uint64_t max_bytes)
      : sides_{Side{LineSplitter(max_line)}, Side{LineSplitter(max_line)}},
        bytes_left_(max_bytes) {}

  Progress feed(const Context& ctx, core::Bytes data) final {
    if (data.size() >= bytes_left_) {
      done_ = true;
      return Progress::Done;
    }
    bytes_left_ -= data.size();
    Side& side = sides_[ctx.dir == Direction::ToServer ? 0 : 1];
    side.lines.feed(data, [&](std::string_view line, bool) {
      if (side.role == Role::Unknown)
        side.role = is_server_line(line) ? Role::Server : Role::Client;
      if (side.role == Role::Server)
        on_server_line(ctx, line);
      else
        on_client_line(ctx, line);
      return !done_;
    });
    return done_ ? Progress::Done : Progress::More;
  }

 protected:
  // Whether a direction whose first line is `line` carries the server's replies.
  virtual bool is_server_line(std::string_view line) const = 0;
  virtual void on_client_line(const Context& ctx, std::string_view line) = 0;
  virtual void on_server_line(const Context& ctx, std::string_view line) = 0;
  void finish() { done_ = true; }

 private:
  enum class Role : std::uint8_t { Unknown, Client, Server };
  struct Side {
    LineSplitter lines;
    Role role = Role::Unknown;
  };
  Side sides_[2];
  std::uint64_t bytes_left_;
  bool done_ = false;
};

// Case-insensitive ASCII comparison (header names, commands and verbs).
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

inline bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// Whether `word` occurs in `text`, ASCII case ignored.
inline bool icontains(std::string_view text, std::string_view word) {
  if (word.size() > text.size()) return false;
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i)
    if (iequals(text.substr(i, word.size()), word)) return true;
  return false;
}

// `text` without leading and trailing spaces and tabs (OWS, RFC 9110 5.6.3).
inline std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Whether `start` (a stream's first bytes) begins with `prefix`, compared
// byte for byte; `partial` is set when `start` is shorter but agrees so far.
inline bool bytes_start_with(core::Bytes start, std::string_view prefix, bool& partial) {
  partial = false;
  const core::ByteReader r(start);
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const auto byte = r.peek_u8(i);
    if (!byte) {
      partial = true;
      return false;
    }
    if (*byte != static_cast<std::uint8_t>(prefix[i])) return false;
  }
  return true;
}

// The first line of `start` (without CR LF) as text, at most `max` bytes;
// `complete` tells whether its LF is within `start`.
inline std::string first_line(core::Bytes start, std::size_t max, bool& complete) {
  complete = false;
  std::string line;
  core::ByteReader r(start);
  while (const auto byte = r.u8()) {
    if (*byte == '\n') {
      complete = true;
      break;
    }
    if (line.size() == max) break;
    line.push_back(static_cast<char>(*byte));
  }
  if (complete && !line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace wiretop::dpi
