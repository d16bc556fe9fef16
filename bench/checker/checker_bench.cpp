// Google Benchmark for the fast checker on generated in-memory traces of
// 10^5, 10^6 and 10^7 events with 1 and 64 snapshots in flight. Items are
// trace events; the trace is built once per size, outside the timing.
//
//   build-checker/bench/checker/snapsim_checker_bench --benchmark_repetitions=3
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <tuple>
#include <variant>

#include "checker/offline_checker.h"
#include "trace_gen.h"

namespace snapsim::checker::bench {
namespace {

CompactTrace& CachedTrace(std::uint64_t events, int in_flight, bool monotone) {
  static std::map<std::tuple<std::uint64_t, int, bool>, std::unique_ptr<CompactTrace>> cache;
  auto& slot = cache[{events, in_flight, monotone}];
  if (!slot) {
    cache.clear();  // keep one large trace in memory at a time
    auto& fresh = cache[{events, in_flight, monotone}];
    BenchTraceParams p;
    p.events = events;
    p.in_flight = in_flight;
    p.monotone = monotone;
    fresh = std::make_unique<CompactTrace>(MakeBenchTrace(p));
    return *fresh;
  }
  return *slot;
}

void Run(benchmark::State& state, bool monotone, bool witnesses) {
  const auto events = static_cast<std::uint64_t>(state.range(0));
  const int in_flight = static_cast<int>(state.range(1));
  CompactTrace& trace = CachedTrace(events, in_flight, monotone);
  std::size_t inconsistent = 0, snapshots = 0;
  for (auto _ : state) {
    auto result = CheckTrace(trace, witnesses);
    const auto& report = std::get<CheckReport>(result);
    inconsistent = report.counters.inconsistent;
    snapshots = report.snapshots.size();
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.EventCount()));
  state.counters["snapshots"] = static_cast<double>(snapshots);
  state.counters["inconsistent"] = static_cast<double>(inconsistent);
}

// The fast pass and the report, without witnesses (prefix representation).
void BM_FastCheck(benchmark::State& state) { Run(state, true, false); }
// Ids taken out of order within each batch: the bitset representation.
void BM_FastCheckBitsets(benchmark::State& state) { Run(state, false, false); }
// With a witness searched for every inconsistent snapshot.
void BM_FastCheckWithWitnesses(benchmark::State& state) { Run(state, true, true); }

BENCHMARK(BM_FastCheck)
    ->ArgsProduct({{100000, 1000000, 10000000}, {1, 64}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_FastCheckBitsets)
    ->ArgsProduct({{1000000}, {64}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_FastCheckWithWitnesses)
    ->ArgsProduct({{1000000}, {1, 64}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace snapsim::checker::bench

BENCHMARK_MAIN();
