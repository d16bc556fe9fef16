#!/usr/bin/env bash
# A run past 2^20 events (where the engine calls `snapsim run`'s progress
# reporter) gives the same summary.json, apart from its host section, and
# snapshots.csv, run after run. The reporter once wrote through a dangling
# reference into the event being handled, so such runs' hashes followed the
# wall clock; the shipped-scenario test's 2 ms runs are far too short to
# reach it.
set -u
SNAPSIM=$1
SCENARIO=$2
. "$(dirname "$0")/summary_json.sh"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for run in a b c; do
  "$SNAPSIM" run "$SCENARIO" --set run.duration=12ms --out "$OUT/$run" >"$OUT/$run.log" 2>&1 ||
    { echo "FAIL: run $run exited non-zero:"; cat "$OUT/$run.log"; exit 1; }
done
events=$(run_field "$OUT/a/summary.json" events) || { echo "FAIL: no run.events in summary.json"; exit 1; }
case $events in '' | *[!0-9]*) echo "FAIL: run.events is '$events'"; exit 1 ;; esac
if [ "$events" -le 1048576 ]; then
  echo "FAIL: the run has $events events, not past 2^20: lengthen it"; exit 1
fi
fail=0
hash_a=$(run_field "$OUT/a/summary.json" hash) && [ -n "$hash_a" ] || { echo "FAIL: no run.hash in summary.json"; exit 1; }
for run in b c; do
  hash=$(run_field "$OUT/$run/summary.json" hash)
  if [ "$hash" != "$hash_a" ]; then
    echo "FAIL: run hash $hash_a of run a but $hash of run $run"; fail=1
  fi
  a=$(without_host "$OUT/a/summary.json") && other=$(without_host "$OUT/$run/summary.json") ||
    { echo "FAIL: summary.json unreadable"; exit 1; }
  if [ "$a" != "$other" ]; then
    echo "FAIL: summary.json of run a and run $run differ"; fail=1
  fi
  cmp -s "$OUT/a/snapshots.csv" "$OUT/$run/snapshots.csv" ||
    { echo "FAIL: snapshots.csv of run a and run $run differ"; fail=1; }
done
[ $fail = 0 ] && echo "ok: three runs of $events events, identical"
exit $fail
