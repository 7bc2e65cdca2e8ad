// HTTP/1.x (message syntax RFC 9112, semantics RFC 9110), on any port
// (HTTP/2 with prior knowledge is http2.cpp).
//
// Each direction is read line by line (lines.h) until its first
// header block ends, so a request line or header split across TCP segments
// is still read. The first request gives the method, target, Host,
// User-Agent and Content-Type; the first final response the status and
// Content-Type. A direction whose first bytes are no start line (the capture
// began mid-message) is skipped line by line up to the next start line.
// Messages are told apart by content, not by direction, so a flow whose
// client the tracker guessed wrong is still read.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dpi/dissector.h"
#include "dpi/lines.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::Bytes;

// Methods recognised at a stream's start: RFC 9110 9.3, PATCH (RFC 5789) and
// WebDAV's (RFC 4918, REPORT RFC 3253, MKCALENDAR RFC 4791, SEARCH RFC 5323).
// Methods are case-sensitive (RFC 9110 9.1). "PRI" is absent on purpose: it
// starts the HTTP/2 preface, which kHttp2 claims.
constexpr std::string_view kMethods[] = {"GET",       "POST",    "HEAD",       "PUT",   "DELETE",
                                         "OPTIONS",   "CONNECT", "TRACE",      "PATCH", "PROPFIND",
                                         "PROPPATCH", "MKCOL",   "COPY",       "MOVE",  "LOCK",
                                         "UNLOCK",    "REPORT",  "MKCALENDAR", "SEARCH"};

// Servers refuse header lines over 8 KiB (Apache LimitRequestFieldSize, nginx
// large_client_header_buffers) and whole blocks a few times that; past these
// caps the message is given up rather than buffered.
constexpr std::size_t kMaxLine = 8 * 1024;
constexpr std::size_t kMaxHeaderBlock = 32 * 1024;

bool is_method(std::string_view token) {
  return std::find(std::begin(kMethods), std::end(kMethods), token) != std::end(kMethods);
}

