#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (into build-fuzz/) and runs each for
# SECONDS (default 60), starting from corpora made of the shipped scenarios
# and the checker's test traces. Crashes land in fuzz-artifacts/; each one
# found becomes a regression test (tests/fuzz/regressions/, replayed by
# tests/fuzz/replay_test.sh in the normal test suite).
# Usage: scripts/fuzz.sh [SECONDS]   a time-bounded run (random seed)
#        scripts/fuzz.sh --ci        a fixed seed and number of executions per
#                                    target: the same inputs on every run (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
CI_MODE=0
if [ "${1:-}" = "--ci" ]; then CI_MODE=1; shift; fi
SECONDS_PER_TARGET=${1:-60}
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
for p in clang libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev >/dev/null
    break
  fi
done
scripts/install-deps.sh
[ -f build-fuzz/build.ninja ] ||
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DSNAPSIM_FUZZ=ON \
    -DSNAPSIM_BUILD_TESTS=OFF -DSNAPSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "${JOBS:-$(nproc)}" --target fuzz_scenario fuzz_trace
mkdir -p fuzz-artifacts build-fuzz/corpus/scenario build-fuzz/corpus/trace
cp experiments/*.yaml tests/cli/data/*.yaml build-fuzz/corpus/scenario/
cp tests/checker/data/*.jsonl build-fuzz/corpus/trace/
cp tests/fuzz/regressions/scenario/* build-fuzz/corpus/scenario/ 2>/dev/null || true
cp tests/fuzz/regressions/trace/* build-fuzz/corpus/trace/ 2>/dev/null || true
for target in scenario trace; do
  if [ $CI_MODE = 1 ]; then
    bound=(-seed=1 -runs=$([ $target = scenario ] && echo 15000 || echo 300000))
    echo "fuzz_$target: ${bound[*]}"
  else
    bound=(-max_total_time="$SECONDS_PER_TARGET")
    echo "fuzz_$target: ${SECONDS_PER_TARGET}s"
  fi
  # A fresh corpus copy each time, so CI mode always starts from the same inputs.
  rm -rf "build-fuzz/work-$target" && cp -r "build-fuzz/corpus/$target" "build-fuzz/work-$target"
  build-fuzz/tests/fuzz/fuzz_$target "build-fuzz/work-$target" \
    "${bound[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix=fuzz-artifacts/fuzz_${target}- -print_final_stats=1 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==.*ERROR|SUMMARY|Done)" || true
done
if ls fuzz-artifacts/* >/dev/null 2>&1; then
  echo "fuzz: crashes found:" && ls fuzz-artifacts/
  exit 1
fi
echo "fuzz: no crash"
