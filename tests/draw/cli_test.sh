#!/usr/bin/env bash
# snapsim draw / export end to end: outputs, exit codes (0 ok, 2 bad input
# with FILE:LINE: message, 3 output not writable), no partial files, and the
# SVG checked as XML by svg_check.py.
# usage: cli_test.sh SNAPSIM DATA_DIR SVG_CHECK
set -u
SNAPSIM=$1 DATA=$2 CHECK=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
expect() {  # expect CODE STDERR_PATTERN -- command...
  local code=$1 pattern=$2
  shift 3
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" -ne "$code" ]; then
    echo "FAIL: $* exited $got, expected $code"; cat "$T/err"; fail=1
  elif [ -n "$pattern" ] && ! grep -q -- "$pattern" "$T/err"; then
    echo "FAIL: $*: stderr lacks '$pattern':"; cat "$T/err"; fail=1
  fi
}

# Default: the first inconsistent snapshot, with its witness.
expect 0 "" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/h.svg" --html "$T/h.html"
/usr/bin/python3 "$CHECK" "$T/h.svg" --lanes p0,p1,g0,ctl,o0 --arrows 6 --control 1 \
  --witness-hops 3 --witness-steps 6 --text "snapshot 1: VIOLATION" --text "p0->p1: {m1}" \
  --text "(6) p1 recv m4 (inside the cut)" || fail=1
grep -q 'data-snapshot="2"' "$T/h.html" || { echo "FAIL: page lacks snapshot 2"; fail=1; }
grep -q 'http' <(grep -v 'xmlns="http://www.w3.org/2000/svg"' "$T/h.html" | grep -o 'src="http[^"]*"\|href="http[^"]*"') \
  && { echo "FAIL: the page loads something from the network"; fail=1; }
# A chosen consistent snapshot: no witness.
expect 0 "" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/s2.svg" --snapshot 2
/usr/bin/python3 "$CHECK" "$T/s2.svg" --lanes p0,p1,g0,ctl,o0 --witness-hops 0 \
  --text "snapshot 2: ok" || fail=1
# Window, actors, lane limit, compressed gaps.
expect 0 "" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/w.svg" --from 350ns --to 0.65us
/usr/bin/python3 "$CHECK" "$T/w.svg" --lanes p0,p1,g0,ctl,o0 --text "window [350 ns, 650 ns]" \
  --text "cut points outside the window" || fail=1
expect 0 "" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/a.svg" --actors p0,p1
/usr/bin/python3 "$CHECK" "$T/a.svg" --lanes "p0,p1,3 more" --witness-steps 6 \
  --text "3 actor(s) without a lane of their own (--actors" || fail=1
expect 0 "" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/l.svg" --max-lanes 2
/usr/bin/python3 "$CHECK" "$T/l.svg" --lanes "p0,p1,3 more" || fail=1
expect 0 "" -- "$SNAPSIM" draw "$DATA/gaps.jsonl" --out "$T/g.svg" --compress-gaps
/usr/bin/python3 "$CHECK" "$T/g.svg" --lanes p0,p1 --arrows 2 --text "compressed time axis: 1 idle gap" || fail=1
expect 0 "" -- "$SNAPSIM" draw "$DATA/no_times.jsonl" --out "$T/n.svg"
/usr/bin/python3 "$CHECK" "$T/n.svg" --lanes p0,p1,g0,ctl,o0 --text "topological order" || fail=1

# ShiViz export.
expect 0 "" -- "$SNAPSIM" export --shiviz "$DATA/hidden.jsonl" --out "$T/h.log"
[ "$(head -1 "$T/h.log")" = '(?<host>\S*) (?<clock>{.*})\n(?<event>.*)' ] || { echo "FAIL: shiviz header"; fail=1; }
[ "$(wc -l <"$T/h.log")" -eq 34 ] || { echo "FAIL: shiviz log has $(wc -l <"$T/h.log") lines"; fail=1; }

# Bad input: exit 2, FILE:LINE: message, nothing written.
expect 2 "malformed.jsonl:2: unknown actor \"p9\"" -- "$SNAPSIM" draw "$DATA/malformed.jsonl" --out "$T/bad.svg"
[ -e "$T/bad.svg" ] && { echo "FAIL: output written for a malformed trace"; fail=1; }
expect 2 "malformed.jsonl:2:" -- "$SNAPSIM" export --shiviz "$DATA/malformed.jsonl" --out "$T/bad.log"
expect 2 "missing.jsonl: cannot open the file" -- "$SNAPSIM" draw "$DATA/missing.jsonl" --out "$T/bad.svg"
expect 2 "snapshot 7 is not in the trace" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/bad.svg" --snapshot 7
expect 2 "unknown actor \"zz\"" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/bad.svg" --actors p0,zz
expect 2 "is not a time" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/bad.svg" --from soon
expect 2 "is after --to" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/bad.svg" --from 900 --to 100
expect 2 "nothing to write" -- "$SNAPSIM" draw "$DATA/hidden.jsonl"
expect 2 "" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/bad.svg" --max-lanes -3
expect 2 "" -- "$SNAPSIM" export "$DATA/hidden.jsonl" --out "$T/bad.log"
ls "$T"/bad* >/dev/null 2>&1 && { echo "FAIL: partial output left: $(ls "$T"/bad*)"; fail=1; }
# Output not writable: exit 3, no .tmp left behind.
expect 3 "cannot create" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/no/such/dir/x.svg"
expect 3 "cannot" -- "$SNAPSIM" export --shiviz "$DATA/hidden.jsonl" --out "$T/no/such/dir/x.log"
mkdir "$T/dir.svg"
expect 3 "cannot rename" -- "$SNAPSIM" draw "$DATA/hidden.jsonl" --out "$T/dir.svg"
[ -e "$T/dir.svg.tmp" ] && { echo "FAIL: .tmp left behind"; fail=1; }
exit $fail
