#include "experiments/runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>
#include <vector>

#include "checker/online_checker.h"
#include "checker/witness_log.h"
#include "experiments/witness_replay.h"
#include "sim/trace_writer.h"

namespace snapsim {
namespace {

// Engine::Run in a frame of its own, never inlined into RunScenario. Inlined
// there, the event loop ran 1,643 instructions an event on the issue-7
// scenario, and 1,658 once RunScenario caught what it throws; in a frame of
// its own, 1,626 (bench/engine/cost_model.sh, the lines missed unchanged).
[[gnu::noinline]] const RunStats& RunEventLoop(Engine& engine, const StopConditions& stop) {
  return engine.Run(stop);
}

// What a run adds to the plain one: a sink (a replay's witness log), a call
// once its engine is built, and a witness replay that watches it
// (WitnessReplay::Watch, every options.witness_watch_every events).
struct RunHooks {
  TraceSink* extra = nullptr;
  std::function<void(Engine&)> on_engine;
  WitnessReplay* witnesses = nullptr;
};

// One run of the scenario, with the online checker's options `co` (when
// options.check) and `hooks`; `label` names the run in progress lines.
RunOutput RunOnce(const Scenario& scenario, const RunOptions& options,
                  const checker::OnlineChecker::Options& co, const char* label,
                  const RunHooks& hooks = {}) {
  RunOutput out;
  std::unique_ptr<Workload> workload = MakeWorkload(scenario.workload);
  std::unique_ptr<Protocol> protocol = MakeProtocol(scenario.protocol);
  if (!protocol) {
    out.error = fmt::format("unknown protocol '{}'", scenario.protocol.kind);
    return out;
  }
  Engine engine(scenario.world, *protocol, *workload);
  std::unique_ptr<TraceWriter> trace;
  if (!options.trace_path.empty()) {
    const auto parent = std::filesystem::path(options.trace_path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    trace = std::make_unique<TraceWriter>(options.trace_path);
    if (!trace->Ok()) {
      out.error = fmt::format("{}: cannot open the trace file for writing", options.trace_path);
      return out;
    }
    trace->SetLimit(scenario.stop.limits.trace_bytes, [&engine, &scenario] {
      engine.StopAtLimit("trace_bytes", scenario.stop.limits.trace_bytes);
    });
    engine.AddSink(trace.get());
  }
  std::unique_ptr<checker::OnlineChecker> online;
  if (options.check && scenario.protocol.kind != "none") {
    online = std::make_unique<checker::OnlineChecker>(co);
    engine.AddSink(online.get());
  }
  if (hooks.extra) engine.AddSink(hooks.extra);
  std::unique_ptr<BotDetector> detector;
  if (const auto* bots = dynamic_cast<const BotsWorkload*>(workload.get())) {
    detector = std::make_unique<BotDetector>(*bots);
    engine.AddSink(detector.get());
  }
  if (hooks.on_engine) hooks.on_engine(engine);
  WitnessReplay* const watch =
      online && hooks.witnesses && hooks.witnesses->Beside() ? hooks.witnesses : nullptr;
  const auto start = std::chrono::steady_clock::now();
  if (options.progress || watch) {
    // The callback owns its state: it outlives this block (a reference to a
    // local here dangled, and once the event loop was inlined its writes
    // landed on the event being handled, so the run hash of runs over 2^20
    // events depended on the wall clock).
    engine.SetProgress(
        [&scenario, &engine, checker = online.get(), watch, print = options.progress, label, start,
         last = start, end = scenario.stop.end_time](const RunStats& st, SimTime now) mutable {
          if (watch) watch->Watch(engine, *checker);
          if (!print) return;
          const auto t = std::chrono::steady_clock::now();
          if (t - last < std::chrono::seconds(2)) return;
          last = t;
          const double wall = std::chrono::duration<double>(t - start).count();
          const double frac = end == SimTime::Max() ? 0 : static_cast<double>(now.ns()) / end.ns();
          std::fprintf(stderr,
                       "snapsim: %s: %s%.1f%% of simulated time, %llu events, %.1f M events/s\n",
                       scenario.name.c_str(), label, 100 * frac,
                       static_cast<unsigned long long>(st.events), st.events / wall / 1e6);
        },
        watch ? options.witness_watch_every : 1 << 20);
  }
  try {
    out.stats = RunEventLoop(engine, scenario.stop);
  } catch (const std::exception& e) {
    // Out of memory, or a model limit passed mid-run: say what, when and
    // after how many events. Returning unwinds the trace writer, which
    // removes its unfinished file; the caller writes no results.
    const bool memory = dynamic_cast<const std::bad_alloc*>(&e) != nullptr;
    out.aborted = true;
    out.error = fmt::format(
        "{}: the run could not go on at simulated time {} ns, after {} events: {}{}",
        scenario.file.empty() ? scenario.name : scenario.file, engine.Now().ns(),
        engine.Stats().events, memory ? "out of memory" : e.what(),
        memory ? "; no results were written (a smaller scenario, or lower limits.pending_events, "
                 "limits.messages_in_flight or limits.snapshots, stops the run cleanly first)"
               : "; no results were written");
    return out;
  }
  out.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.snapshots = engine.Snapshots();
  out.conserved_total = workload->ConservedTotal();
  out.protocol_figures = protocol->Figures();
  if (detector) out.detector = detector->Counts();
  out.in_group = engine.world().InGroup().size();
  if (online) {
    out.check = online->TakeReport();
    if (out.check->error)
      out.error = fmt::format("internal error: the run produced a malformed trace (event {}: {})",
                              out.check->error->line, out.check->error->message);
  }
  if (trace && !trace->Finished())
    out.error = fmt::format("{}: could not write the trace file", options.trace_path);
  return out;
}

// Adds to `out` the app latency of the same scenario with protocol `none`,
// when asked for (RunOptions::baseline or the scenario's run.baseline).
RunOutput WithBaseline(const Scenario& scenario, const RunOptions& options, RunOutput out) {
  if (options.baseline.value_or(scenario.baseline) && scenario.protocol.kind != "none") {
    Scenario plain = scenario;
    plain.protocol = ProtocolOptions{};
    // Compare like with like: a truncated run's baseline stops where it did.
    if (out.stats.reason == StopReason::kResourceLimit) plain.stop.end_time = out.stats.end_time;
    RunOptions plain_options;
    plain_options.progress = false;
    plain_options.check = false;
    plain_options.baseline = false;
    out.baseline_latency = RunScenario(plain, plain_options).stats.app_latency;
  }
  return out;
}

}  // namespace

RunOutput RunScenario(const Scenario& scenario, const RunOptions& options) {
  checker::OnlineChecker::Options co;
  co.record_witnesses = options.witnesses && !options.witness_replay;
  if (!options.witnesses || !options.witness_replay) {
    RunOutput out = RunOnce(scenario, options, co, "");
    if (!out.error.empty()) return out;
    if (out.check && options.witnesses) out.witnesses = "whole_log";
    return WithBaseline(scenario, options, std::move(out));
  }
  // Witnesses by replay: the same scenario, with no checker and a witness
  // log as its one more sink, which ends it once no window is left ahead.
  RunOptions replay_options;
  replay_options.progress = options.progress;
  replay_options.check = false;
  replay_options.baseline = false;
  WitnessReplay replay(
      [&scenario, replay_options](checker::WitnessLog& log) {
        RunHooks hooks;
        hooks.extra = &log;
        hooks.on_engine = [&log](Engine& engine) {
          log.OnNothingAhead([&engine] { engine.StopAtLimit("witness_windows", 0); });
        };
        RunOutput replayed = RunOnce(scenario, replay_options, {}, "finding witnesses: ", hooks);
        log.OnNothingAhead(nullptr);  // the engine it stops is gone
        return replayed;
      },
      options.witness_replay_beside);
  RunHooks hooks;
  hooks.witnesses = &replay;
  RunOutput out = RunOnce(scenario, options, co, "", hooks);
  if (!out.error.empty()) return out;  // ~WitnessReplay stops a replay going
  if (out.check) {
    out.witnesses = options.witness_replay_beside ? "beside" : "after";
    replay.Finish(out);
    if (!out.error.empty()) return out;
  }
  return WithBaseline(scenario, options, std::move(out));
}

}  // namespace snapsim
