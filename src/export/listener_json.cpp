#include "export/listener_json.h"

#include "export/connection_json.h"
#include "export/json_writer.h"

namespace wiretop::exporting {

void append_listener_json(std::string& out, const model::ListenerRow& l) {
  JsonWriter w(out);
  w.begin_object();
  w.field("kind", "listen");
  w.field("schema_version", std::uint64_t{kSchemaVersion});
  w.field("proto", l.ip_proto == 6 ? "tcp" : "udp");
  w.field("local_ip", l.local_ip.to_string());
  w.field("local_port", std::uint64_t{l.local_port});
  // An owner in another pid namespace (or one that just exited) is unknown: null, not "".
  if (l.pid != 0) {
    w.field("process", l.process);
    w.field("pid", std::uint64_t{l.pid});
  } else {
    w.field_null("process");
    w.field_null("pid");
  }
  if (!l.user.empty()) w.field("user", l.user);
  else w.field_null("user");
  w.field("uid", std::uint64_t{l.uid});
  w.field_bool("exposed", l.exposed);
  w.field("connections", l.connections);
  w.end_object();
}

}  // namespace wiretop::exporting
