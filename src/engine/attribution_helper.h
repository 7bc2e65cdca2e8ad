#pragma once
// The attribution helper process (issue 6): forked before capture starts, it
// runs the owner sources in a loop and sends one OwnerRecord per
// SOCK_SEQPACKET message to the main process. It never sees packet data and
// does only this: read /proc and netlink (and, with eBPF, its ring buffer),
// and write one socket — so a later seccomp/Landlock profile stays small. It
// exits when the main process goes away (PR_SET_PDEATHSIG, or EOF on the socket).

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "host/owner_record.h"
#include "host/owner_source.h"

namespace wiretop::engine {

struct HelperConfig {
  bool ebpf = true;          // false: --no-ebpf, only the fallbacks
  double refresh_s = 1.0;    // dump sources run this often
  std::string proc_root = "/proc";
};

// Exit codes of the helper, which the main process turns into a reason.
inline constexpr int kHelperNoSource = 3;   // no source could start
inline constexpr int kHelperSendFailed = 4; // the main process stopped reading

// The sources to run, best first: eBPF (when built and allowed), else netlink
// sock_diag, else /proc/net. A source that cannot start says why in `notes`.
std::vector<std::unique_ptr<host::OwnerSourceBase>> make_owner_sources(const HelperConfig& config,
                                                                       std::vector<std::string>& notes);

// Turns a dump source's full refreshes into changes: records new or changed
// since the last refresh, and an `ended` record for a socket missing from two
// refreshes in a row (one miss may be a dump that failed half-way).
class DumpDiff {
 public:
  void update(const std::vector<host::OwnerRecord>& full, std::vector<host::OwnerRecord>& changes);
  std::size_t size() const { return known_.size(); }

 private:
  struct Known {
    host::OwnerRecord rec;
    std::uint32_t generation = 0;
  };
  std::unordered_map<std::string, Known> known_;
  std::uint32_t generation_ = 0;
};

// The helper's main loop on socket `fd`; never returns.
[[noreturn]] void run_attribution_helper(int fd, const HelperConfig& config);

}  // namespace wiretop::engine
