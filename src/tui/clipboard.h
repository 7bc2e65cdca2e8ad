#pragma once
// Copying to the user's clipboard through the terminal: the OSC 52 escape
// sequence (xterm's "Manipulate Selection Data"), which terminals honour over
// SSH and which needs nothing but stdout — it works inside the sandbox.

#include <string>
#include <string_view>

#include "model/connection_row.h"

namespace wiretop::tui {

// What `c` copies: the SNI (or other server name) when one is known, else the remote address.
std::string copy_text(const model::ConnectionRow& row);
// ESC ] 52 ; c ; base64(text) BEL
std::string osc52_sequence(std::string_view text);

}  // namespace wiretop::tui
