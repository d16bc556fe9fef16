#!/usr/bin/env bash
# Remakes the four space-time diagrams of docs/drawing.md ("Diagrams of the
# shipped scenarios") into docs/img/: each scenario is run with its own seed,
# drawn with `snapsim draw`, and screenshot with headless Chromium (PNG at the
# SVG's size). Run it whenever runs change (a new random generator, a
# protocol change), then read the diagrams and update the prose under them.
# Usage: scripts/diagrams.sh   (needs build/apps/snapsim and /usr/bin/chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SNAPSIM=$ROOT/build/apps/snapsim
CHROMIUM=/usr/bin/chromium
[ -x "$SNAPSIM" ] || { echo "diagrams.sh: build snapsim first (scripts/build.sh)" >&2; exit 2; }
[ -x "$CHROMIUM" ] || { echo "diagrams.sh: needs $CHROMIUM (scripts/install-test-deps.sh)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"  # trace names (ly.jsonl, ...) appear in the diagrams' titles

# diagram NAME TRACE SCENARIO [draw options...]
diagram() {
  local name=$1 trace=$2 scenario=$3
  shift 3
  "$SNAPSIM" run "$ROOT/$scenario" --trace "$trace" --out "run-$name" --quiet
  "$SNAPSIM" draw "$trace" --out "$name.svg" --width 1000 "$@"
  local size
  size=$(grep -o 'width="[0-9]*" height="[0-9]*"' "$name.svg" | head -1 | tr -dc '0-9 ' |
    awk '{print $1 "," $2}') || true
  [ -n "$size" ] || { echo "diagrams.sh: no width and height in $name.svg" >&2; exit 1; }
  "$CHROMIUM" --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size="$size" \
    --screenshot="$WORK/$name.png" "file://$WORK/$name.svg" >"$WORK/chromium.log" 2>&1 ||
    { echo "diagrams.sh: chromium failed on $name.svg:" >&2; tail -5 "$WORK/chromium.log" >&2; exit 1; }
  [ -s "$name.png" ] || { echo "diagrams.sh: no screenshot of $name" >&2; exit 1; }
  cp "$name.svg" "$name.png" "$ROOT/docs/img/"
  echo "diagrams.sh: docs/img/$name.svg and .png"
}

diagram lai-yang-in-group-only ly.jsonl experiments/lai-yang-in-group-only.yaml --max-events 300
diagram ogm-tau-too-large ogm.jsonl docs/img/ogm-tau-too-large.yaml
diagram quickstart-ogm q.jsonl experiments/quickstart.yaml \
  --actors p0,p1,p2,p3,g0,g1,g2,g3,ctl --from 96us --to 130us
diagram chandy-lamport-fifo cl.jsonl experiments/chandy-lamport-fifo.yaml --max-events 300
