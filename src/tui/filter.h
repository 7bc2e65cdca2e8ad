#pragma once
// The Overview's filter language, compiled once per edit and matched per row,
// so it is unit-tested without a terminal. Whitespace separates terms; every
// term must match.
//   text          case-insensitive substring of any column
//   /regex/       RE2 regular expression (linear time; case-insensitive unless
//                 it starts with (?-i)) searched in every column
//   port:N        either port equals N
//   pid:N         the owning process id equals N
//   src:, dst:    the client / server endpoint (address:port)
//   sni:, host:   the TLS/QUIC server name / any server name (SNI, HTTP host,
//                 DNS names asked or learned)
//   process:      the owning process's name
//   proto:NAME    tcp, udp, icmp, icmpv6, ip (exact)
//   state:, app:, country:   the state, the DPI protocol and summary, the country code
//   !TERM         negates any of the above
// A keyword's value may itself be /regex/ (`sni:/\.example\.(com|org)$/`). A
// regex runs to its closing '/', spaces included; unclosed, to the end of the
// line (it applies while being typed). An invalid regex is reported by
// error() and its term is ignored, never a crash.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/connection_row.h"

namespace wiretop::tui {

class Filter {
 public:
  Filter() = default;
  explicit Filter(std::string_view text);

  bool matches(const model::ConnectionRow& row) const;
  bool empty() const { return terms_.empty(); }
  // Why a term was ignored (the first invalid regex), empty when none was.
  const std::string& error() const { return error_; }

  struct Term;

 private:
  std::vector<std::shared_ptr<const Term>> terms_;
  std::string error_;
};

// Compiles `filter` and matches one row: for tests and one-off checks.
bool row_matches_filter(const model::ConnectionRow& row, std::string_view filter);

}  // namespace wiretop::tui
