#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite twice: on the
# release build and on the ASan+UBSan build. Then builds the libFuzzer targets
# and runs each one briefly on its seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

jobs=$(nproc)
passed=0
# Runs one ctest preset, echoing its output, and adds its passed tests to the total.
run_suite() {
  local log
  log=$(mktemp)
  ctest --preset "$1" -j "$jobs" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local total
  total=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -n 1)
  rm -f "$log"
  [ "$status" -eq 0 ] || exit "$status"
  passed=$((passed + ${total:-0}))
}

echo "== release build and tests"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
run_suite release

echo "== ASan + UBSan build and tests"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
run_suite asan

echo "== fuzz smoke"
fuzz_log=$(mktemp)
bash fuzz/run_smoke.sh | tee "$fuzz_log"
passed=$((passed + $(grep -c ', no crash$' "$fuzz_log")))
rm -f "$fuzz_log"

echo "tests: $passed passed, 0 failed"
