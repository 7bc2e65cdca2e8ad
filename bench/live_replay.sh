#!/usr/bin/env bash
# Live load benchmark (issue 9): tcpreplay --topspeed pushes a capture through a veth pair inside
# a network namespace while `wiretop -i` captures the other end. Reports, per --threads value,
# the packets tcpreplay sent and its rate, the packets wiretop saw, the kernel's drops
# (pcap_stats: the summary's capture_drops and interface_drops) and the ring drops between the
# capture thread and the shards. Each setting runs RUNS times; the run with the most packets seen
# is reported (the machine is shared: see bench/RESULTS.md).
#
#   bench/live_replay.sh [CAPTURE]
#
# Needs root, ip (iproute2) and tcpreplay (scripts/install-deps.sh --bench installs them). Without
# CAPTURE, uses bench/data/replay.pcap (bench/replay.sh generates it). Environment: BUILD_DIR
# (default build/release), WIRETOP, THREADS (default "1 2"), RUNS (default 3), EXTRA (more
# wiretop flags).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here/.."

die() {
  echo "live_replay.sh: $*" >&2
  exit 2
}

case "${1:-}" in -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
build_dir=${BUILD_DIR:-build/release}
wiretop=$(realpath "${WIRETOP:-$build_dir/wiretop}")
capture=$(realpath "${1:-bench/data/replay.pcap}")
threads_list=${THREADS:-"1 2"}
runs=${RUNS:-3}
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
command -v ip > /dev/null || die "ip missing (apt-get install iproute2)"
command -v tcpreplay > /dev/null || die "tcpreplay missing (scripts/install-deps.sh --bench)"
[ -x "$wiretop" ] || die "no wiretop at $wiretop"
[ -f "$capture" ] || die "no capture $capture (bench/replay.sh generates bench/data/replay.pcap)"

ns=wtbench$$
tmp=$(mktemp -d)
cleanup() {
  ip netns del "$ns" 2> /dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add vbsend type veth peer name vbcap
# Jumbo MTU: the capture's VLAN-tagged full-size frames are 1518 bytes.
for dev in vbsend vbcap; do
  ip -n "$ns" link set "$dev" mtu 9000 up
done
ip -n "$ns" link set lo up

summary_field() {  # summary_field FILE KEY
  grep '"kind":"summary"' "$1" | sed "s/.*\"$2\":\([0-9]*\).*/\1/"
}

one_run() {  # one_run THREADS -> "sent pps seen capture_drops interface_drops ring_drops records"
  local threads=$1
  # shellcheck disable=SC2086  # EXTRA is a list of flags
  ip netns exec "$ns" "$wiretop" -i vbcap --json --threads "$threads" --no-attribution ${EXTRA:-} \
    > "$tmp/out" 2> "$tmp/err" &
  local pid=$!
  # Wait for the capture to be open: its sandbox line, or a second.
  for _ in $(seq 20); do
    grep -q . "$tmp/err" 2> /dev/null && break
    sleep 0.1
  done
  sleep 1
  ip netns exec "$ns" tcpreplay --topspeed --preload-pcap -i vbsend "$capture" > "$tmp/replay" 2>&1 ||
    die "tcpreplay failed: $(tail -3 "$tmp/replay")"
  sleep 2  # let the shards drain
  kill -INT "$pid"
  wait "$pid" || die "wiretop failed: $(tail -3 "$tmp/err")"
  local sent pps
  sent=$(awk '/Actual:/ {print $2; exit}' "$tmp/replay")
  pps=$(awk '/Rated:/ {for (i = 1; i <= NF; i++) if ($i ~ /^pps/) print int($(i - 1)); exit}' "$tmp/replay")
  echo "$sent $pps $(summary_field "$tmp/err" packets) $(summary_field "$tmp/err" capture_drops)" \
    "$(summary_field "$tmp/err" interface_drops) $(summary_field "$tmp/err" ring_drops) $(wc -l < "$tmp/out")"
}

echo "capture: $capture; wiretop: $wiretop; best of $runs runs (most packets seen)"
printf '%-8s %9s %10s %9s %8s %13s %10s %10s %8s\n' threads sent "sent pps" seen "seen %" capture_drops if_drops ring_drops records
for threads in $threads_list; do
  best=""
  for _ in $(seq "$runs"); do
    r=$(one_run "$threads")
    if [ -z "$best" ] || [ "$(echo "$r" | cut -d' ' -f3)" -gt "$(echo "$best" | cut -d' ' -f3)" ]; then
      best=$r
    fi
  done
  read -r sent pps seen cdrops idrops rdrops records <<< "$best"
  printf '%-8s %9s %10s %9s %8.2f %13s %10s %10s %8s\n' "$threads" "$sent" "$pps" "$seen" \
    "$(echo "100 * $seen / $sent" | bc -l)" "$cdrops" "$idrops" "$rdrops" "$records"
done
