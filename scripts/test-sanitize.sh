#!/usr/bin/env bash
# Builds the C++ test suites with AddressSanitizer + UndefinedBehaviorSanitizer
# into build-asan/ and runs them (ctest label "unit"). Any sanitizer report
# fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
JOBS=${JOBS:-$(nproc)}
[ -f build-asan/build.ninja ] ||
  cmake -S . -B build-asan -G Ninja -DSNAPSIM_SANITIZE=ON -DSNAPSIM_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j "$JOBS" --target snapsim_tests snapsim_protocol_tests snapsim_checker_tests
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure -j "$JOBS" -L unit
