#pragma once

namespace wiretop::app {

// Parses the command line, runs wiretop, returns the process exit code.
int run(int argc, char** argv);

}  // namespace wiretop::app
