#include "app/cli.h"

int main(int argc, char** argv) { return wiretop::app::run(argc, argv); }
