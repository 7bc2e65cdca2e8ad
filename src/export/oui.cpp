#include "export/oui.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

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

// Jumps from one "(hex)" tag to the next instead of splitting every line: the
// file is mostly address and "(base 16)" lines that carry nothing we keep.
// `text` ends at a line boundary (or is the whole file).
void OuiRegistry::add_lines(std::string_view text) {
  constexpr std::string_view kTag = "(hex)";
  std::size_t at = 0;
  while (entries_.size() < kMaxEntries) {
    const std::size_t tag = text.find(kTag, at);
    if (tag == std::string_view::npos) break;
    const std::size_t newline = text.rfind('\n', tag);
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    const std::size_t eol = text.find('\n', tag);
    at = eol == std::string_view::npos ? text.size() : eol;
    const long oui = oui_of(text.substr(line_start, tag - line_start));
    if (oui < 0) continue;
    std::string_view vendor = trim(text.substr(tag + kTag.size(), at - tag - kTag.size()));
    if (vendor.size() > kMaxVendorLength) vendor = vendor.substr(0, kMaxVendorLength);
    if (vendor.empty()) continue;
    entries_.push_back({static_cast<std::uint32_t>(oui), static_cast<std::uint32_t>(names_.size()),
                        static_cast<std::uint32_t>(vendor.size())});
    for (char c : vendor) names_ += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
  }
}

void OuiRegistry::finish() {
  // Stable: of two lines for one OUI the first wins, as in the file's order.
  std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.oui < b.oui; });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry& a, const Entry& b) { return a.oui == b.oui; }),
                 entries_.end());
}

OuiRegistry OuiRegistry::parse(std::string_view text) {
  OuiRegistry out;
  out.add_lines(text);
  out.finish();
  return out;
}

// Streams the file through one 64 KiB buffer, handing over whole lines: the
// registry is 5 MB and reading it into one string cost more in page faults
// than the rest of a small capture's run.
OuiRegistry OuiRegistry::load(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rbe"), &std::fclose);
  if (!file) return {};
  OuiRegistry out;
  std::vector<char> buffer(kReadChunk);
  std::size_t kept = 0;  // bytes of an unfinished line carried to the front
  std::size_t total = 0;
  while (total < kMaxFileBytes) {
    const std::size_t got = std::fread(buffer.data() + kept, 1, buffer.size() - kept, file.get());
    total += got;
    const std::string_view text(buffer.data(), kept + got);
    const bool end = got == 0;
    const std::size_t last_newline = text.rfind('\n');
    // At the end, or when a "line" fills the buffer, take what there is.
    const std::size_t cut = end || last_newline == std::string_view::npos ? text.size() : last_newline + 1;
    out.add_lines(text.substr(0, cut));
    kept = text.size() - cut;
    std::memmove(buffer.data(), buffer.data() + cut, kept);
    if (end) break;
  }
  out.finish();
  return out;
}

std::string_view OuiRegistry::vendor(const std::array<std::uint8_t, 6>& mac) const {
  if (mac[0] & 0x02) return {};  // locally administered: not from the registry
  const std::uint32_t oui = static_cast<std::uint32_t>(mac[0]) << 16 | mac[1] << 8 | mac[2];
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), oui,
                                   [](const Entry& e, std::uint32_t key) { return e.oui < key; });
  if (it == entries_.end() || it->oui != oui) return {};
  return std::string_view(names_).substr(it->offset, it->length);
}

}  // namespace wiretop::exporting
