#pragma once
// The `app` object of a connection record (docs/json-schema.md): what deep
// packet inspection found. Empty strings, empty lists and -1 numbers are left out.

#include "export/json_writer.h"
#include "model/connection_row.h"  // dpi::AppInfo, as rows carry it

namespace wiretop::exporting {

void write_app_object(JsonWriter& w, const dpi::AppInfo& app);

}  // namespace wiretop::exporting
