#!/bin/sh
# Cost per event that the host's noise does not move: instructions, and the
# cache lines an event misses in a simulated two-level cache, counted by
# cachegrind over the events between two run lengths of one scenario (so the
# set-up, which both runs share, cancels out). Same binary, same scenario:
# the same counts, whatever else the machine is doing. For comparing two
# builds when wall-clock pairs are too noisy (docs/performance.md, "Counted
# cost per event").
#
# The model: D1 32 KiB 8-way, last level 1 MiB 16-way (the size of an L2,
# so "LL misses" are the lines an event brings from beyond a core's own
# caches), 64-byte lines. Cachegrind sees demand loads and stores only, not
# software prefetches: a miss here is a line the event touches, which the
# engine may well have prefetched; fewer of them is fewer lines to fetch.
#
# Usage: bench/engine/cost_model.sh [BUILD_DIR] [SCENARIO] [FROM_MS] [TO_MS] [-- ARGS...]
#   BUILD_DIR defaults to build, SCENARIO to bench/engine/scenarios/ogm-issue7.yaml,
#   FROM_MS and TO_MS to 3 and 13 (10 ms of simulated time, about 6x10^6
#   events of the issue scenario; about 6 minutes under valgrind). ARGS go
#   to snapsim_scale as they are, e.g. -- --set topology.backends=10000.
#   LL_MIB=N in the environment sets the last level to N MiB (a power of
#   two; default 1): the misses at 2, 4, 8, ... MiB give the scenario's miss
#   curve, to set beside the share of the host's L3 a pointer chase finds
#   (snapsim_host_probe).
# Prints one line: events, instructions, D1 misses and LL misses per event.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
positional=0
for arg in "$@"; do [ "$arg" = -- ] && break; positional=$((positional + 1)); done
[ "$positional" -le 4 ] || { echo "usage: $0 [BUILD_DIR] [SCENARIO] [FROM_MS] [TO_MS] [-- ARGS...]" >&2; exit 2; }
build=$root/build scenario=$here/scenarios/ogm-issue7.yaml from=3 to=13
[ "$positional" -ge 1 ] && build=$1
[ "$positional" -ge 2 ] && scenario=$2
[ "$positional" -ge 3 ] && from=$3
[ "$positional" -ge 4 ] && to=$4
shift "$positional"
[ $# -gt 0 ] && shift  # the --; what is left goes to snapsim_scale
run="$build/bench/engine/snapsim_scale"
[ -x "$run" ] || { echo "cost_model.sh: $run not built (cmake --build $build --target snapsim_scale)" >&2; exit 2; }
command -v valgrind > /dev/null || { echo "cost_model.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
ll_mib=${LL_MIB:-1}
case $ll_mib in 1 | 2 | 4 | 8 | 16 | 32 | 64 | 128 | 256) ;; *) echo "cost_model.sh: LL_MIB must be a power of two from 1 to 256, not '$ll_mib'" >&2; exit 2 ;; esac
[ "$from" -lt "$to" ] || { echo "cost_model.sh: FROM_MS ($from) must be below TO_MS ($to)" >&2; exit 2; }
# Without address randomisation where setarch can turn it off: the counts
# of misses depend on where the heap and huge-page blocks land. (Two runs of
# one binary with it on once differed by 3.5 % in D1 misses; with it off,
# repeated runs agree to the last miss. Instructions agree either way.)
norandom=
setarch "$(uname -m)" -R true 2> /dev/null && norandom="setarch $(uname -m) -R"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints "events instructions d1_misses ll_misses" for a run of $1 ms (the
# rest of the arguments go to snapsim_scale).
counts() {
  ms=$1
  shift
  $norandom valgrind --tool=cachegrind --cache-sim=yes --I1=32768,8,64 --D1=32768,8,64 \
    --LL=$((ll_mib * 1048576)),16,64 --cachegrind-out-file="$work/out" \
    "$run" "$scenario" "$@" --set run.duration="$ms"ms > "$work/log" 2>&1 ||
    { echo "cost_model.sh: the run of $ms ms failed:" >&2; grep -v -e "^==" -e "^--" "$work/log" | tail -5 >&2; exit 3; }
  awk '
    NF == 10 && $1 ~ /^[0-9]+$/ { events = $2 }
    /I +refs:/     { gsub(",", "", $4); ir = $4 }
    /D1 +misses:/  { gsub(",", "", $4); d1 = $4 }
    /LLd +misses:/ { gsub(",", "", $4); ll = $4 }
    END { print events, ir, d1, ll }' "$work/log"
}

a=$(counts "$from" "$@")
b=$(counts "$to" "$@")
echo "$a $b" | awk -v from="$from" -v to="$to" -v ll="$ll_mib" '{
  n = $5 - $1
  if (n <= 0) { print "cost_model.sh: no events between the two runs" > "/dev/stderr"; exit 3 }
  printf "events %d (%s-%s ms): %.1f instructions, %.2f D1 misses, %.3f LL misses per event (LL %d MiB)\n",
         n, from, to, ($6 - $2) / n, ($7 - $3) / n, ($8 - $4) / n, ll
}'
