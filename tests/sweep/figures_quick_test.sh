#!/usr/bin/env bash
# scripts/figures.sh --quick into a temporary folder: every figure appears,
# as a non-empty PDF and PNG.
set -u
ROOT=$1
SNAPSIM=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$ROOT/scripts/figures.sh" --quick --out "$T" --snapsim "$SNAPSIM" >/dev/null 2>"$T/log" ||
  { echo "FAIL figures.sh exit $?"; cat "$T/log"; exit 1; }
fail=0
for f in effective-rate sustainable-rate marking-window consistency-map false-rejection added-latency; do
  for ext in pdf png; do
    if [ -s "$T/img/fig-$f.$ext" ]; then echo "ok   fig-$f.$ext"; else echo "FAIL fig-$f.$ext missing or empty"; fail=1; fi
  done
done
exit $fail
