#pragma once
// Small readers for the kernel's text files (/proc, /etc), shared by the
// procfs and sock_diag sources: bounded reads, decimal and hex numbers, lines.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wiretop::host {

// The file's first `cap` bytes; none when it cannot be opened.
std::optional<std::string> read_text_file(const std::string& path, std::size_t cap);
// A symlink's target; none when it is not a readable link.
std::optional<std::string> read_link(const std::string& path);

// Decimal digits only (no sign, no spaces), at most 20 of them.
std::optional<std::uint64_t> parse_decimal(std::string_view text);
// Hex digits only, at most 16 of them.
std::optional<std::uint64_t> parse_hex(std::string_view text);

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    f(text.substr(pos, end - pos));
    pos = end + 1;
  }
}

}  // namespace wiretop::host
