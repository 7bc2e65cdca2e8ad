#pragma once
// The start-up seam where wiretop contains itself (architecture.md: open
// everything -> fork the helper -> sandbox -> run): after the engine has opened
// everything it will use (capture handle, helper process, outputs, read-only
// data) and before any packet is parsed or any thread started. The app calls
// contain() between Engine::open and Engine::run, and reads the sandbox's
// report types through this header.

#include <functional>
#include <optional>
#include <string>

#include "sandbox/sandbox.h"

namespace wiretop::engine {

// Test builds only (tests/support/sandbox_selftest.cpp): code run just before
// and just after the sandbox is applied, to probe it from inside.
struct SandboxHooks {
  std::function<void(sandbox::Policy&)> before;
  std::function<void(const sandbox::Report&)> after;
};
void set_sandbox_hooks(SandboxHooks hooks);

// What the command line asks of the sandbox, and the outputs it must leave writable.
struct ContainOptions {
  bool no_sandbox = false;
  bool strict = false;
  std::string user;
  std::string layers;  // tests: a subset of landlock,caps,nnp,seccomp
  std::string json_log, pcap_export, pcapng_export;
  std::string history;  // --history's database: its directory is left writable (-wal, -shm)
};

// What each layer could do on this machine (wiretop --check).
inline sandbox::Report probe_sandbox() { return sandbox::probe(); }

// Applies the sandbox the options ask for. Returns the report, or the one-line
// error that makes wiretop exit 2 (--sandbox-strict and a layer falls short,
// --user and the switch fails).
struct Contained {
  sandbox::Report report;
  std::string error;
};
Contained contain(const ContainOptions& options);

}  // namespace wiretop::engine
