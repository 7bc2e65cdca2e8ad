#pragma once
// One way of finding socket owners, run inside the attribution helper process:
// eBPF (host/bpf/, events as they happen), sock_diag + procfs (a dump per
// refresh), /proc/net (last resort). The helper's loop polls every source's
// fd (when it has one) and calls collect() at least once per refresh
// interval; records go to the main process (owner_record.h).

#include <string>
#include <string_view>
#include <vector>

#include "host/listener_record.h"
#include "host/owner_record.h"

namespace wiretop::host {

class OwnerSourceBase {
 public:
  virtual ~OwnerSourceBase() = default;
  // "ebpf", "sock_diag", "procfs": also OwnerRecord::source.
  virtual std::string_view name() const = 0;
  // Appends what was observed since the last call: event sources their queued
  // events, dump sources a full refresh (the main side keeps the newest).
  virtual void collect(std::vector<OwnerRecord>& out) = 0;
  // A descriptor that becomes readable when events wait (eBPF ring buffer), or -1.
  virtual int fd() const { return -1; }
  // The listening sockets (TCP LISTEN, bound unconnected UDP) the last
  // collect() saw, with their owners; false for a source that cannot list them (eBPF).
  virtual bool listeners(std::vector<ListenerRecord>& out) const {
    (void)out;
    return false;
  }
};

}  // namespace wiretop::host
