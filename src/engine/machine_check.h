#pragma once
// wiretop --check (issue 6): what each attribution source can do on this
// machine, and why not, probed by actually opening it (nothing is kept).

#include <string>
#include <vector>

namespace wiretop::engine {

struct CheckLine {
  std::string what;    // "ebpf", "ebpf cgroup/connect4", "sock_diag", "procfs", "privileges"
  bool ok = false;
  std::string detail;  // what works, or why not
};

// `ebpf` false: --no-ebpf, reported as off without loading anything.
std::vector<CheckLine> check_attribution(bool ebpf);

}  // namespace wiretop::engine
