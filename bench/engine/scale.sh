#!/bin/sh
# End-to-end scale runs for issue 7: events per second of wall time, time per
# event and peak memory at growing sizes, one process per run (so each peak
# RSS is that run's own). Prints one table per scenario family.
#
# Usage: bench/engine/scale.sh [BUILD_DIR] [--big]
#   BUILD_DIR defaults to build-perf (configure and build it as in
#   docs/performance.md). --big adds the largest sizes (10^4 backends for the
#   cloud family: several GiB while the channel table is built; 10^6
#   processes for the ring).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build-perf}
big=${2:-}
run="$build/bench/engine/snapsim_scale"
[ -x "$run" ] || { echo "scale.sh: $run not built (cmake --build $build --target snapsim_scale)" >&2; exit 2; }
sc="$here/scenarios"

echo "== OGM, cloud: B backends (ring), 16 gateways, 1,000 clients, 16 externals, rpc;"
echo "   notify off, max_in_flight 10^6, 10 kHz snapshots, checker on, witnesses off; 20 ms simulated"
"$run" --header
for b in 1000 3000 ${big:+10000}; do
  "$run" "$sc/ogm-cloud.yaml" --set topology.backends=$b --set run.duration=20ms
done

echo
echo "== The same with protocol none (engine + workload only)"
"$run" --header
for b in 1000 3000 ${big:+10000}; do
  "$run" "$sc/ogm-cloud.yaml" --set topology.backends=$b --set run.duration=20ms --set protocol.kind=none
done

echo
echo "== OGM, sparse cloud (ogm-sparse.yaml): B backends (ring), 16 gateways, 984 clients and"
echo "   16 externals talking to B/1,000 backends each, rpc with the per-backend load of"
echo "   ogm-issue7.yaml, 10 kHz snapshots from 0.5 ms, checker on; about 10^7 events per run"
"$run" --header
for b in 10000 100000 ${big:+1000000}; do
  case $b in 10000) us=20000 ;; 100000) us=4000 ;; *) us=1500 ;; esac  # simulated time
  "$run" "$sc/ogm-sparse.yaml" --set topology.backends=$b --set topology.out_degree=$((b / 1000)) \
    --set workload.request_interval.mean=$((500000000 / b))ns --set run.duration=${us}us
done

echo
echo "== tokens, ring of N processes, N tokens, exponential latencies (mean 10 us), protocol none;"
echo "   about 2*10^7 events per run (simulated time 200/N s)"
"$run" --header
for n in 10000 100000 ${big:+1000000}; do
  d=$((200000000 / n))   # simulated microseconds: 200/N s
  "$run" "$sc/tokens-ring.yaml" --set topology.processes=$n --set workload.tokens=$n \
    --set run.duration=${d}us
done
