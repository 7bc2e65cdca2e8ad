#!/usr/bin/env bash
# Builds the libFuzzer targets (preset "fuzz": clang 14, ASan+UBSan) and runs
# each for a short time on seeds taken from the shared captures. CI runs this;
# for a real fuzzing session raise FUZZ_SECONDS (packet decoder, tracker and
# the whole packet path, 30 s each by default) and DPI_FUZZ_SECONDS (each of the fuzz_dpi_<name>
# targets, one per DPI dissector: 2 s each by default, about a minute in all).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
dpi_seconds=${DPI_FUZZ_SECONDS:-2}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target fuzz_decode_packet fuzz_track fuzz_packet_path fuzz_dpi
corpus=build/fuzz/corpus
shared=${WIRETOP_SHARED:-../shared}
if [ -d "$shared/pcaps" ]; then
  # Also writes dpi_<name> payload seeds when tshark is installed.
  python3 fuzz/seeds_from_pcaps.py "$corpus" "$shared/pcaps" >/dev/null
else
  mkdir -p "$corpus/decode_packet" "$corpus/track"
fi

# fuzz_<target> for <seconds> on $corpus/<target> and the optional extra seed
# directory (new inputs go to <target>.new).
run() {
  local target=$1 secs=$2 seeds=${3:-}
  mkdir -p "$corpus/$target" "$corpus/$target.new"
  local log=build/fuzz/fuzz_$target.log
  # crash-* reproducers land in build/fuzz (-artifact_prefix) for a failing run.
  if ! build/fuzz/fuzz/fuzz_$target -max_total_time="$secs" -print_final_stats=1 \
      -artifact_prefix=build/fuzz/ "$corpus/$target.new" "$corpus/$target" ${seeds:+"$seeds"} >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz_$target: FAILED (reproducer in build/fuzz/)"
    exit 1
  fi
  local runs
  runs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  echo "fuzz_$target: ${secs}s, ${runs:-?} inputs, no crash"
}

for target in decode_packet track; do
  run "$target" "$seconds"
done
# The whole path (decode, track, inspect, JSON) reads the tracker's input format and seeds.
run packet_path "$seconds" "$corpus/track"

# One target per registry entry (fuzz/CMakeLists.txt generates them from src/dpi/registry.cpp).
for bin in build/fuzz/fuzz/fuzz_dpi_*; do
  [ -x "$bin" ] || continue
  run "${bin##*/fuzz_}" "$dpi_seconds"
done
