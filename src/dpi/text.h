#pragma once
// Wire text as AppInfo keeps it, shared by every dissector: strings capped at
// AppInfo::kMaxText bytes with non-printable bytes replaced by '?', and lists
// of distinct values capped at AppInfo::kMaxListItems.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dpi/app_info.h"

namespace wiretop::dpi {

// `raw`: core::Bytes, std::string or std::string_view.
template <typename Range>
std::string printable(const Range& raw) {
  std::string text;
  for (const auto ch : raw) {
    if (text.size() == AppInfo::kMaxText) break;
    const auto byte = static_cast<std::uint8_t>(ch);
    text.push_back(byte < 0x20 || byte >= 0x7f ? '?' : static_cast<char>(byte));
  }
  return text;
}

// Appends `value` unless present or the list is full.
inline void add_distinct(std::vector<std::string>& list, std::string value) {
  if (list.size() >= AppInfo::kMaxListItems) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

}  // namespace wiretop::dpi
