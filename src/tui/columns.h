#pragma once
// The Overview table's columns: which are shown at the terminal's width and
// how wide each is, and one row laid out in them. Pure text, no ncurses, so
// the layout is unit-tested.

#include <array>
#include <cstddef>
#include <string>

#include "tui/row_text.h"

namespace wiretop::tui {

enum class Column { kProto, kLocal, kRemote, kState, kService, kApp, kDown, kUp, kBytes, kRtt, kProcess };
inline constexpr std::size_t kColumnCount = 11;

struct Layout {
  std::array<std::size_t, kColumnCount> width{};  // 0: column hidden
};

// Widths for a `cols`-wide terminal: every column at its minimum, the rest
// shared by local, remote, application and process; narrow terminals drop
// process, then service, RTT, local and bytes.
Layout layout_for(std::size_t cols);
std::string header_text(const Layout& layout);
// One row; `remote` is what the REMOTE column shows (an address or a name).
std::string row_line(const Layout& layout, const RowText& text, const std::string& remote);

}  // namespace wiretop::tui
