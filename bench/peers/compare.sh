#!/bin/sh
# snapsim against SimGrid (issue 7): the tokens workload (N tokens, hold and
# latency exponential with mean 10 us) on two graphs of N processes, a ring
# and then an Erdos-Renyi random graph of mean degree 4 (each other component
# joined to node 0; bench/engine/scenarios/tokens-random.yaml, the peer's
# --graph=random:4; the two sides draw different graphs of the same
# distribution), both simulators in one run, at N = 1,000 and 100,000, for
# the same simulated time on both sides. Prints, in one table per graph,
# each size's token passes (hops) per wall second and peak RSS for both, with
# the ratios (speed: snapsim / SimGrid; memory: SimGrid / snapsim), then the
# graph's marginal memory per process of each side:
# (peak RSS at 100,000 - peak RSS at 1,000) / 99,000, which removes each
# binary's fixed cost. One snapsim hop is two events (hold timer, arrival),
# so hops = events / 2; snapsim runs with its online checker on (no
# snapshots are taken: protocol none).
#
# The SimGrid peer (simgrid_tokens.cpp) puts each process on its own host of
# a star zone with a private link per host, so routing and max-min solving
# cost O(1) per message. It runs with the raw context factory (SimGrid's
# default), no guard pages (with one per stack, 10^5 actors exceed Linux's
# default vm.max_map_count of 65,530 mappings) and 16 KiB actor stacks
# (SG_STACK_KIB to change): SimGrid allocates guard-less stacks with calloc,
# so each costs its full size in RSS; this peer's actors run with 8 KiB
# stacks under guard pages (4 KiB overflows), and SimGrid's documentation
# quotes 16 KiB for its Chord example.
#
# Durations: each side runs a few seconds (snapsim) to about a minute
# (SimGrid) per size and graph on a 2-core machine.
#
# Usage: bench/peers/compare.sh [BUILD_DIR] [--small]   (needs libsimgrid-dev)
#   BUILD_DIR defaults to build-perf; --small runs N = 1,000 only (no
#   marginal memory). --big is accepted and is the default.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build-perf
specs="1000:300ms:0.3 100000:1ms:0.001"
for a in "$@"; do
  case $a in
    --big) ;;
    --small) specs="1000:300ms:0.3" ;;
    -*) echo "usage: $0 [BUILD_DIR] [--small]" >&2; exit 2 ;;
    *) build=$a ;;
  esac
done
stack=${SG_STACK_KIB:-16}
ours="$build/bench/engine/snapsim_scale"
peer="$build/bench/peers/snapsim_peer_simgrid_tokens"
for x in "$ours" "$peer"; do
  [ -x "$x" ] || { echo "compare.sh: $x not built" >&2; exit 2; }
done
# calc EXPR: evaluates a floating-point awk expression.
calc() { awk "BEGIN { printf \"%.10g\", $1 }"; }
# series LABEL SCENARIO [PEER_OPTION]: one table (both sizes) and its
# marginal-memory line, for one graph.
series() {
  label=$1 scenario=$2
  shift 2
  echo "$label"
  printf "%7s %6s | %13s %8s | %13s %8s | %6s %6s\n" N sim "snapsim hop/s" "peak MiB" \
    "SimGrid hop/s" "peak MiB" speed mem
  o_small=0 p_small=0 o_big=0 p_big=0
  for spec in $specs; do
    n=${spec%%:*} rest=${spec#*:}
    d=${rest%%:*} ds=${rest#*:}
    o=$("$ours" "$here/../engine/scenarios/$scenario" --set topology.processes="$n" \
          --set workload.tokens="$n" --set run.duration="$d" 2>/dev/null)
    # columns: actors events run_s Mev/s ns/event rss_load rss_peak B/actor ...
    o_hops=$(echo "$o" | awk '{printf "%.0f", $2 / 2 / $3}')
    o_bytes=$(echo "$o" | awk '{printf "%.0f", $8 * $1}')  # peak RSS, B/actor x actors
    p=$(timeout 600 "$peer" "$n" "$ds" "$@" --cfg=contexts/stack-size:"$stack" \
          --cfg=contexts/guard-size:0 2>/dev/null | grep '^simgrid' || true)
    [ -n "$p" ] || {
      echo "compare.sh: SimGrid peer failed or timed out at N=$n ($label)" >&2
      exit 3
    }
    p_hops=$(echo "$p" | sed 's/.*hops_per_s=\([0-9]*\).*/\1/')
    p_bytes=$(echo "$p" | sed 's/.*B_per_process=\([0-9]*\).*/\1/')
    p_bytes=$(calc "$p_bytes * $n")
    printf "%7s %6s | %13s %8.1f | %13s %8.1f | %5.1fx %5.1fx\n" "$n" "$d" "$o_hops" \
      "$(calc "$o_bytes / 1048576")" "$p_hops" "$(calc "$p_bytes / 1048576")" \
      "$(calc "$o_hops / $p_hops")" "$(calc "$p_bytes / $o_bytes")"
    case $n in
      1000) o_small=$o_bytes p_small=$p_bytes ;;
      100000) o_big=$o_bytes p_big=$p_bytes ;;
    esac
  done
  if [ "$o_big" != 0 ] && [ "$o_small" != 0 ]; then
    o_marg=$(calc "($o_big - $o_small) / 99000")
    p_marg=$(calc "($p_big - $p_small) / 99000")
    printf "marginal bytes per process (peak RSS 100,000 - 1,000, / 99,000): snapsim %.0f, SimGrid %.0f, ratio %.1fx\n" \
      "$o_marg" "$p_marg" "$(calc "$p_marg / $o_marg")"
  fi
}
series "ring:" tokens-ring.yaml
echo
series "random graph, mean degree 4:" tokens-random.yaml --graph=random:4
