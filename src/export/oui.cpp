#include "export/oui.h"

#include <fstream>
#include <sstream>

namespace wiretop::exporting {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// "00-22-72" → 0x002272, or -1.
long oui_of(std::string_view s) {
  if (s.size() < 8 || s[2] != '-' || s[5] != '-') return -1;
  long v = 0;
  for (std::size_t i : {0, 1, 3, 4, 6, 7}) {
    const int d = hex_digit(s[i]);
    if (d < 0) return -1;
    v = v << 4 | d;
  }
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

OuiRegistry OuiRegistry::parse(std::string_view text) {
  OuiRegistry out;
  while (!text.empty() && out.vendors_.size() < kMaxEntries) {
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    const long oui = oui_of(line);
    const std::size_t tag = line.find("(hex)");
    if (oui < 0 || tag == std::string_view::npos) continue;
    std::string_view vendor = trim(line.substr(tag + 5));
    if (vendor.size() > kMaxVendorLength) vendor = vendor.substr(0, kMaxVendorLength);
    std::string clean;
    for (char c : vendor) clean += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
    if (!clean.empty()) out.vendors_.emplace(static_cast<std::uint32_t>(oui), std::move(clean));
  }
  return out;
}

OuiRegistry OuiRegistry::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

std::string_view OuiRegistry::vendor(const std::array<std::uint8_t, 6>& mac) const {
  if (mac[0] & 0x02) return {};  // locally administered: not from the registry
  const std::uint32_t oui = static_cast<std::uint32_t>(mac[0]) << 16 | mac[1] << 8 | mac[2];
  const auto it = vendors_.find(oui);
  return it == vendors_.end() ? std::string_view{} : std::string_view(it->second);
}

}  // namespace wiretop::exporting
