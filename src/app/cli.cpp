#include "app/cli.h"

namespace wiretop::app {
int run(int, char**) { return 0; }
}  // namespace wiretop::app
