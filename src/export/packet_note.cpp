#include "export/packet_note.h"

namespace wiretop::exporting {
namespace {

// Names come from the wire or /proc: keep the comment on one printable line.
void append_clean(std::string& out, std::string_view s) {
  constexpr std::size_t kMaxValue = 255;
  for (std::size_t i = 0; i < s.size() && i < kMaxValue; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    out.push_back(c > 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
}

void append_pair(std::string& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  out += ' ';
  out += key;
  out += '=';
  append_clean(out, value);
}

}  // namespace

std::string packet_comment(const PacketNote& note) {
  std::string out = "wiretop";
  if (note.connection_id == 0) return out + " no-connection";
  out += " conn=" + std::to_string(note.connection_id);
  out += note.direction == 0 ? " dir=c2s" : " dir=s2c";
  if (note.pid != 0) out += " pid=" + std::to_string(note.pid);
  append_pair(out, "process", note.process_name);
  append_pair(out, "app", note.app);
  append_pair(out, "sni", note.sni);
  append_pair(out, "host", note.http_host);
  return out;
}

}  // namespace wiretop::exporting
