#!/usr/bin/env bash
# Quick start: installs what is missing, builds snapsim and runs the default
# scenario (experiments/quickstart.yaml), printing its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh --target snapsim
exec build/apps/snapsim run experiments/quickstart.yaml --out out/quickstart "$@"
