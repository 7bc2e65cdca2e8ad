#pragma once
// The Overview's filter language, as a pure function so it is unit-tested
// without a terminal. Whitespace separates terms; every term must match.
//   text        case-insensitive substring of any column
//   port:N      either port equals N
//   src:TEXT    the client endpoint (address:port) contains TEXT
//   dst:TEXT    the server endpoint contains TEXT
//   proto:NAME  tcp, udp, icmp, icmpv6, ip (exact)
//   state:TEXT  the state contains TEXT
//   !TERM       negates any of the above

#include <string_view>

#include "model/connection_row.h"

namespace wiretop::tui {

bool row_matches_filter(const model::ConnectionRow& row, std::string_view filter);

}  // namespace wiretop::tui
