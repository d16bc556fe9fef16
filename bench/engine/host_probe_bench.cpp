// Host probe: what the machine gives the engine at the moment it runs.
//
// The engine's figures on the project machine vary by a third from hour to
// hour with the same binary (docs/performance.md, "What the host gives").
// Two things could move them: the core's clock, and how much of the shared
// last-level cache the other tenants leave. This probe measures both, so a
// timing can be read beside the host's state when it was taken:
//
//   DependentAdds      eight dependent integer adds per iteration, one
//                      cycle each: adds/s is the core's clock (x86-64 only).
//   PointerChase/MiB   a load that depends on the one before, through a
//                      random cycle of 64-byte nodes over MiB mebibytes on
//                      huge pages (as the engine's large arrays are): ns per
//                      load is the latency of whichever level holds that
//                      much. Where it jumps to DRAM's latency is the share of
//                      the last-level cache this process gets right now.
//
// Run: build/bench/engine/snapsim_host_probe (about 10 s).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "sim/huge_pages.h"

namespace snapsim {
namespace {

struct alignas(64) Node {
  const Node* next = nullptr;
};
static_assert(sizeof(Node) == 64, "one node per cache line");

constexpr std::int64_t kLoadsPerIteration = 1 << 16;

void PointerChase(benchmark::State& state) {
  const std::size_t nodes = static_cast<std::size_t>(state.range(0)) * (1 << 20) / sizeof(Node);
  HugePageVector<Node> ring(nodes);
  // One random cycle through every node: node order[i] points to order[i + 1].
  std::vector<std::uint32_t> order(nodes);
  std::iota(order.begin(), order.end(), 0u);
  std::shuffle(order.begin() + 1, order.end(), std::mt19937_64(7));
  for (std::size_t i = 0; i < nodes; ++i) ring[order[i]].next = &ring[order[(i + 1) % nodes]];
  const Node* p = &ring[0];
  for (std::size_t i = 0; i < nodes; ++i) p = p->next;  // touch every page once
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kLoadsPerIteration; ++i) p = p->next;
    benchmark::DoNotOptimize(p);
  }
  // Seconds per load (shown with an SI prefix: "127n" is 127 ns).
  state.counters["per_load"] = benchmark::Counter(
      static_cast<double>(kLoadsPerIteration),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(PointerChase)
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->Arg(8)
    ->Arg(16)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);

#if defined(__x86_64__)
void DependentAdds(benchmark::State& state) {
  std::uint64_t x = 0;
  constexpr std::int64_t kRounds = 1 << 20;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kRounds; ++i)
      asm volatile(
          "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
          "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0"
          : "+r"(x));
    benchmark::DoNotOptimize(x);
  }
  // Dependent adds per second: the clock, one add a cycle ("3.1G/s" is 3.1 GHz).
  state.counters["clock"] = benchmark::Counter(static_cast<double>(8 * kRounds),
                                               benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(DependentAdds)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
}  // namespace snapsim

BENCHMARK_MAIN();
