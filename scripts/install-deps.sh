#!/usr/bin/env bash
# Installs every Debian 12 package wiretop needs to build, test and benchmark
# (--bench: also what bench/live_replay.sh needs: tcpreplay, time, bc).
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps.sh: run as root (apt-get needs it): sudo bash scripts/install-deps.sh" >&2
  exit 2
fi

build=(build-essential cmake ninja-build pkg-config ccache clang-14 llvm-14 libfuzzer-14-dev bpftool
       libclang-rt-14-dev clang-format-14)
libs=(libpcap-dev libssl-dev libncurses-dev libcli11-dev nlohmann-json3-dev libfmt-dev
      libre2-dev libcap-dev libseccomp-dev libbpf-dev linux-libc-dev libmaxminddb-dev libtomlplusplus-dev
      libsqlite3-dev prometheus-cpp-dev)
data=(netbase ieee-data)
# Only with --bench: the live load benchmark (bench/live_replay.sh) and its measuring tools.
bench=(tcpreplay time bc)
tests=(libgtest-dev libgmock-dev libbenchmark-dev tshark tcpdump libndpi-bin tmux iproute2
       iputils-ping curl python3 procps netcat-openbsd nfdump openssl mmdb-bin libmaxmind-db-writer-perl)

export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer once, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections

wanted=("${build[@]}" "${libs[@]}" "${data[@]}" "${tests[@]}")
[ "${1:-}" = --bench ] && wanted+=("${bench[@]}")
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps.sh: all packages present"
  exit 0
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
