#pragma once
// wiretop --check: one line per attribution source (eBPF per hook, sock_diag,
// procfs) and per sandbox layer, saying what it can do here and why not.

#include "app/options.h"

namespace wiretop::app {

// Prints the report on stdout; always exit code 0 (it is a report, not a test).
int run_machine_check(const Options& options);

}  // namespace wiretop::app
