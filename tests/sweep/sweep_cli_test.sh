#!/usr/bin/env bash
# snapsim sweep and merge end to end: threads, shards + merge, resume after a
# SIGKILL, and bad input (exit codes, located messages, nothing overwritten).
set -u
SNAPSIM=$1
DATA=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
rows() { ls "$1"/runs/p*.json 2>/dev/null | wc -l; }

# --jobs 1 and --jobs 2: the same tables, byte for byte (no wall times in them).
"$SNAPSIM" sweep "$DATA/small.yaml" --out "$T/j1" --jobs 1 -q >/dev/null || bad "jobs 1 exit"
"$SNAPSIM" sweep "$DATA/small.yaml" --out "$T/j2" --jobs 2 -q >/dev/null || bad "jobs 2 exit"
if cmp -s "$T/j1/results.csv" "$T/j2/results.csv" && cmp -s "$T/j1/aggregate.csv" "$T/j2/aggregate.csv"; then
  ok "jobs 1 = jobs 2"
else
  bad "jobs 1 and jobs 2 differ"
fi
[ "$(wc -l < "$T/j1/results.csv")" -eq 13 ] && ok "12 rows" || bad "results.csv has $(wc -l < "$T/j1/results.csv") lines"
[ "$(wc -l < "$T/j1/aggregate.csv")" -eq 7 ] && ok "6 points aggregated" || bad "aggregate.csv lines"
grep -q '"identity"' "$T/j1/manifest.json" && grep -q '"text"' "$T/j1/manifest.json" &&
  grep -q '"hostname"' "$T/j1/manifest.json" && ok "manifest" || bad "manifest.json incomplete"

# Shards of a job array, merged: the same tables as the whole sweep.
for i in 1 2 3; do
  "$SNAPSIM" sweep "$DATA/small.yaml" --out "$T/s$i" --shard "$i/3" -q >/dev/null || bad "shard $i exit"
done
[ "$(rows "$T/s1")" -eq 4 ] && ok "shard 1/3 ran 4 runs" || bad "shard 1/3 ran $(rows "$T/s1") runs"
"$SNAPSIM" merge "$T/s1" "$T/s2" "$T/s3" --out "$T/m" >/dev/null || bad "merge exit"
cmp -s "$T/j1/results.csv" "$T/m/results.csv" && cmp -s "$T/j1/aggregate.csv" "$T/m/aggregate.csv" &&
  ok "shards + merge = whole sweep" || bad "merged tables differ from the whole sweep"
err=$("$SNAPSIM" merge "$T/s1" "$T/s2" --out "$T/m2" 2>&1 >/dev/null)
[ $? -eq 2 ] && grep -q "4 of 12 runs are missing" <<<"$err" && [ ! -e "$T/m2" ] &&
  ok "merge refuses missing shards" || bad "merge with a missing shard: $err"
cp -r "$T/s3" "$T/s3old"
python3 - "$T/s3old/runs" <<'PY'
import json, pathlib, sys
for f in pathlib.Path(sys.argv[1]).glob("p*.json"):
    r = json.loads(f.read_text()); r["commit"] = "0123456789ab"; f.write_text(json.dumps(r))
PY
err=$("$SNAPSIM" merge "$T/s1" "$T/s2" "$T/s3old" --out "$T/m4" 2>&1 >/dev/null)
[ $? -eq 2 ] && grep -q "made by 2 snapsim commits" <<<"$err" && [ ! -e "$T/m4" ] &&
  ok "merge refuses shards of two builds" || bad "merge of two builds: $err"
"$SNAPSIM" merge "$T/s1" "$T/s2" "$T/s3old" --out "$T/m5" --allow-mixed-builds 2>/dev/null >/dev/null &&
  cmp -s "$T/j1/results.csv" "$T/m5/results.csv" && ok "merge --allow-mixed-builds" || bad "merge --allow-mixed-builds"
# The same runs from two builds, overlapping: the builds decide, not the row files' commits.
err=$("$SNAPSIM" merge "$T/s1" "$T/s2" "$T/s3" "$T/s3old" --out "$T/m6" 2>&1 >/dev/null)
[ $? -eq 2 ] && grep -q "made by 2 snapsim commits" <<<"$err" && ok "merge refuses overlapping shards of two builds" ||
  bad "overlapping shards of two builds: $err"