// RFC 7617: the "Basic" scheme (case-insensitive) and its base64 credentials.
bool starts_with_basic(std::string_view value) {
  return value.size() > 6 && iequals(value.substr(0, 5), "Basic") && value[5] == ' ';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// HTTP-version for 1.x: "HTTP/1." DIGIT (RFC 9112 2.3).
bool is_http1_version(std::string_view version) {
  return version.size() == 8 && version.substr(0, 7) == "HTTP/1." && is_digit(version[7]);
}

struct RequestLine {
  std::string_view method, target;
};

// RFC 9112 3: method SP request-target SP HTTP-version. The target is what
// lies between the first and the last space (origin form, absolute form for
// proxies, authority form for CONNECT, or "*").
std::optional<RequestLine> parse_request_line(std::string_view line) {
  const auto first = line.find(' ');
  const auto last = line.rfind(' ');
  if (first == std::string_view::npos || last == first) return std::nullopt;
  const std::string_view method = line.substr(0, first);
  const std::string_view target = trimmed(line.substr(first + 1, last - first - 1));
  if (!is_method(method) || target.empty() || !is_http1_version(line.substr(last + 1)))
    return std::nullopt;
  return RequestLine{method, target};
}

// How far `text` agrees with a status line's fixed start "HTTP/1.D DDD"
// (RFC 9112 4): every present character must fit; 'D' is any digit.
bool fits_status_start(std::string_view text) {
  constexpr std::string_view kPattern = "HTTP/1.D DDD";
  for (std::size_t i = 0; i < std::min(text.size(), kPattern.size()); ++i) {
    if (kPattern[i] == 'D' ? !is_digit(text[i]) : text[i] != kPattern[i]) return false;
  }
  return true;
}

// RFC 9112 4: HTTP-version SP status-code SP [reason-phrase]. Some servers
// omit the last SP when there is no reason; that is accepted. -1: not one.
int parse_status_line(std::string_view line) {
  if (line.size() < 12 || !fits_status_start(line)) return -1;
  if (line.size() > 12 && line[12] != ' ') return -1;
  return (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
}

// A request line toward either side: Maybe while the bytes are a prefix of a
// method, Yes from "METHOD SP" on unless the line (or the start of its
// version) shows another protocol (RTSP, SIP, or a Redis inline "GET key").
Match probe_request(Bytes start, std::size_t probe_limit) {
  bool complete = false;
  const std::string line = first_line(start, probe_limit, complete);
  const auto space = line.find(' ');
  if (space == std::string::npos) {
    if (complete) return Match::No;
    const bool prefix =
        std::any_of(std::begin(kMethods), std::end(kMethods),
                    [&](std::string_view m) { return m.substr(0, line.size()) == line; });
    return prefix ? Match::Maybe : Match::No;
  }
  if (!is_method(std::string_view(line).substr(0, space))) return Match::No;
  if (complete) return parse_request_line(line) ? Match::Yes : Match::No;
  const std::string_view rest = std::string_view(line).substr(space + 1);
  if (const auto last = rest.rfind(' '); last != std::string_view::npos) {
    const std::string_view version = rest.substr(last + 1);
    if (std::string_view("HTTP/1.").substr(0, version.size()) != version.substr(0, 7))
      return Match::No;
  }
  return Match::Yes;
}

// A status line, for flows whose capture began after the request.
Match probe_response(Bytes start) {
  bool complete = false;
  const std::string line = first_line(start, 13, complete);
  if (!fits_status_start(line)) return Match::No;
  if (line.size() < 12) return complete ? Match::No : Match::Maybe;
  return parse_status_line(line) >= 0 ? Match::Yes : Match::No;
}

Match probe_http1(const FlowInfo&, Direction, Bytes start) {
  const Match request = probe_request(start, 2048);
  if (request != Match::No) return request;
  return probe_response(start);
}

class Http1Session final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    Side& side = sides_[ctx.dir == Direction::ToServer ? 0 : 1];
    if (side.phase != Phase::Finished) {
      side.lines.feed(data, [&](std::string_view line, bool whole) {
        return on_line(side, line, whole, ctx.out);
      });
    }
    const bool done = sides_[0].phase == Phase::Finished && sides_[1].phase == Phase::Finished;
    return done ? Progress::Done : Progress::More;
  }

 private:
  enum class Phase : std::uint8_t { StartLine, Headers, Finished };
  enum class Kind : std::uint8_t { Request, Response, Interim };
  struct Side {
    LineSplitter lines{kMaxLine};
    Phase phase = Phase::StartLine;
    Kind kind = Kind::Request;
    bool record = false;          // this message's fields go to AppInfo (the first of its kind)
    std::size_t block_bytes = 0;  // of the header block so far
  };

  // False stops reading this direction.
  bool on_line(Side& side, std::string_view line, bool whole, AppInfo& out) {
    if (side.phase == Phase::StartLine) {
      if (whole) start_message(side, line, out);
      return true;
    }
    side.block_bytes += line.size() + 2;
    if (!whole || side.block_bytes > kMaxHeaderBlock) {
      side.phase = Phase::Finished;  // given up: the next message cannot be found reliably
      return false;
    }
    if (line.empty()) {
      // RFC 9110 15.2: 1xx responses come before the final one (101 ends HTTP/1.x).
      side.phase = side.kind == Kind::Interim ? Phase::StartLine : Phase::Finished;
      return side.phase != Phase::Finished;
    }
    if (line.front() == ' ' || line.front() == '\t')
      return true;  // obs-fold (RFC 9112 5.2): ignored
    if (side.record) header_field(side.kind, line, out);
    return true;
  }

  // Lines that are no start line are skipped: a capture that began mid-message.
  void start_message(Side& side, std::string_view line, AppInfo& out) {
    if (const auto request = parse_request_line(line)) {
      side.kind = Kind::Request;
      side.record = !seen_request_;
      seen_request_ = true;
      if (side.record) {
        out.http_method = printable(request->method);
        out.http_path = printable(request->target);
      }
    } else if (const int status = parse_status_line(line); status >= 0) {
      const bool interim = status >= 100 && status < 200 && status != 101;
      side.kind = interim ? Kind::Interim : Kind::Response;
      side.record = !interim && !seen_response_;
      if (side.record) {
        seen_response_ = true;
        out.http_status = status;
      }
    } else {
      return;
    }
    side.phase = Phase::Headers;
    side.block_bytes = line.size() + 2;
  }

  // RFC 9112 5.1: field-name ":" OWS field-value OWS. The first Host counts.
  void header_field(Kind kind, std::string_view line, AppInfo& out) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trimmed(line.substr(colon + 1));
    const bool content_type = iequals(name, "Content-Type");
    if (kind == Kind::Response) {
      if (content_type) {
        out.http_content_type = printable(value);
        response_content_type_ = true;
      }
      return;
    }
    if (iequals(name, "Host") && out.http_host.empty()) {
      out.http_host = printable(value);
    } else if (iequals(name, "User-Agent") && out.http_user_agent.empty()) {
      out.http_user_agent = printable(value);
    } else if ((iequals(name, "Authorization") || iequals(name, "Proxy-Authorization")) &&
               starts_with_basic(value)) {
      out.cleartext_auth = "http_basic";  // base64 of user:password, which is not kept
    } else if (content_type && !response_content_type_ && out.http_content_type.empty()) {
      out.http_content_type = printable(value);  // until a response names its own
    }
  }

  Side sides_[2];
  bool seen_request_ = false;
  bool seen_response_ = false;
  bool response_content_type_ = false;
};

std::unique_ptr<Session> make_http1_session() {
  return std::make_unique<Http1Session>();
}

}  // namespace

extern const Dissector kHttp{"HTTP", kTcp,        {80, 8080, 8000, 3128},
                             false,  probe_http1, make_http1_session};

}  // namespace wiretop::dpi
