#!/usr/bin/env bash
# Short-flow benchmark (issue 9): a SYN scan of 1,000,000 flows, 1-3 packets each, all still
# open when the file ends, read by `wiretop -r FILE --json --threads 1` under /usr/bin/time -v
# with --max-flows above the flow count (every flow tracked at once) and below it (100,000:
# the rest evicted). For each run: peak RSS, wall time, JSON records, records with
# end_reason "evicted" and the summary's evictions. Fails (exit 1) unless records == flows and
# evicted records == the summary's evictions.
#
#   bench/short_flows.sh [CAPTURE]
#
# Without CAPTURE, uses bench/data/short.pcap, generated first with
# `wiretop_gen_capture bench/data/short.pcap --short-flows` when missing or older than the
# generator. Environment: BUILD_DIR (default build/release), WIRETOP, GEN, FLOWS (default
# 1000000), CAPS (default "1000000 100000"), EXTRA (more wiretop flags, e.g. --no-dpi).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."

die() {
  echo "short_flows.sh: $*" >&2
  exit 2
}

case "${1:-}" in -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
build_dir=${BUILD_DIR:-build/release}
wiretop=${WIRETOP:-$build_dir/wiretop}
gen=${GEN:-$build_dir/bench/wiretop_gen_capture}
flows=${FLOWS:-1000000}
caps=${CAPS:-"1000000 100000"}
capture=${1:-}
[ -x "$wiretop" ] || die "no wiretop at $wiretop (cmake --preset release && ninja -C $build_dir wiretop)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time)"

if [ -z "$capture" ]; then
  capture=bench/data/short.pcap
  [ -x "$gen" ] || die "no generator at $gen (ninja -C $build_dir wiretop_gen_capture)"
  if [ ! -f "$capture" ] || [ "$gen" -nt "$capture" ]; then
    mkdir -p "$(dirname "$capture")"
    "$gen" "$capture" --short-flows --flows "$flows" >&2 || die "the generator failed"
  fi
fi
[ -f "$capture" ] || die "no capture $capture"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
printf '%-12s %10s %9s %9s %9s %9s %s\n' max-flows "RSS MB" wall records evicted evictions check
for cap in $caps; do
  # shellcheck disable=SC2086  # EXTRA is a list of flags
  /usr/bin/time -v "$wiretop" -r "$capture" --json --threads 1 --max-flows "$cap" ${EXTRA:-} \
    > "$tmp/out" 2> "$tmp/err" || die "wiretop failed: $(tail -3 "$tmp/err")"
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/err")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/err")
  records=$(wc -l < "$tmp/out")
  evicted=$(grep -c '"end_reason":"evicted"' "$tmp/out" || true)
  evictions=$(grep '"kind":"summary"' "$tmp/err" | sed 's/.*"evictions":\([0-9]*\).*/\1/')
  check=ok
  if [ "$records" != "$flows" ] || [ "$evicted" != "$evictions" ]; then
    check="FAIL (want $flows records and evicted == evictions)"
    status=1
  fi
  printf '%-12s %10.1f %9s %9s %9s %9s %s\n' "$cap" "$(echo "$rss_kb / 1024" | bc -l)" "$wall" \
    "$records" "$evicted" "$evictions" "$check"
done
exit $status
