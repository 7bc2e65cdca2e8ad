#include "host/resolv_conf.h"

#include "host/proc_text.h"

namespace wiretop::host {
namespace {

constexpr std::size_t kMaxResolvConfBytes = 64 * 1024;  // a real one is a few hundred bytes

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<core::IpAddress> parse_nameservers(std::string_view text) {
  std::vector<core::IpAddress> out;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = trim(text.substr(0, eol));
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    constexpr std::string_view kKey = "nameserver";
    if (line.substr(0, kKey.size()) != kKey || line.size() == kKey.size()) continue;
    if (line[kKey.size()] != ' ' && line[kKey.size()] != '\t') continue;
    std::string_view value = trim(line.substr(kKey.size()));
    value = value.substr(0, value.find_first_of(" \t#;%"));
    if (const auto address = core::IpAddress::parse(value)) out.push_back(*address);
  }
  return out;
}

std::vector<core::IpAddress> read_nameservers(const std::string& path) {
  return parse_nameservers(read_text_file(path, kMaxResolvConfBytes).value_or(""));
}

}  // namespace wiretop::host
