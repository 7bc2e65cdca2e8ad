#!/usr/bin/env bash
# Replay benchmark: how fast wiretop, ndpiReader and tshark get through the same capture.
#
#   bench/replay.sh [--write-results] [CAPTURE]
#
# Without CAPTURE, uses bench/data/replay.pcap, generating it first (1,000,000 packets,
# 60,000 flows) with wiretop_gen_capture when it is missing or older than the generator.
# Each tool runs RUNS times (default 3) on the file; the best wall time counts.
# --write-results rewrites bench/RESULTS.md with the machine, the commands and the table.
#
# Environment: BUILD_DIR (default build/release), WIRETOP (default $BUILD_DIR/wiretop),
# GEN (default $BUILD_DIR/bench/wiretop_gen_capture), RUNS (default 3).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

die() {
  echo "replay.sh: $*" >&2
  exit 2
}

write_results=0
capture=""
for arg in "$@"; do
  case "$arg" in
    --write-results) write_results=1 ;;
    -h | --help)
      sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) die "unknown option '$arg' (see --help)" ;;
    *)
      [ -z "$capture" ] || die "one capture at most"
      capture=$arg
      ;;
  esac
done

build_dir=${BUILD_DIR:-build/release}
wiretop=${WIRETOP:-$build_dir/wiretop}
gen=${GEN:-$build_dir/bench/wiretop_gen_capture}
runs=${RUNS:-3}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$runs'"
gen_args=(--packets 1000000 --flows 60000)

if [ -z "$capture" ]; then
  capture=bench/data/replay.pcap
  if [ ! -x "$gen" ]; then
    echo "replay.sh: building wiretop_gen_capture in $build_dir" >&2
    command -v cmake > /dev/null || die "cmake not found (run scripts/install-deps.sh)"
    if [ ! -f "$build_dir/build.ninja" ]; then
      cmake --preset release -B "$build_dir" > /dev/null || die "cmake configure failed"
    fi
    ninja -C "$build_dir" wiretop_gen_capture > /dev/null || die "building the generator failed"
  fi
  if [ ! -f "$capture" ] || [ "$gen" -nt "$capture" ]; then
    mkdir -p "$(dirname "$capture")"
    "$gen" "$capture" "${gen_args[@]}" || die "the generator failed"
  fi
fi
[ -r "$capture" ] || die "cannot read capture '$capture'"

count_packets() {
  if command -v capinfos > /dev/null; then
    capinfos -c -M "$1" 2> /dev/null | awk -F: '/Number of packets/ {gsub(/[^0-9]/, "", $2); print $2; exit}'
  else
    tshark -r "$1" -T fields -e frame.number 2> /dev/null | wc -l
  fi
}
packets=$(count_packets "$capture")
[[ "$packets" =~ ^[0-9]+$ ]] && [ "$packets" -gt 0 ] || die "could not count packets in $capture"

# Prints the best wall time of `runs` runs of the command, or "failed" (with the
# command's first line of errors on stderr) if any run fails.
best_time() {
  local best="" start end elapsed errors
  errors=$(mktemp)
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s.%N)
    if ! "$@" > /dev/null 2> "$errors"; then
      echo "  $(basename "$1") exited with an error: $(head -c 300 "$errors" | head -n 1)" >&2
      rm -f "$errors"
      echo failed
      return
    fi
    end=$(date +%s.%N)
    elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
    if [ -z "$best" ] || awk -v a="$elapsed" -v b="$best" 'BEGIN {exit !(a < b)}'; then
      best=$elapsed
    fi
  done
  rm -f "$errors"
  echo "$best"
}

tools=(wiretop ndpiReader tshark)
declare -A cmd_text times
cmd_text[wiretop]="$wiretop -r $capture --json --threads 1 >/dev/null"
cmd_text[ndpiReader]="ndpiReader -i $capture -q >/dev/null"
cmd_text[tshark]="tshark -r $capture -q -z conv,tcp >/dev/null"

run_tool() {
  case "$1" in
    wiretop)
      if [ ! -x "$wiretop" ]; then
        echo "  wiretop not built at $wiretop" >&2
        echo failed
      else
        best_time "$wiretop" -r "$capture" --json --threads 1
      fi
      ;;
    ndpiReader | tshark)
      if ! command -v "$1" > /dev/null; then
        echo "  $1 not installed (scripts/install-deps.sh)" >&2
        echo failed
      elif [ "$1" = ndpiReader ]; then
        best_time ndpiReader -i "$capture" -q
      else
        best_time tshark -r "$capture" -q -z conv,tcp
      fi
      ;;
  esac
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "capture: $capture ($packets packets), best of $runs runs" >&2
for t in "${tools[@]}"; do
  echo "running $t ..." >&2
  times[$t]=$(run_tool "$t")
  [ "${times[$t]}" != failed ] || echo "$t: failed" >&2
done

rate() {  # packets per second for a time, or n/a
  if [ "$1" = failed ]; then
    echo n/a
    return
  fi
  awk -v p="$packets" -v t="$1" 'BEGIN {if (t > 0) printf "%.0f", p / t; else print "n/a"}'
}
ratio() {  # wiretop's packet rate over $1's (how many times faster wiretop is)
  if [ "${times[wiretop]}" = failed ] || [ "${times[$1]}" = failed ]; then
    echo n/a
  else
    awk -v w="${times[wiretop]}" -v o="${times[$1]}" 'BEGIN {printf "%.2f", o / w}'
  fi
}

table() {
  echo "| tool | best wall time (s) | packets/s | wiretop/tool (packets/s ratio) |"
  echo "|---|---:|---:|---:|"
  for t in "${tools[@]}"; do
    echo "| $t | ${times[$t]} | $(rate "${times[$t]}") | $(ratio "$t") |"
  done
}

echo
table

if [ "$write_results" = 1 ]; then
  cpu=$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)
  commit=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
  # Sections other benchmarks wrote below the marker line are kept.
  marker='<!-- other benchmarks below; replay.sh keeps this part -->'
  kept=$(sed -n "/^$marker\$/,\$p" bench/RESULTS.md 2> /dev/null || true)
  {
    echo "# Replay benchmark results"
    echo
    echo "Written by \`bench/replay.sh --write-results\`; see bench/README.md."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, Linux $(uname -r);" \
      "load average before the runs: $load_before"
    echo "- wiretop: \`$wiretop\`$([ -e "$wiretop" ] &&
      date -u -r "$wiretop" '+ built %Y-%m-%d %H:%M UTC'), repository HEAD $commit"
    echo "- ndpiReader: $(ndpiReader -h 2>&1 | awk '/nDPI [0-9]/ {print $NF; exit}' || true)," \
      "tshark: $(tshark --version 2> /dev/null | awk 'NR == 1 {print $3}' || true)"
    echo "- capture: \`$capture\`, $packets packets$([ "$capture" = bench/data/replay.pcap ] &&
      echo ", from \`wiretop_gen_capture $capture ${gen_args[*]}\`")"
    echo "- best wall time of $runs runs each, measured with \`date +%s.%N\`"
    echo
    echo "Commands:"
    echo
    echo '```'
    for t in "${tools[@]}"; do echo "${cmd_text[$t]}"; done
    echo '```'
    echo
    table
    if [ -n "$kept" ]; then
      echo
      echo "$kept"
    fi
  } > bench/RESULTS.md.tmp
  mv bench/RESULTS.md.tmp bench/RESULTS.md
  echo "wrote bench/RESULTS.md" >&2
fi
