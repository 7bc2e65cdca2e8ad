#include "tui/filter.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "tui/row_text.h"

namespace wiretop::tui {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool contains_ci(std::string_view hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return lower(a) == lower(b); }) != hay.end();
}

bool equals_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && contains_ci(a, b);
}

bool port_matches(const model::ConnectionRow& row, std::string_view value) {
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
  if (ec != std::errc{} || end != value.data() + value.size()) return false;
  return row.has_ports && (row.client_port == port || row.server_port == port);
}

bool any_column_contains(const RowText& t, std::string_view value) {
  for (const std::string* column : {&t.proto, &t.local, &t.remote, &t.state, &t.service, &t.down, &t.up,
                                    &t.bytes, &t.rtt}) {
    if (contains_ci(*column, value)) return true;
  }
  return false;
}

bool term_matches(const model::ConnectionRow& row, const RowText& t, std::string_view term) {
  const auto colon = term.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view key = term.substr(0, colon);
    const std::string_view value = term.substr(colon + 1);
    if (key == "port") return port_matches(row, value);
    if (key == "src") return contains_ci(endpoint_text(row.client_ip, row.has_ports, row.client_port), value);
    if (key == "dst") return contains_ci(endpoint_text(row.server_ip, row.has_ports, row.server_port), value);
    if (key == "proto") return equals_ci(t.proto, value);
    if (key == "state") return contains_ci(t.state, value);
  }
  return any_column_contains(t, term);
}

}  // namespace

bool row_matches_filter(const model::ConnectionRow& row, std::string_view filter) {
  const RowText t = row_text(row);
  std::size_t pos = 0;
  while (pos < filter.size()) {
    if (filter[pos] == ' ') {
      ++pos;
      continue;
    }
    const std::size_t end = std::min(filter.find(' ', pos), filter.size());
    std::string_view term = filter.substr(pos, end - pos);
    pos = end;
    const bool negate = term.front() == '!';
    if (negate) term.remove_prefix(1);
    if (term.empty()) continue;  // a lone "!" while typing filters nothing yet
    if (term_matches(row, t, term) == negate) return false;
  }
  return true;
}

}  // namespace wiretop::tui
