// SSDP (UPnP Device Architecture 2.0 section 1; draft-cai-ssdp-v1): HTTP-like
// text over UDP. Searches (M-SEARCH), announcements (NOTIFY) and unicast
// search responses (HTTP/1.1 200 OK) name the searched or announced type
// (ST or NT header), the unique service name (USN) and the device's SERVER.
#include <cstdint>
#include <string_view>

#include "dpi/dissector.h"
#include "dpi/lines.h"
#include "dpi/text.h"

namespace wiretop::dpi {
namespace {

using core::Bytes;

constexpr std::string_view kSearch = "M-SEARCH * HTTP/1.1";
constexpr std::string_view kNotify = "NOTIFY * HTTP/1.1";
constexpr std::string_view kResponse = "HTTP/1.1 200 OK";
constexpr std::size_t kMaxLine = 1024;   // longer header lines are cut (and their value ignored)
constexpr std::size_t kMaxHeaders = 64;  // a real message has about ten

enum class Kind : std::uint8_t { None, Search, Notify, Response };

// Calls on_header(name, value) for each whole "Name: value" line after the
// start line, up to the empty line, the end of the datagram or kMaxHeaders
// lines. Returns the kind of message the start line announces.
template <typename OnHeader>
Kind for_each_header(Bytes datagram, OnHeader on_header) {
  LineSplitter lines(kMaxLine);
  Kind kind = Kind::None;
  std::size_t count = 0;
  lines.feed(datagram, [&](std::string_view line, bool whole) {
    if (count++ == 0) {
      kind = line == kSearch ? Kind::Search : line == kNotify ? Kind::Notify
           : line == kResponse ? Kind::Response : Kind::None;
      return kind != Kind::None;
    }
    if (trimmed(line).empty() || count > kMaxHeaders) return false;
    const std::size_t colon = line.find(':');
    if (whole && colon != std::string_view::npos)
      on_header(trimmed(line.substr(0, colon)), trimmed(line.substr(colon + 1)));
    return true;
  });
  return kind;
}

// A search response is an HTTP response over UDP: it is SSDP only when it
// answers a search, i.e. carries ST and USN.
bool is_ssdp(Bytes datagram) {
  bool st = false, usn = false;
  const Kind kind = for_each_header(datagram, [&](std::string_view name, std::string_view) {
    st = st || iequals(name, "ST");
    usn = usn || iequals(name, "USN");
  });
  return kind == Kind::Search || kind == Kind::Notify || (kind == Kind::Response && st && usn);
}

void keep_first(std::string& field, std::string_view value) {
  if (field.empty() && !value.empty()) field = printable(value);
}

// Every datagram of the flow adds what is still missing: a search names only
// ST, the responses add USN and SERVER.
class SsdpSession final : public Session {
 public:
  Progress feed(const Context& ctx, Bytes data) override {
    if (!is_ssdp(data)) return Progress::More;
    AppInfo& out = ctx.out;
    for_each_header(data, [&out](std::string_view name, std::string_view value) {
      if (iequals(name, "ST") || iequals(name, "NT")) keep_first(out.ssdp_st, value);
      else if (iequals(name, "USN")) keep_first(out.ssdp_usn, value);
      else if (iequals(name, "SERVER")) keep_first(out.ssdp_server, value);
    });
    const bool complete = !out.ssdp_st.empty() && !out.ssdp_usn.empty() && !out.ssdp_server.empty();
    return complete ? Progress::Done : Progress::More;
  }
};

Match probe(const FlowInfo&, Direction, Bytes start) {
  return is_ssdp(start) ? Match::Yes : Match::No;
}

std::unique_ptr<Session> make_session() { return std::make_unique<SsdpSession>(); }

}  // namespace

extern const Dissector kSsdp{"SSDP", kUdp, {1900}, false, probe, make_session};

}  // namespace wiretop::dpi
