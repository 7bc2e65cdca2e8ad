#include "tui/filter.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "tui/row_text.h"

namespace wiretop::tui {

enum class Field { kAny, kPort, kPid, kSrc, kDst, kSni, kHost, kProcess, kProto, kState, kApp, kCountry };

struct Filter::Term {
  Field field = Field::kAny;
  bool negate = false;
  std::string text;                  // substring (exact for proto, country, port, pid)
  std::unique_ptr<const RE2> regex;  // set for /regex/ values
};

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool contains_ci(std::string_view hay, std::string_view needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return lower(a) == lower(b); }) != hay.end();
}

bool equals_ci(std::string_view a, std::string_view b) {
  return a.size() == b.size() && contains_ci(a, b);
}

Field field_of(std::string_view key) {
  static constexpr std::pair<std::string_view, Field> kKeys[] = {
      {"port", Field::kPort},   {"pid", Field::kPid},         {"src", Field::kSrc},
      {"dst", Field::kDst},     {"sni", Field::kSni},         {"host", Field::kHost},
      {"process", Field::kProcess}, {"proto", Field::kProto}, {"state", Field::kState},
      {"app", Field::kApp},     {"country", Field::kCountry},
  };
  for (const auto& [name, field] : kKeys)
    if (name == key) return field;
  return Field::kAny;
}

// The texts a field's term is matched against (several for host: and free text).
std::vector<std::string> field_texts(const model::ConnectionRow& row, const RowText& t, Field field) {
  const dpi::AppInfo* app = row.app.get();
  switch (field) {
    case Field::kSrc: return {endpoint_text(row.client_ip, row.has_ports, row.client_port)};
    case Field::kDst: return {endpoint_text(row.server_ip, row.has_ports, row.server_port)};
    case Field::kSni: return {app ? app->sni : std::string()};
    case Field::kHost: {
      std::vector<std::string> names{row.server_name};
      if (app) {
        names.push_back(app->sni);
        names.push_back(app->http_host);
        for (const dpi::DnsQuery& q : app->dns_queries) names.push_back(q.name);
      }
      return names;
    }
    case Field::kProcess: return {row.process_name};
    case Field::kProto: return {t.proto};
    case Field::kState: return {t.state};
    case Field::kApp: return {t.app};
    case Field::kCountry: return {row.country};
    case Field::kPort:
      if (!row.has_ports) return {};
      return {std::to_string(row.client_port), std::to_string(row.server_port)};
    case Field::kPid: return {row.pid ? std::to_string(row.pid) : std::string()};
    case Field::kAny: break;
  }
  return {t.proto, t.local, t.remote, t.state, t.service, t.app, t.down, t.up, t.bytes, t.rtt, t.process,
          row.server_name, row.country};
}

bool text_matches(const Filter::Term& term, Field field, std::string_view text) {
  if (term.regex) return RE2::PartialMatch(text, *term.regex);
  if (field == Field::kProto || field == Field::kCountry || field == Field::kPort || field == Field::kPid)
    return equals_ci(text, term.text);
  return contains_ci(text, term.text);
}

bool term_matches(const Filter::Term& term, const model::ConnectionRow& row, const RowText& t) {
  for (const std::string& text : field_texts(row, t, term.field))
    if (!text.empty() && text_matches(term, term.field, text)) return true;
  return false;
}

// Splits off the next term at `pos`: up to a space, or for a /regex/ value up
// to its closing slash (spaces allowed inside).
std::string_view next_term(std::string_view filter, std::size_t& pos) {
  while (pos < filter.size() && filter[pos] == ' ') ++pos;
  const std::size_t start = pos;
  std::size_t value = start;
  if (value < filter.size() && filter[value] == '!') ++value;
  const std::size_t colon = filter.find(':', value);
  const std::size_t space = filter.find(' ', value);
  if (colon != std::string_view::npos && colon < space && field_of(filter.substr(value, colon - value)) != Field::kAny)
    value = colon + 1;
  if (value < filter.size() && filter[value] == '/') {
    const std::size_t close = filter.find('/', value + 1);
    pos = close == std::string_view::npos ? filter.size() : close + 1;
  } else {
    pos = std::min(filter.find(' ', start), filter.size());
  }
  return filter.substr(start, pos - start);
}

}  // namespace

Filter::Filter(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::string_view raw = next_term(text, pos);
    auto term = std::make_shared<Term>();
    term->negate = !raw.empty() && raw.front() == '!';
    if (term->negate) raw.remove_prefix(1);
    const std::size_t colon = raw.find(':');
    if (colon != std::string_view::npos && field_of(raw.substr(0, colon)) != Field::kAny) {
      term->field = field_of(raw.substr(0, colon));
      raw.remove_prefix(colon + 1);
    }
    if (raw.empty()) continue;  // "!" or "sni:" half-typed: filters nothing yet
    if (raw.front() == '/') {
      raw.remove_prefix(1);
      if (!raw.empty() && raw.back() == '/') raw.remove_suffix(1);
      if (raw.empty()) continue;
      RE2::Options options;
      options.set_case_sensitive(false);
      options.set_log_errors(false);  // RE2 would print to stderr, under the full-screen view
      auto regex = std::make_unique<const RE2>(re2::StringPiece(raw.data(), raw.size()), options);
      if (!regex->ok()) {
        if (error_.empty()) error_ = "bad regex /" + std::string(raw) + "/: " + regex->error();
        continue;
      }
      term->regex = std::move(regex);
    } else {
      term->text = std::string(raw);
    }
    terms_.push_back(std::move(term));
  }
}

bool Filter::matches(const model::ConnectionRow& row) const {
  if (terms_.empty()) return true;
  const RowText t = row_text(row);
  for (const auto& term : terms_)
    if (term_matches(*term, row, t) == term->negate) return false;
  return true;
}

bool row_matches_filter(const model::ConnectionRow& row, std::string_view filter) {
  return Filter(filter).matches(row);
}

}  // namespace wiretop::tui
