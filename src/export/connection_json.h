#pragma once
// The headless JSON contract (docs/json-schema.md): one connection per line.

#include <string>

#include "export/service_names.h"
#include "model/connection_row.h"

namespace wiretop::exporting {

inline constexpr int kSchemaVersion = 1;

// Appends one JSON object (no newline) describing `row` to `out`.
void append_connection_json(std::string& out, const model::ConnectionRow& row,
                            const ServiceNames& names);

}  // namespace wiretop::exporting
