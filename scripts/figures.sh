#!/usr/bin/env bash
# Regenerates every figure of docs/results.md: runs the sweeps of
# experiments/figures/ with snapsim sweep, then the plots/ scripts (Debian's
# /usr/bin/python3 with python3-matplotlib). This is the project's
# `make figures`.
#
#   scripts/figures.sh [--quick] [--out DIR] [--jobs N] [--snapsim PATH] [--docs]
#
#   --quick    fewer points, one repetition, shorter runs (what CI runs; under
#              2 minutes on 2 cores); the full set takes a few minutes
#   --out DIR  where the sweep folders and the figures go
#              (default: out/figures/full or out/figures/quick)
#   --jobs N   threads per sweep (default: the cores)
#   --snapsim  the snapsim binary (default: build/apps/snapsim)
#   --docs     also copy the PNGs into docs/img/ (for docs/results.md)
#
# Sweeps are run with --resume: running the script again reuses the runs
# already finished in DIR (only with the same scenario and options, and the
# same snapsim commit), so an interrupted run continues where it stopped. A
# sweep folder made by another build is moved aside to NAME.stale and run
# afresh: one build's runs are not another's. The figures land in DIR/img/
# as fig-*.pdf and fig-*.png.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
QUICK=0 OUT="" JOBS="" DOCS=0
SNAPSIM="${SNAPSIM:-$ROOT/build/apps/snapsim}"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --out) OUT="$2"; shift ;;
    --jobs) JOBS="$2"; shift ;;
    --snapsim) SNAPSIM="$2"; shift ;;
    --docs) DOCS=1 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "figures.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ -x "$SNAPSIM" ] || { echo "figures.sh: $SNAPSIM not found: build first (scripts/build.sh) or pass --snapsim" >&2; exit 2; }
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1  # nothing written into plots/
[ -x "$PY" ] || { echo "figures.sh: $PY not found (Debian's python3 with python3-matplotlib)" >&2; exit 2; }
MODE=full
[ $QUICK = 1 ] && MODE=quick
OUT="${OUT:-$ROOT/out/figures/$MODE}"
IMG="$OUT/img"
mkdir -p "$OUT" "$IMG"
FIG="$ROOT/experiments/figures"
JOBARGS=()
[ -n "$JOBS" ] && JOBARGS=(--jobs "$JOBS")
START=$EPOCHREALTIME
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

BUILT=$("$SNAPSIM" --version | sed -n 's/.*(\(.*\)).*/\1/p')
[ -n "$BUILT" ] || { echo "figures.sh: cannot read the commit from '$SNAPSIM --version'" >&2; exit 2; }
sweep() {  # sweep NAME [snapsim sweep options...]
  local name=$1
  shift
  local t0 made
  t0=$EPOCHREALTIME
  if [ -f "$OUT/$name/manifest.json" ]; then
    made=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1])).get("snapsim", {}).get("commit", ""))' \
      "$OUT/$name/manifest.json")
    if [ "$made" != "$BUILT" ]; then
      rm -rf "$OUT/$name.stale"
      mv "$OUT/$name" "$OUT/$name.stale"
      echo "figures.sh: $OUT/$name held runs of snapsim $made, this is $BUILT: moved to $name.stale, running it afresh" >&2
    fi
  fi
  "$SNAPSIM" sweep "$FIG/$name.yaml" --out "$OUT/$name" --resume "${JOBARGS[@]}" "$@"
  printf 'figures.sh: %-22s %6s s\n' "$name" "$(elapsed "$t0")" >&2
}

if [ $QUICK = 1 ]; then
  ONE=(--set sweep.repetitions=1)
  sweep effective_rate "${ONE[@]}" --set run.duration=4ms \
    --set 'sweep.parameters.topology.gateways=[2, 8, 16]' \
    --set 'sweep.parameters.protocol.snapshots.rate_hz={from: 1024, to: 1048576, factor: 4}'
  sweep sustainable_rate --set run.duration=4ms \
    --set 'sweep.parameters.topology.gateways=[2, 16]' \
    --set 'sweep.parameters.protocol.snapshots.rate_hz={from: 4096, to: 1048576, factor: 2}'
  sweep marking_window --per-run --set run.duration=4ms
  sweep consistency_classic "${ONE[@]}"
  sweep consistency_gateway "${ONE[@]}"
  sweep false_rejection --per-run "${ONE[@]}" \
    --set 'sweep.parameters.protocol.tau={from: 2us, to: 30us, step: 4us}'
  sweep added_latency "${ONE[@]}" \
    --set 'sweep.parameters.protocol.snapshots.rate_hz={from: 1000, to: 64000, factor: 4}'
else
  sweep effective_rate
  sweep sustainable_rate
  sweep marking_window --per-run
  sweep consistency_classic
  sweep consistency_gateway
  sweep false_rejection --per-run
  sweep added_latency
fi

P="$ROOT/plots"
"$PY" "$P/effective_rate.py" "$OUT/effective_rate" --out "$IMG"
"$PY" "$P/sustainable_rate.py" "$OUT/sustainable_rate" --out "$IMG"
"$PY" "$P/marking_window.py" "$OUT/marking_window" --out "$IMG"
"$PY" "$P/consistency_map.py" "$OUT/consistency_classic" "$OUT/consistency_gateway" --out "$IMG"
"$PY" "$P/false_rejection.py" "$OUT/false_rejection" --out "$IMG"
"$PY" "$P/added_latency.py" "$OUT/added_latency" --out "$IMG"

if [ $DOCS = 1 ]; then
  mkdir -p "$ROOT/docs/img"
  cp "$IMG"/fig-*.png "$ROOT/docs/img/"
  echo "figures.sh: copied the PNGs into docs/img/" >&2
fi
printf 'figures.sh: %s figures in %s (%s s)\n' "$MODE" "$IMG" "$(elapsed "$START")" >&2
