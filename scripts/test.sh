#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite twice: on the
# release build and on the ASan+UBSan build. Then builds the libFuzzer targets
# and runs each one briefly on its seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

jobs=$(nproc)
echo "== release build and tests"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"

echo "== ASan + UBSan build and tests"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

if [ -f fuzz/run_smoke.sh ]; then
  echo "== fuzz smoke"
  bash fuzz/run_smoke.sh
fi
