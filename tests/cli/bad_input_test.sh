#!/usr/bin/env bash
# Every bad input exits non-zero with FILE:LINE:COL: key: message on stderr,
# prints no stack trace, and writes no results.
set -u
SNAPSIM=$1
DATA=$2
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
fail=0

expect() {  # expect NAME EXIT_CODE REGEX -- ARGS...
  local name=$1 code=$2 regex=$3
  shift 4
  local err
  err=$("$SNAPSIM" "$@" 2>&1 >/dev/null)
  local got=$?
  if [ "$got" -ne "$code" ]; then
    echo "FAIL $name: exit $got, expected $code; stderr: $err"; fail=1; return
  fi
  if ! grep -qE -- "$regex" <<<"$err"; then
    echo "FAIL $name: stderr does not match /$regex/: $err"; fail=1; return
  fi
  if grep -qiE "terminate called|Aborted|Segmentation|what\(\)" <<<"$err"; then
    echo "FAIL $name: crashed: $err"; fail=1; return
  fi
  echo "ok   $name"
}

for cmd in validate run; do
  expect "$cmd unknown key" 2 "unknown_key.yaml:3:1: protocl: unknown key \(expected one of: .*protocol" -- $cmd "$DATA/unknown_key.yaml"
  expect "$cmd wrong type" 2 "wrong_type.yaml:3:14: topology.processes: 'four' is not an integer" -- $cmd "$DATA/wrong_type.yaml"
  expect "$cmd negative latency" 2 "negative_latency.yaml:5:35: channels.default.latency.min: negative duration" -- $cmd "$DATA/negative_latency.yaml"
  expect "$cmd missing samples" 2 "missing_samples.yaml:5:38: channels.in_to_in.latency.file: cannot open samples file 'does-not-exist.txt'" -- $cmd "$DATA/missing_samples.yaml"
  expect "$cmd unknown protocol" 2 "unknown_protocol.yaml:4:9: protocol.kind: unknown value 'snapshot-magic' \(expected one of: none" -- $cmd "$DATA/unknown_protocol.yaml"
  expect "$cmd malformed yaml" 2 "malformed.yaml:[0-9]+:[0-9]+: malformed YAML" -- $cmd "$DATA/malformed.yaml"
  expect "$cmd disconnected" 2 "disconnected.yaml:[0-9]+:[0-9]+: topology: topology is disconnected" -- $cmd "$DATA/disconnected.yaml"
  expect "$cmd missing file" 2 "no-such.yaml: cannot open the scenario file" -- $cmd "$DATA/no-such.yaml"
  expect "$cmd bad --set" 2 "^snapsim: --set topology.processes=-1: topology.processes: -1 is out of range" -- $cmd "$DATA/unknown_key.yaml" --set topology.processes=-1
done
expect "bad seed" 2 "seed" -- run "$DATA/wrong_type.yaml" --seed banana
expect "no subcommand" 2 "subcommand" --
expect "unknown option" 2 "" -- run "$DATA/wrong_type.yaml" --frobnicate
expect "bad witnesses mode" 2 "witnesses.*beside" -- run "$DATA/wrong_type.yaml" --witnesses sometimes

# snapsim check: 2 on a malformed or missing trace, 1 on a violation, 0 otherwise.
printf '{"type":"actor","name":"p0","group":"in"}\n{"type":"recv","actor":"p0","msg":"m9"}\n' > "$OUT/bad.jsonl"
expect "check malformed trace" 2 "bad.jsonl:2:" -- check "$OUT/bad.jsonl"
expect "check missing trace" 2 "nope.jsonl" -- check "$OUT/nope.jsonl"
rm -f "$OUT/bad.jsonl"

# A run that reaches a limit exits 4, says which, and still writes results marked truncated.
cat > "$OUT/big.yaml" <<'YAML'
topology: {kind: ring, processes: 4}
workload: {kind: tokens, tokens: 50}
limits: {pending_events: 10}
YAML
expect "limit reached" 4 "stopped at limits.pending_events = 10" -- run "$OUT/big.yaml" --out "$OUT/big"
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["run"]["truncated"] else 1)' "$OUT/big/summary.json"; then
  echo "ok   truncated results written"
else
  echo "FAIL truncated results missing"; fail=1
fi
rm -rf "$OUT/big" "$OUT/big.yaml"

# Memory running out mid-run (here under a 250 MB address-space limit: every
# request waits 1 s on its channel, so the messages in flight grow until
# allocation fails) ends with exit 5, says when and after how many events,
# and leaves neither results nor a trace (nor its .tmp) behind. The same when
# it runs out while building the world (10^6 backends in 300 MB).
cat > "$OUT/grow.yaml" <<'YAML'
run: {duration: 100ms}
topology: {kind: cloud, backends: 4, clients: 2, externals: 1, gateways: 1}
channels:
  default:
    latency: {dist: constant, value: 1s}
workload:
  kind: rpc
  request_interval: {dist: constant, value: 10ns}
protocol: {kind: ogm, tau: 8us, snapshots: {start: 10us, rate_hz: 100000}}
YAML
(
  ulimit -v 250000
  expect "out of memory mid-run" 5 "grow.yaml: the run could not go on at simulated time [1-9][0-9]* ns, after [1-9][0-9]* events: out of memory; no results were written" -- run "$OUT/grow.yaml" --out "$OUT/grow" --trace "$OUT/grow/t.jsonl"
  exit $fail
) || fail=1
(
  ulimit -v 300000
  expect "out of memory building the world" 5 "^snapsim: out of memory; no results were written" -- run "$DATA/../../../bench/engine/scenarios/ogm-sparse.yaml" --set topology.backends=1000000 --out "$OUT/huge"
  exit $fail
) || fail=1
if [ -n "$(find "$OUT/grow" "$OUT/huge" -type f 2>/dev/null)" ]; then
  echo "FAIL running out of memory left files behind: $(find "$OUT/grow" "$OUT/huge" -type f)"; fail=1
else
  echo "ok   no files after running out of memory"
fi
rm -rf "$OUT/grow" "$OUT/huge" "$OUT/grow.yaml"

# No partial output on bad input.
"$SNAPSIM" run "$DATA/wrong_type.yaml" --out "$OUT/res" --trace "$OUT/res/t.jsonl" 2>/dev/null
if [ -n "$(ls -A "$OUT" 2>/dev/null)" ]; then
  echo "FAIL bad input left files behind: $(ls -R "$OUT")"; fail=1
else
  echo "ok   no partial output"
fi
if [ $fail -eq 0 ]; then echo "cli bad-input: all passed"; fi
exit $fail
