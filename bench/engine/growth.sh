#!/bin/sh
# The growth curve of issue 7: time per event against the number of processes,
# for the engine alone (tokens on a ring, protocol none, no checker) and for
# OGM with the online checker (the sparse cloud of ogm-sparse.yaml, with the
# per-backend load of ogm-issue7.yaml), at 10^4, 3x10^4, 10^5, 3x10^5 and 10^6
# processes. Each round runs every (series, size) once, one process each
# (snapsim_scale), so the rounds interleave over the machine's noise.
#
# Writes CSV on stdout, one row per run:
#   series,processes,round,events,run_s,ns_per_event,rss_peak_mib,scenario,overrides,commit
# (run_s: Engine::Run's wall time, the event loop with the sinks' declarations
# and the protocol's and workload's start before it; rss_peak_mib: the
# process's VmHWM) and
# a line per run on stderr. plots/growth.py draws the figure from it.
#
# Usage: bench/engine/growth.sh [BUILD_DIR] [--rounds N] [--max SIZE] > growth.csv
#   BUILD_DIR defaults to build-perf; N to 3; SIZE (the largest size run) to
#   1000000. About 1 minute per round at --max 1000000 on the project machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build-perf
rounds=3
max=1000000
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --max) max=$2; shift 2 ;;
    -*) echo "usage: $0 [BUILD_DIR] [--rounds N] [--max SIZE]" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done
case $rounds in '' | *[!0-9]* | 0) echo "growth.sh: --rounds needs a positive integer" >&2; exit 2 ;; esac
run="$build/bench/engine/snapsim_scale"
[ -x "$run" ] || { echo "growth.sh: $run not built (cmake --build $build --target snapsim_scale)" >&2; exit 2; }
sc="$here/scenarios"
commit=$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)

# one SERIES N ROUND SCENARIO OPTIONS: runs once and prints a row. OPTIONS
# is one word list, written to the row as it is and passed to snapsim_scale
# with each key=value as --set key=value (words starting with -- unchanged),
# so the row names exactly what ran.
one() {
  series=$1 n=$2 round=$3 scenario=$4 options=$5
  set --
  for word in $options; do
    case $word in
      --*) set -- "$@" "$word" ;;
      *) set -- "$@" --set "$word" ;;
    esac
  done
  out=$("$run" "$sc/$scenario" "$@") || {
    echo "growth.sh: snapsim_scale failed for $series at $n processes" >&2
    exit 1
  }
  # snapsim_scale's last line: actors events run_s Mev/s ns/event rss_load rss_peak ...
  # shellcheck disable=SC2046  # split into fields on purpose
  set -- $(printf '%s\n' "$out" | tail -n 1)
  events=$2 run_s=$3 ns=$5 peak=${7%M}
  echo "$series $n round $round: $ns ns/event, $events events, peak $peak MiB" >&2
  echo "$series,$n,$round,$events,$run_s,$ns,$peak,$scenario,\"$options\",$commit"
}

echo "series,processes,round,events,run_s,ns_per_event,rss_peak_mib,scenario,overrides,commit"
for round in $(seq "$rounds"); do
  for n in 10000 30000 100000 300000 1000000; do
    [ "$n" -le "$max" ] || continue
    # Tokens: N processes, N tokens, about 2x10^7 events (simulated time 200/N s).
    one tokens-ring "$n" "$round" tokens-ring.yaml \
      "topology.processes=$n workload.tokens=$n run.duration=$((200000000 / n))us --no-check"
    # OGM: B backends, clients talking to B/1,000 backends each, the same
    # request rate per backend; simulated time as in scale.sh (5*10^6 to
    # 3*10^7 events).
    case $n in
      10000) us=20000 ;; 30000) us=8000 ;; 100000) us=4000 ;; 300000) us=2500 ;; *) us=1500 ;;
    esac
    one ogm-sparse-checker "$n" "$round" ogm-sparse.yaml \
      "topology.backends=$n topology.out_degree=$((n / 1000)) workload.request_interval.mean=$((500000000 / n))ns run.duration=${us}us"
  done
done
