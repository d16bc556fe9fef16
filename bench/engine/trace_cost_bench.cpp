// What tracing costs (issue 7: "the trace off by default costs nothing
// measurable"). One run shape, three ways: tokens on a ring of 1,000
// processes (every actor's state fits in the caches, so the engine is at its
// fastest and any overhead shows), 2^20 events per iteration:
//   Off     no sink attached, the default of `snapsim run` without --trace
//           and of every run with protocol none;
//   NoOp    one sink whose calls do nothing: the price of the trace hooks
//           themselves (a virtual call per traced event);
//   Jsonl   the JSON Lines trace writer, into /dev/null.
// With the trace off each hook is a loop over an empty sink list. Reported
// as events per second of the timed region (`events_per_s`; ns per event is
// its inverse); building and destroying the engine are not timed.
#include <benchmark/benchmark.h>

#include <memory>
#include <string_view>

#include "experiments/scenario.h"
#include "protocols/registry.h"
#include "sim/engine.h"
#include "sim/trace_sink.h"
#include "sim/trace_writer.h"
#include "sim/workloads/registry.h"

namespace snapsim {
namespace {

// Accepts every call and does nothing.
class NoOpSink : public TraceSink {
 public:
  void Actor(ActorId, std::string_view, ActorGroup) override {}
  void Send(SimTime, ActorId, MessageRef, ActorId) override {}
  void Forward(SimTime, ActorId, MessageRef, ActorId) override {}
  void Recv(SimTime, ActorId, MessageRef) override {}
  void Internal(SimTime, ActorId) override {}
  void Snapshot(SimTime, ActorId, SnapshotId, std::int64_t) override {}
  void Verdict(SnapshotId, bool) override {}
  void Unfinished(SnapshotId) override {}
  void ChannelState(SnapshotId, ActorId, ActorId, std::span<const MessageId>) override {}
};

constexpr const char* kTokensRing = R"(
name: trace-cost
run: {duration: 1000s}
topology: {kind: ring, processes: 1000}
workload: {kind: tokens, tokens: 1000}
)";
constexpr std::uint64_t kEvents = 1 << 20;

enum class Tracing { kOff, kNoOp, kJsonl };

void BM_TokensRing(benchmark::State& state, Tracing tracing) {
  LoadResult loaded = LoadScenarioText(kTokensRing, "trace-cost", ".");
  if (!loaded.scenario) {
    state.SkipWithError(loaded.error.c_str());
    return;
  }
  Scenario& s = *loaded.scenario;
  s.stop.max_events = kEvents;
  std::uint64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto workload = MakeWorkload(s.workload);
    auto protocol = MakeProtocol(s.protocol);
    auto engine = std::make_unique<Engine>(s.world, *protocol, *workload);
    NoOpSink noop;
    std::unique_ptr<TraceWriter> writer;
    if (tracing == Tracing::kNoOp) engine->AddSink(&noop);
    if (tracing == Tracing::kJsonl) {
      writer = std::make_unique<TraceWriter>("/dev/null");
      engine->AddSink(writer.get());
    }
    state.ResumeTiming();
    events += engine->Run(s.stop).events;
    state.PauseTiming();
    engine.reset();
    writer.reset();
    state.ResumeTiming();
  }
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_TokensRing, Off, Tracing::kOff)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TokensRing, NoOp, Tracing::kNoOp)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TokensRing, Jsonl, Tracing::kJsonl)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace snapsim

BENCHMARK_MAIN();
