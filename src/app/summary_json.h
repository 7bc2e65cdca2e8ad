#pragma once

#include <string>

#include "engine/summary.h"
#include "sandbox/sandbox.h"

namespace wiretop::app {

// The "kind":"summary" object printed on stderr at exit (docs/json-schema.md).
std::string summary_json(const engine::Summary& s, const std::string& source_key,
                         const std::string& source, const sandbox::Report& sandbox);

}  // namespace wiretop::app
