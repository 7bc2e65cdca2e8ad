#pragma once
// The sandbox's layers, one file each, composed by sandbox.cpp in this order:
// user switch, Landlock, capabilities, no_new_privs, seccomp.

#include <cstdint>
#include <string>

#include "sandbox/sandbox.h"

namespace wiretop::sandbox {

LayerReport apply_landlock(const Policy& policy, int abi);
LayerReport switch_user(const std::string& name);
LayerReport drop_capabilities();
// Keeps only CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (when held).
LayerReport keep_proc_reading_capabilities();
LayerReport set_no_new_privs();
// `helper`: also bpf() (the attribution helper's maps and ring buffer).
LayerReport apply_seccomp(bool strict, bool helper = false);

// Threads of this process now (from /proc/self/status), 0 when unknown.
int thread_count();

}  // namespace wiretop::sandbox
