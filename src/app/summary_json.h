#pragma once

#include <string>

#include "engine/containment.h"
#include "engine/summary.h"

namespace wiretop::app {

// The "kind":"summary" object printed on stderr at exit (docs/json-schema.md).
std::string summary_json(const engine::Summary& s, const std::string& source_key,
                         const std::string& source, const sandbox::Report& sandbox);

}  // namespace wiretop::app
