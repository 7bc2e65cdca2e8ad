#pragma once
// An alert (issue 10) as JSON: the JSON log's {"event":"alert",...} line and
// --json's {"kind":"alert",...} record share these keys (docs/json-schema.md).

#include <string>

#include "model/alert.h"

namespace wiretop::exporting {

enum class AlertJson { kRecord, kEvent };
// Appends the object, without a newline: "kind":"alert" and schema_version
// (kRecord, --json) or "event":"alert" (kEvent, the JSON log) first, then ts,
// rule, severity, message, id, client, server and, when known, server_name,
// app, pid, process.
void append_alert_json(std::string& out, const model::Alert& alert, AlertJson form);

}  // namespace wiretop::exporting
