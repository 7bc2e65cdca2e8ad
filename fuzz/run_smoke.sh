#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang 14, ASan+UBSan) and runs
# each for a short time on seeds taken from the shared captures. CI runs this;
# for a real fuzzing session raise FUZZ_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target fuzz_decode_packet fuzz_track
corpus=build/fuzz/corpus
shared=${WIRETOP_SHARED:-../shared}
if [ -d "$shared/pcaps" ]; then
  python3 fuzz/seeds_from_pcaps.py "$corpus" "$shared/pcaps" >/dev/null
else
  mkdir -p "$corpus/decode_packet" "$corpus/track"
fi
for target in decode_packet track; do
  mkdir -p "$corpus/$target.new"
  log=build/fuzz/fuzz_$target.log
  # crash-* reproducers land in build/fuzz (-artifact_prefix) for a failing run.
  if ! build/fuzz/fuzz/fuzz_$target -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix=build/fuzz/ "$corpus/$target.new" "$corpus/$target" >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz_$target: FAILED (reproducer in build/fuzz/)"
    exit 1
  fi
  runs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "fuzz_$target: ${seconds}s, ${runs:-?} inputs, no crash"
done
