#!/bin/sh
# Timings beside the host's state: each round runs the host probe
# (snapsim_host_probe: the clock, and the latency of a dependent load through
# 4 and 8 MiB) and then one snapsim_scale run, one after the other, so that
# the spread of a scenario's ns per event over an hour can be set against
# what the machine gave it (docs/performance.md, "What the host gives").
#
# Writes CSV on stdout, one row per round:
#   round,clock_ghz,chase_4mib_ns,chase_8mib_ns,events,ns_per_event,rss_peak_mib
#
# Usage: bench/engine/host_beside.sh [BUILD_DIR] [--rounds N] [-- SCALE_ARGS...]
#   BUILD_DIR defaults to build-perf, N to 8; SCALE_ARGS go to snapsim_scale
#   (default: the issue scenario's first 31 ms, about 5 s a round).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build-perf
rounds=8
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) [ $# -ge 2 ] || { echo "host_beside.sh: --rounds needs a value" >&2; exit 2; }; rounds=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "usage: $0 [BUILD_DIR] [--rounds N] [-- SCALE_ARGS...]" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
case $rounds in '' | *[!0-9]* | 0) echo "host_beside.sh: --rounds needs a positive integer" >&2; exit 2 ;; esac
[ $# -gt 0 ] || set -- "$here/scenarios/ogm-issue7.yaml" --set run.duration=31ms
probe="$build/bench/engine/snapsim_host_probe"
scale="$build/bench/engine/snapsim_scale"
for exe in "$probe" "$scale"; do
  [ -x "$exe" ] || { echo "host_beside.sh: $exe not built (cmake --build $build --target snapsim_host_probe snapsim_scale)" >&2; exit 2; }
done

echo "round,clock_ghz,chase_4mib_ns,chase_8mib_ns,events,ns_per_event,rss_peak_mib"
for round in $(seq "$rounds"); do
  # Google Benchmark's CSV (one run per counter name: its CSV reporter wants
  # the same counters in every row); the counter is the last column.
  chase=$("$probe" --benchmark_filter='PointerChase/(4|8)$' --benchmark_format=csv 2> /dev/null |
    awk -F, '/^"PointerChase\/4"/ { a = $NF * 1e9 } /^"PointerChase\/8"/ { b = $NF * 1e9 }
             END { printf "%.1f,%.1f", a, b }')
  clock=$("$probe" --benchmark_filter='DependentAdds' --benchmark_format=csv 2> /dev/null |
    awk -F, '/^"DependentAdds"/ { printf "%.3f", $NF / 1e9 }')
  # snapsim_scale's last line: actors events run_s Mev/s ns/event rss_load rss_peak ...
  run=$("$scale" "$@" 2> /dev/null | tail -n 1 |
    awk 'NF >= 7 { sub(/M$/, "", $7); printf "%s,%s,%s", $2, $5, $7 }')
  [ -n "$run" ] || { echo "host_beside.sh: snapsim_scale $* failed" >&2; exit 3; }
  echo "$round,${clock:-NA},$chase,$run"
done
