#!/usr/bin/env bash
# Runs every shipped protocol scenario and prints a Markdown table of what
# the checker reported, for docs/protocols.md and docs/beaver.md.
# Usage: scripts/protocol-table.sh [SCENARIO.yaml ...]   (needs build/apps/snapsim)
set -euo pipefail
cd "$(dirname "$0")/.."
SNAPSIM=build/apps/snapsim
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
if [ $# -eq 0 ]; then
  set -- experiments/chandy-lamport-fifo.yaml experiments/chandy-lamport-non-fifo.yaml \
    experiments/lai-yang-non-fifo.yaml experiments/physical-clock-synced.yaml \
    experiments/physical-clock-skew.yaml experiments/lai-yang-in-group-only.yaml \
    experiments/chandy-lamport-in-group-only.yaml experiments/full-participation.yaml \
    experiments/mgm.yaml experiments/blocking.yaml experiments/quickstart.yaml \
    experiments/beaver-testbed.yaml experiments/ogm-tau-misconfigured.yaml \
    experiments/ogm-bypass.yaml
fi
echo "| scenario | protocol | snapshots | accepted | unfinished | complete | consistent | accepted & inconsistent | false rejections | channel states wrong | conserved |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for f in "$@"; do
  name=$(basename "$f" .yaml)
  "$SNAPSIM" run "$f" --out "$OUT/$name" --quiet
  /usr/bin/python3 - "$OUT/$name/summary.json" "$name" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
n = s["snapshots"]
closed = n["conserved"] + n["not_conserved"]
conserved = f'{n["conserved"]}/{closed}' if closed else "n/a"
print(f'| `{sys.argv[2]}` | {s["protocol"]["kind"]} | {n["initiated"]} | {n["accepted"]} | {n["unfinished"]} | '
      f'{n["complete"]} | '
      f'{n["consistent"]} | {n["accepted_inconsistent"]} | {n["false_rejections"]} | '
      f'{n["channel_state_wrong"]} | {conserved} |')
PY
done
