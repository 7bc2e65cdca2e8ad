#pragma once
// The headless JSON record of one listening socket (docs/json-schema.md,
// "Listening sockets"): {"kind":"listen",...}, written once at the end of a
// live --json run, after the connection records.

#include <string>

#include "model/listener_row.h"

namespace wiretop::exporting {

// Appends one JSON object (no newline) describing `listener` to `out`.
void append_listener_json(std::string& out, const model::ListenerRow& listener);

}  // namespace wiretop::exporting
