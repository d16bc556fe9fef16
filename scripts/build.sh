#!/usr/bin/env bash
# Configures and builds snapsim (optimised, -O2) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
[ -f build/build.ninja ] || cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j "$JOBS" "$@"
