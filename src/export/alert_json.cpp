#include "export/alert_json.h"

#include "core/timestamp.h"
#include "export/connection_json.h"
#include "export/json_writer.h"

namespace wiretop::exporting {

void append_alert_json(std::string& out, const model::Alert& alert, AlertJson form) {
  JsonWriter w(out);
  w.begin_object();
  if (form == AlertJson::kRecord) {
    w.field("kind", "alert");
    w.field("schema_version", std::uint64_t{kSchemaVersion});
  } else {
    w.field("event", "alert");
  }
  char ts[64];
  w.field("ts", std::string_view(ts, core::format_rfc3339(alert.ts, ts)));
  w.field("rule", alert.rule);
  w.field("severity", alert.severity);
  w.field("message", alert.message);
  w.field("id", alert.connection_id);
  w.field("client", alert.client);
  w.field("server", alert.server);
  if (!alert.server_name.empty()) w.field("server_name", alert.server_name);
  if (!alert.app.empty()) w.field("app_proto", alert.app);
  if (alert.pid != 0) w.field("pid", std::uint64_t{alert.pid});
  if (!alert.process.empty()) w.field("process", alert.process);
  w.end_object();
}

}  // namespace wiretop::exporting