"$SNAPSIM" merge "$T/s1" "$T/s2" "$T/s3" "$T/s3old" --out "$T/m7" --allow-mixed-builds 2>/dev/null >/dev/null &&
  cmp -s "$T/j1/results.csv" "$T/m7/results.csv" && ok "merge --allow-mixed-builds, overlapping" ||
  bad "merge --allow-mixed-builds of overlapping shards"
# Rows written before rows named their commit count as made by their folder's manifest's.
cp -r "$T/s3" "$T/s3legacy"
python3 - "$T/s3legacy" <<'PY'
import json, pathlib, sys
d = pathlib.Path(sys.argv[1])
for f in (d / "runs").glob("p*.json"):
    r = json.loads(f.read_text()); r.pop("commit"); f.write_text(json.dumps(r))
m = json.loads((d / "manifest.json").read_text()); m["snapsim"]["commit"] = "0123456789ab"
(d / "manifest.json").write_text(json.dumps(m))
PY
err=$("$SNAPSIM" merge "$T/s1" "$T/s2" "$T/s3legacy" --out "$T/m8" 2>&1 >/dev/null)
[ $? -eq 2 ] && grep -q "0123456789ab" <<<"$err" && ok "merge reads a legacy shard's commit from its manifest" ||
  bad "legacy shard: $err"
"$SNAPSIM" merge "$T/s1" "$T/s2" --out "$T/m3" --allow-missing >/dev/null &&
  [ "$(wc -l < "$T/m3/results.csv")" -eq 9 ] && ok "merge --allow-missing" || bad "merge --allow-missing"

# Resume after SIGKILL: the same rows as an uninterrupted sweep, none twice.
"$SNAPSIM" sweep "$DATA/slow.yaml" --out "$T/full" --jobs 2 -q >/dev/null || bad "slow sweep exit"
total=$(rows "$T/full")
"$SNAPSIM" sweep "$DATA/slow.yaml" --out "$T/k" --jobs 2 -q >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [ "$(rows "$T/k")" -ge 3 ] && break
  sleep 0.02
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
done_before=$(rows "$T/k")
if [ "$done_before" -gt 0 ] && [ "$done_before" -lt "$total" ]; then
  ok "killed with $done_before of $total runs done"
else
  bad "the kill did not land mid-sweep ($done_before of $total runs done)"
fi
err=$("$SNAPSIM" sweep "$DATA/slow.yaml" --out "$T/k" --jobs 2 -q 2>&1 >/dev/null)
[ $? -eq 2 ] && grep -q "pass\|--resume" <<<"$err" && ok "no --resume: refused" || bad "rerun without --resume: $err"
out=$("$SNAPSIM" sweep "$DATA/slow.yaml" --out "$T/k" --jobs 2 --resume -q) || bad "resume exit"
grep -q "$done_before already done" <<<"$out" && ok "resume skipped the $done_before finished runs" || bad "resume: $out"
cmp -s "$T/full/results.csv" "$T/k/results.csv" && ok "resumed = uninterrupted" || bad "resumed results differ"
dups=$(cut -d, -f1,2 "$T/k/results.csv" | sort | uniq -d | wc -l)
[ "$dups" -eq 0 ] && [ "$(rows "$T/k")" -eq "$total" ] && ok "no duplicates" || bad "$dups duplicate rows"
[ -z "$(find "$T/k" -name '*.tmp')" ] && ok "no temporary files left" || bad "temporary files left"

