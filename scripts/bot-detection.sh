#!/usr/bin/env bash
# The Beaver paper's Table 3 in simulation: three ways to take the two
# services' counters (polling, in-group-only Lai-Yang, OGM at 5 kHz) at bot
# ratios 0, 5 and 10 %, each over SEEDS seeds (default 10), with the
# detector's true/false positives/negatives summed. Prints a Markdown table.
# Usage: scripts/bot-detection.sh [SEEDS]   (needs build/apps/snapsim)
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${1:-10}
SNAPSIM=build/apps/snapsim
SCENARIO=experiments/bot-detection.yaml
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

method_args() {
  case $1 in
    polling) echo "--set protocol.kind=physical-clock --set protocol.snapshots.interval=200us" ;;
    lai-yang-in-group-only) echo "--set protocol.kind=lai-yang-in-group-only --set protocol.snapshots.interval=1us --set protocol.snapshots.interval_max=5ms --set protocol.snapshots.initiators=random" ;;
    ogm) echo "" ;;
  esac
}

echo "| method | bot ratio | snapshots judged | true positives | false positives | true negatives | false negatives | inconsistent (checker) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for method in polling lai-yang-in-group-only ogm; do
  for ratio in 0 0.05 0.1; do
    for seed in $(seq 1 "$SEEDS"); do
      extra=()
      [ "$method" = polling ] && extra=(--set "clocks.offset={dist: uniform, min: 0, max: 200us}")
      # shellcheck disable=SC2046
      "$SNAPSIM" run "$SCENARIO" --seed "$seed" --set workload.bot_ratio=$ratio \
          $(method_args $method) "${extra[@]}" --out "$OUT/$method-$ratio-$seed" --quiet
    done
    /usr/bin/python3 - "$OUT" "$method" "$ratio" "$SEEDS" <<'PY'
import json, sys
out, method, ratio, seeds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
tot = dict(judged=0, true_positives=0, false_positives=0, true_negatives=0, false_negatives=0)
inconsistent = 0
for seed in range(1, seeds + 1):
    s = json.load(open(f"{out}/{method}-{ratio}-{seed}/summary.json"))
    for k in tot: tot[k] += s["detector"][k]
    inconsistent += s["snapshots"]["inconsistent"]
print(f"| {method} | {float(ratio):.0%} | {tot['judged']} | {tot['true_positives']} | "
      f"{tot['false_positives']} | {tot['true_negatives']} | {tot['false_negatives']} | {inconsistent} |")
PY
  done
done
