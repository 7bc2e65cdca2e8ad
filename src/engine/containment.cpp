#include "engine/containment.h"

#include <cstdio>
#include <sstream>

#include "export/history_store.h"
#include "export/json_log.h"
#include "export/outputs.h"

namespace wiretop::engine {
namespace {

SandboxHooks& hooks() {
  static SandboxHooks installed;
  return installed;
}

// --sandbox-layers: a comma-separated subset of landlock, caps, nnp, seccomp (tests switch
// the others off to prove one layer at a time).
void select_layers(sandbox::Policy& policy, const std::string& list) {
  policy.landlock = policy.capabilities = policy.no_new_privs = policy.seccomp = false;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "landlock") policy.landlock = true;
    if (item == "caps") policy.capabilities = true;
    if (item == "nnp") policy.no_new_privs = true;
    if (item == "seccomp") policy.seccomp = true;
  }
}

}  // namespace

void set_sandbox_hooks(SandboxHooks h) { hooks() = std::move(h); }

Contained contain(const ContainOptions& o) {
  Contained out;
  if (o.no_sandbox) {
    std::fprintf(stderr, "wiretop: warning: --no-sandbox: parsing network data with every privilege this process has\n");
    for (const char* name : {"landlock", "capabilities", "no_new_privs", "seccomp"})
      out.report.layers.push_back({name, sandbox::LayerState::kOff, "--no-sandbox"});
    return out;
  }
  sandbox::Policy policy;
  policy.read_paths = sandbox::default_read_paths();
  // The JSON log is open already; rotation renames and creates files beside it.
  if (!o.json_log.empty()) {
    policy.write_paths.push_back(o.json_log);
    policy.write_dirs.push_back(exporting::JsonLog::directory_of(o.json_log));
  }
  // SQLite's write-ahead log and shared-memory index live beside the database
  // (open already); the directory lets SQLite remove them when it closes.
  if (!o.history.empty()) policy.write_dirs.push_back(exporting::HistoryStore::directory_of(o.history));
  for (std::string& path : exporting::output_paths(o.pcap_export, o.pcapng_export))
    policy.write_paths.push_back(std::move(path));
  policy.strict = o.strict;
  policy.user = o.user;
  if (!o.layers.empty()) select_layers(policy, o.layers);
  if (hooks().before) hooks().before(policy);
  out.report = sandbox::apply(policy);
  const sandbox::LayerReport* user = out.report.layer("user");
  if (!o.user.empty() && user && user->state != sandbox::LayerState::kApplied) {
    out.error = "--user: " + user->detail;
    return out;
  }
  for (const sandbox::LayerReport& l : out.report.layers) {
    if (o.strict && (l.state == sandbox::LayerState::kPartial || l.state == sandbox::LayerState::kUnavailable)) {
      out.error = "--sandbox-strict: " + l.name + " is " + sandbox::state_name(l.state) + ": " + l.detail +
                  " (run without --sandbox-strict to continue with what this kernel allows)";
      return out;
    }
    if (l.state == sandbox::LayerState::kUnavailable)
      std::fprintf(stderr, "wiretop: warning: sandbox layer %s unavailable: %s\n", l.name.c_str(), l.detail.c_str());
  }
  if (hooks().after) hooks().after(out.report);
  return out;
}

}  // namespace wiretop::engine