# Bad input: exit 2, a located message, nothing written or overwritten.
expect() {  # expect NAME REGEX -- ARGS...
  local name=$1 regex=$2
  shift 3
  local err
  err=$("$SNAPSIM" "$@" 2>&1 >/dev/null)
  local got=$?
  if [ $got -ne 2 ]; then bad "$name: exit $got, expected 2: $err"; return; fi
  if ! grep -qE -- "$regex" <<<"$err"; then bad "$name: stderr does not match /$regex/: $err"; return; fi
  if grep -qiE "terminate called|Aborted|Segmentation|what\(\)" <<<"$err"; then bad "$name: crashed: $err"; return; fi
  ok "$name"
}
expect "unknown sweep key" "bad_key.yaml:8:5: topology.gatewayz: unknown key \(expected one of: .*gateways" -- sweep "$DATA/bad_key.yaml" --out "$T/x1"
expect "empty range" "empty_range.yaml:8:19: sweep.parameters.protocol.tau: empty range" -- sweep "$DATA/empty_range.yaml" --out "$T/x2"
expect "shard 3/2" "--shard 3/2: shard 3 of 2 does not exist" -- sweep "$DATA/small.yaml" --out "$T/x3" --shard 3/2
expect "shard 0/2" "--shard 0/2" -- sweep "$DATA/small.yaml" --out "$T/x3" --shard 0/2
for d in x1 x2 x3; do [ -e "$T/$d" ] && bad "bad input created $d"; done
sum=$(cat "$T/j1"/results.csv "$T/j1"/aggregate.csv "$T/j1"/manifest.json | md5sum)
expect "another scenario's folder" "holds the results of a different sweep" -- sweep "$DATA/other.yaml" --out "$T/j1"
expect "another seed, same folder" "different sweep" -- sweep "$DATA/small.yaml" --out "$T/j1" --seed 99 --resume
expect "same sweep without --resume" "already holds 12 finished runs" -- sweep "$DATA/small.yaml" --out "$T/j1"

# A folder whose runs another build made: --resume refuses to mix them, unless asked.
# Each row file names its commit; the test stands in for an old build by editing them.
grep -q '"commit":"[^"]' "$T/j1/runs/p000000-r0000.json" && ok "rows name their commit" || bad "row without a commit"
cp -r "$T/j1" "$T/old"
python3 - "$T/old/runs" <<'PY'
import json, pathlib, sys
for i, f in enumerate(sorted(pathlib.Path(sys.argv[1]).glob("p*.json"))):
    if i % 2 == 0:  # half the runs "by another build"
        r = json.loads(f.read_text()); r["commit"] = "0123456789ab"; f.write_text(json.dumps(r))
PY
before=$(cat "$T/old/results.csv")
expect "resume over another build's runs" "6 of its 12 finished runs were made by another snapsim commit \(first: 0123456789ab\)" -- sweep "$DATA/small.yaml" --out "$T/old" --resume
[ "$before" = "$(cat "$T/old/results.csv")" ] && ok "other build's folder untouched" || bad "other build's folder was changed"
err=$("$SNAPSIM" sweep "$DATA/small.yaml" --out "$T/old" --resume --allow-mixed-builds -q 2>&1 >/dev/null) &&
  grep -q "rows from both builds will be mixed" <<<"$err" && ok "--allow-mixed-builds resumes, with a warning" ||
  bad "--allow-mixed-builds: $err"
[ "$(cat "$T/j1"/results.csv "$T/j1"/aggregate.csv "$T/j1"/manifest.json | md5sum)" = "$sum" ] &&
  ok "nothing overwritten" || bad "a refused sweep changed the folder"
mkdir -p "$T/notours" && echo hello > "$T/notours/file"
expect "a folder that is not a sweep's" "not a sweep folder" -- sweep "$DATA/small.yaml" --out "$T/notours"
"$SNAPSIM" sweep "$DATA/other.yaml" --out "$T/o" -q >/dev/null
expect "merging different sweeps" "holds a different sweep" -- merge "$T/j1" "$T/o" --out "$T/x4"
[ -e "$T/x4" ] && bad "merge of different sweeps wrote $T/x4"

# --list prints the runs and their seeds, deterministically.
"$SNAPSIM" sweep "$DATA/small.yaml" --list > "$T/l1" && "$SNAPSIM" sweep "$DATA/small.yaml" --list > "$T/l2"
cmp -s "$T/l1" "$T/l2" && [ "$(wc -l < "$T/l1")" -eq 13 ] && ok "--list" || bad "--list"
cut -d, -f4 "$T/l1" | tail -n +2 > "$T/seeds_list"
cut -d, -f3 "$T/j1/results.csv" | tail -n +2 > "$T/seeds_results"
cmp -s "$T/seeds_list" "$T/seeds_results" && ok "--list seeds = the seeds run" || bad "seeds differ"

[ $fail -eq 0 ] && echo "sweep cli: all passed"
exit $fail
