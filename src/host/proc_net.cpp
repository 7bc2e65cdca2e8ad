// /proc/net/{tcp,udp}{,6}: the kernel's socket tables as text, read only when
// sock_diag netlink is unavailable. A line is
//   sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
// with addresses as hex 32-bit words in host byte order followed by ":PORT" in hex.
#include <cstring>

#include "host/proc_text.h"
#include "host/procfs.h"

namespace wiretop::host {
namespace {

constexpr std::size_t kMaxProcNetBytes = 64u << 20;

// "0100007F:1F90" -> address bytes and port.
bool parse_endpoint(std::string_view text, std::uint8_t family, std::array<std::uint8_t, 16>& ip,
                    std::uint16_t& port) {
  const auto colon = text.find(':');
  const std::size_t words = family == 4 ? 1 : 4;
  if (colon != words * 8) return false;
  for (std::size_t w = 0; w < words; ++w) {
    const auto word = parse_hex(text.substr(w * 8, 8));
    if (!word) return false;
    // Each 32-bit word was printed from memory in host order: on a
    // little-endian host its bytes come out reversed.
    const auto v = static_cast<std::uint32_t>(*word);
    std::uint8_t bytes[4];
    std::memcpy(bytes, &v, 4);
    for (std::size_t i = 0; i < 4; ++i) ip[w * 4 + i] = bytes[i];
  }
  const auto p = parse_hex(text.substr(colon + 1));
  if (!p || *p > 0xffff) return false;
  port = static_cast<std::uint16_t>(*p);
  return true;
}

std::string_view next_token(std::string_view& rest) {
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const auto sp = rest.find(' ');
  const std::string_view tok = rest.substr(0, sp);
  rest.remove_prefix(sp == std::string_view::npos ? rest.size() : sp);
  return tok;
}

}  // namespace

void parse_proc_net(std::string_view text, std::uint8_t ip_proto, std::uint8_t family,
                    std::vector<SocketEntry>& out) {
  bool header = true;
  for_each_line(text, [&](std::string_view line) {
    if (header) {
      header = false;
      return;
    }
    std::string_view rest = line;
    std::string_view tok[10];
    for (auto& t : tok) t = next_token(rest);
    SocketEntry e;
    e.ip_proto = ip_proto;
    e.family = family;
    const auto state = parse_hex(tok[3]);
    const auto uid = parse_decimal(tok[7]);
    const auto inode = parse_decimal(tok[9]);
    if (!parse_endpoint(tok[1], family, e.local_ip, e.local_port) ||
        !parse_endpoint(tok[2], family, e.remote_ip, e.remote_port) || !state || *state > 0xff ||
        !uid || *uid > 0xffffffffu || !inode)
      return;
    e.state = static_cast<std::uint8_t>(*state);
    e.uid = static_cast<std::uint32_t>(*uid);
    e.inode = *inode;
    unmap_v4(e);
    out.push_back(e);
  });
}

std::vector<SocketEntry> read_proc_net(const std::string& proc_root) {
  std::vector<SocketEntry> out;
  static constexpr struct {
    const char* file;
    std::uint8_t proto, family;
  } kFiles[] = {{"tcp", 6, 4}, {"tcp6", 6, 6}, {"udp", 17, 4}, {"udp6", 17, 6}};
  for (const auto& f : kFiles) {
    const auto text = read_text_file(proc_root + "/net/" + f.file, kMaxProcNetBytes);
    if (text) parse_proc_net(*text, f.proto, f.family, out);
  }
  return out;
}

}  // namespace wiretop::host
