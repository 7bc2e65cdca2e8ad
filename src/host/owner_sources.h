#pragma once
// The two attribution sources that work without eBPF (issue 6): a socket list
// each refresh (netlink sock_diag, else /proc/net) joined with the procfs
// socket inode -> pid map, and the owning process's details. Each collect()
// is a full refresh; the helper loop sends only what changed.

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "host/owner_source.h"
#include "host/procfs.h"
#include "host/sock_diag.h"

namespace wiretop::host {

// Turns socket entries into owner records: shared by both sources.
class SocketOwnerResolver {
 public:
  explicit SocketOwnerResolver(ProcPaths paths);
  void resolve(const std::vector<SocketEntry>& sockets, OwnerSource source,
               std::vector<OwnerRecord>& out);
  // The listeners among the sockets of the last resolve(), owned or not.
  const std::vector<ListenerRecord>& listeners() const { return listeners_; }

 private:
  SocketInodeMap inodes_;
  ProcessReader processes_;
  // Inodes a full rescan did not find (an owner in another pid namespace, a
  // socket being torn down): they do not trigger another full rescan.
  std::unordered_set<std::uint64_t> unowned_;
  std::vector<ListenerRecord> listeners_;
  int refreshes_ = 0;
};

// "sock_diag": one netlink dump per refresh.
class SockDiagSource : public OwnerSourceBase {
 public:
  // Null, with `error` set, when netlink sock_diag is not available.
  static std::unique_ptr<SockDiagSource> open(ProcPaths paths, std::string& error);
  std::string_view name() const override { return "sock_diag"; }
  void collect(std::vector<OwnerRecord>& out) override;
  bool listeners(std::vector<ListenerRecord>& out) const override;

 private:
  explicit SockDiagSource(ProcPaths paths) : resolver_(std::move(paths)) {}
  SockDiag diag_;
  SocketOwnerResolver resolver_;
  std::vector<SocketEntry> sockets_;
};

// "procfs": /proc/net/{tcp,udp}{,6} per refresh, the last resort.
class ProcNetSource : public OwnerSourceBase {
 public:
  explicit ProcNetSource(ProcPaths paths) : proc_(paths.proc), resolver_(std::move(paths)) {}
  std::string_view name() const override { return "procfs"; }
  void collect(std::vector<OwnerRecord>& out) override;
  bool listeners(std::vector<ListenerRecord>& out) const override;

 private:
  std::string proc_;
  SocketOwnerResolver resolver_;
};

}  // namespace wiretop::host
