#pragma once
// Where each alert goes (issue 10): the JSON log and syslog when asked for,
// and the running mode's own view (--json's stdout records, the TUI's Alerts
// tab, the plain table's stderr lines). Called serialised by the engine.

#include <functional>

#include "export/json_log.h"
#include "export/syslog_sink.h"
#include "model/alert.h"

namespace wiretop::app {

struct AlertOutputs {
  exporting::JsonLog* json_log = nullptr;
  exporting::SyslogSink* syslog = nullptr;
  std::function<void(const model::Alert&)> view;  // set by the mode before Engine::run

  void send(const model::Alert& alert) const {
    if (json_log) json_log->write_alert(alert);
    if (syslog) syslog->send(alert);
    if (view) view(alert);
  }
};

}  // namespace wiretop::app
