#pragma once
// Which capabilities this process holds (effective set), for deciding which
// attribution source can run and for wiretop --check (issue 6).

#include <string>

namespace wiretop::host {

// True when capability number `cap` (linux/capability.h) is in the effective set.
bool has_capability(unsigned cap);

// The capabilities attribution and capture care about that are effective now,
// as "cap_net_raw,cap_bpf,..." ("none" when none).
std::string attribution_capabilities();

}  // namespace wiretop::host
