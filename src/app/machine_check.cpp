#include "app/machine_check.h"

#include <cstdio>
#include <string>

#include "engine/containment.h"
#include "engine/machine_check.h"

namespace wiretop::app {
namespace {

void print_line(const std::string& what, const char* state, const std::string& detail) {
  std::printf("%-44s %-8s %s\n", what.c_str(), state, detail.c_str());
}

// A probe reports availability: "applied" would claim more than it did.
const char* availability(sandbox::LayerState state) {
  switch (state) {
    case sandbox::LayerState::kApplied: return "yes";
    case sandbox::LayerState::kPartial: return "partial";
    default: return "no";
  }
}

}  // namespace

int run_machine_check(const Options& options) {
  for (const auto& line : engine::check_attribution(!options.no_ebpf)) {
    print_line("attribution " + line.what, line.ok ? "yes" : "no", line.detail);
  }
  for (const auto& layer : engine::probe_sandbox().layers) {
    print_line("sandbox " + layer.name, availability(layer.state), layer.detail);
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace wiretop::app
