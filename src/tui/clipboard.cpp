#include "tui/clipboard.h"

#include <cstdint>

#include "tui/row_text.h"

namespace wiretop::tui {
namespace {

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = static_cast<std::uint8_t>(in[i]) << 16 | static_cast<std::uint8_t>(in[i + 1]) << 8 |
                            static_cast<std::uint8_t>(in[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(v >> shift) & 63]);
  }
  const std::size_t rest = in.size() - i;
  if (rest) {
    std::uint32_t v = static_cast<std::uint32_t>(static_cast<std::uint8_t>(in[i])) << 16;
    if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(in[i + 1])) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

std::string copy_text(const model::ConnectionRow& row) {
  if (row.app && !row.app->sni.empty()) return row.app->sni;
  if (!row.server_name.empty() && !server_is_local(row)) return row.server_name;
  return server_is_local(row) ? endpoint_text(row.client_ip, false, 0) : endpoint_text(row.server_ip, false, 0);
}

std::string osc52_sequence(std::string_view text) {
  return "\x1b]52;c;" + base64(text) + "\x07";
}

}  // namespace wiretop::tui
