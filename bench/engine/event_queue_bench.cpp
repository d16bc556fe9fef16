// The pending-event set in the classic hold model (issue 7): the queue holds
// N events; each hold pops the least event and pushes one at
// popped.time + increment, so the size stays N. Increments are exponential,
// uniform or heavy-tailed (Pareto), all with mean 1 us, drawn in advance into
// a table so that the timed loop measures the queue and not the generator.
//
// Six structures are compared under the same (time, seq) order:
//   WindowQueue snapsim::WindowEventQueue (sim/window_event_queue.h), the
//               engine's since the twenty-fifth pass: buckets of a window,
//               the radix heap beyond it;
//   RadixQueue  snapsim::RadixEventQueue (sim/radix_event_queue.h), the
//               monotone radix heap the engine used before;
//   EventQueue  snapsim::EventQueue (sim/event_queue.h), the 4-ary heap;
//   LadderQueue snapsim::LadderQueue (ladder_queue.h), Tang, Goh and Thng's
//               ladder queue with linked-list buckets, written for this
//               comparison, and ArrayLadderQueue, the same with vectors
//               as buckets;
//   BinaryHeap  std::priority_queue over std::vector<Event> (a binary heap),
//               the obvious alternative, written here only.
//
// The queue for one (structure, distribution, N) is built and warmed up (N
// holds, so the time distribution reaches its steady state) once and reused
// across Google Benchmark's repeated calls: building 10^7 events each call
// would dominate the run time.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench/engine/ladder_queue.h"
#include "sim/event_queue.h"
#include "sim/radix_event_queue.h"
#include "sim/window_event_queue.h"

namespace snapsim {
namespace {

enum class Dist { kExponential, kUniform, kPareto };

constexpr std::size_t kTableSize = 1 << 16;  // 512 KiB of increments
constexpr double kMeanNs = 1000;

std::vector<std::int64_t> MakeIncrements(Dist d) {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  std::vector<std::int64_t> out(kTableSize);
  for (auto& x : out) {
    const double u = u01(rng);
    double v = 0;
    switch (d) {
      case Dist::kExponential:
        v = -kMeanNs * std::log1p(-u);
        break;
      case Dist::kUniform:
        v = 2 * kMeanNs * u;
        break;
      case Dist::kPareto: {
        // Pareto with shape 1.5 (infinite variance) and scale xm, mean
        // xm * a / (a - 1) = 3 xm = 1 us.
        const double a = 1.5, xm = kMeanNs / 3;
        v = xm / std::pow(1 - u, 1 / a);
        break;
      }
    }
    x = static_cast<std::int64_t>(v);
  }
  return out;
}

struct BinaryHeap {
  struct Greater {
    bool operator()(const Event& x, const Event& y) const {
      return y.time < x.time || (y.time == x.time && y.seq < x.seq);
    }
  };
  std::priority_queue<Event, std::vector<Event>, Greater> q;
  void Push(const Event& e) { q.push(e); }
  Event Pop() {
    Event e = q.top();
    q.pop();
    return e;
  }
  std::size_t Size() const { return q.size(); }
};

// One prepared hold-model state per structure; only its most recent is kept,
// so at most one 10^7-event queue per structure lives at a time (320 MB of
// events for the heaps; the ladder queue's nodes and scratch vector take
// about twice that).
template <typename Q>
struct HoldState {
  Dist dist;
  std::size_t n;
  Q queue;
  std::vector<std::int64_t> inc;
  std::size_t next = 0;
  std::uint64_t seq = 0;

  std::int64_t Increment() { return inc[next++ & (kTableSize - 1)]; }
  void Hold() {
    Event e = queue.Pop();
    e.time = SimTime(e.time.ns() + Increment());
    e.seq = seq++;
    queue.Push(e);
  }
};

template <typename Q>
HoldState<Q>& Prepared(Dist d, std::size_t n) {
  static std::unique_ptr<HoldState<Q>> state;
  if (!state || state->dist != d || state->n != n) {
    state.reset();  // free the previous queue first
    state = std::make_unique<HoldState<Q>>();
    state->dist = d;
    state->n = n;
    state->inc = MakeIncrements(d);
    for (std::size_t i = 0; i < n; ++i) {
      Event e;
      e.time = SimTime(state->Increment());
      e.seq = state->seq++;
      e.a = static_cast<std::uint32_t>(i);
      state->queue.Push(e);
    }
    for (std::size_t i = 0; i < n; ++i) state->Hold();  // warm up
  }
  return *state;
}

template <typename Q>
void BM_Hold(benchmark::State& st, Dist d) {
  HoldState<Q>& s = Prepared<Q>(d, static_cast<std::size_t>(st.range(0)));
  for (auto _ : st) s.Hold();
  benchmark::DoNotOptimize(s.seq);
  st.SetItemsProcessed(st.iterations());
  st.counters["pending"] = static_cast<double>(s.queue.Size());
}

// Each size runs for at least 0.3 s, which is several passes over the
// pending events up to 10^6. The radix heap pays in bursts (a refill moves a
// whole bucket, at 10^7 pending millions of events at once), so a window of
// less than one pass catches a varying number of them: 0.3 s at 10^7 is a
// few million holds (three runs: 58-422 ns per hold). That size runs a fixed
// three passes instead (3 x 10^7 holds; three runs: 82-149 ns). The rest of
// that spread was the radix heap's own bucket vectors growing by
// reallocation; with its segment pool, 44-53 ns over nine runs.
void Sizes(benchmark::internal::Benchmark* b) {
  for (std::int64_t n = 1000; n <= 1'000'000; n *= 10) b->Arg(n);
  b->MinTime(0.3);
}
void LargestSize(benchmark::internal::Benchmark* b) { b->Arg(10'000'000)->Iterations(30'000'000); }

// Registers BM_<structure>/<distribution>/<size> for every distribution, the
// sizes up to 10^6 timed and 10^7 in fixed passes.
template <typename Q>
void RegisterHold(const std::string& structure) {
  for (const auto& [name, d] :
       {std::pair{"Exponential", Dist::kExponential}, std::pair{"Uniform", Dist::kUniform},
        std::pair{"Pareto", Dist::kPareto}}) {
    const std::string label = "BM_" + structure + "/" + name;
    const auto hold = [dist = d](benchmark::State& st) { BM_Hold<Q>(st, dist); };
    benchmark::RegisterBenchmark(label.c_str(), hold)->Apply(Sizes);
    benchmark::RegisterBenchmark(label.c_str(), hold)->Apply(LargestSize);
  }
}

const bool kRegistered = [] {
  RegisterHold<RadixEventQueue>("RadixQueue");
  RegisterHold<WindowEventQueue>("WindowQueue");
  RegisterHold<EventQueue>("EventQueue");
  RegisterHold<LadderQueue>("LadderQueue");
  RegisterHold<ArrayLadderQueue>("ArrayLadderQueue");
  RegisterHold<BinaryHeap>("BinaryHeap");
  return true;
}();

}  // namespace
}  // namespace snapsim

BENCHMARK_MAIN();
