#pragma once
// The eBPF attribution source (issue 6): loads bpf/attribution.bpf.c (via its
// bpftool skeleton), attaches every hook this kernel allows — one refused
// program does not stop the others — to the cgroup v2 root found at run time,
// and turns ring-buffer events into OwnerRecords. Runs in the attribution
// helper process, which polls fd() and calls collect().

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/owner_source.h"
#include "host/procfs.h"

namespace wiretop::host {

struct EbpfHook {
  std::string name;  // the program's section: "tp_btf/inet_sock_set_state", "cgroup/connect4", ...
  bool loaded = false;
  bool attached = false;
  std::string why;  // when not attached: the kernel's or libbpf's reason
};

// Fills process details (full name, exe, cmdline, user, parents, container)
// of a record that has pid, uid and comm; leaves the comm when the process is
// already gone (the point of eBPF: it saw the short-lived one).
using OwnerEnricher = std::function<void(OwnerRecord&)>;

// The usual enricher: host/procfs's ProcessReader under `paths` (cached per pid).
OwnerEnricher process_details_from(ProcPaths paths);

struct EbpfOpenResult {
  std::unique_ptr<OwnerSourceBase> source;  // null: run the fallbacks
  std::string why;                          // one line when source is null
  std::vector<EbpfHook> hooks;              // what loaded and attached, and why not
};

// False when this build has no BPF program (no clang/bpftool/libbpf/BTF at build time).
bool ebpf_built();

// Loads and attaches. Null source (with the reason) without CAP_BPF+CAP_PERFMON
// (or root), without a cgroup v2 mount for the cgroup hooks and the TCP
// tracepoint both, or when nothing loads. Only sockets of the caller's network
// namespace are reported.
EbpfOpenResult open_ebpf_source(OwnerEnricher enrich = {});

}  // namespace wiretop::host
