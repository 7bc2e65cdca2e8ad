#pragma once
// The start-up seam where wiretop contains itself: after the engine has opened
// everything it will use (capture handle, helper process, outputs, read-only
// data) and before any packet is parsed or any thread started.

#include <functional>
#include <optional>
#include <string>

#include "app/options.h"
#include "sandbox/sandbox.h"

namespace wiretop::app {

// Test builds only (tests/support/sandbox_selftest.cpp): code run just before
// and just after the sandbox is applied, to probe it from inside.
struct SandboxHooks {
  std::function<void(sandbox::Policy&)> before;
  std::function<void(const sandbox::Report&)> after;
};
void set_sandbox_hooks(SandboxHooks hooks);

// Applies the sandbox the options ask for. Returns the report, or the one-line
// error that makes wiretop exit 2 (--sandbox-strict and a layer falls short,
// --user and the switch fails).
struct Contained {
  sandbox::Report report;
  std::string error;
};
Contained contain(const Options& options);

}  // namespace wiretop::app
