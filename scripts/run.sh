#!/usr/bin/env bash
# Installs dependencies, builds the release binary and starts wiretop's live view.
# Extra arguments go to wiretop (e.g. bash scripts/run.sh -i eth0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target wiretop
exec build/release/wiretop "$@"
