// One end-to-end run for the scale measurements (issue 7): loads a scenario
// (with --set overrides), runs it with the online checker on and witness
// recording off, and prints one line of figures:
//   actors events wall_s Mev_per_s ns_per_event rss_load_MiB rss_peak_MiB
//   bytes_per_actor pending_max total_s
// run_s is Engine::Run's wall time: the event loop, and what Run does
// around it (the sinks' declarations of every actor and channel, the
// protocol's and the workload's OnStart, the checker's final report; about
// a tenth of run_s at 10^6 processes, docs/performance.md); total_s also
// includes loading the scenario and building the engine (topology, channels).
// rss_load is the resident size after loading the scenario (topology built),
// rss_peak the high-water mark of the whole process (VmHWM), so it includes
// the scenario, the engine's copy of the world and everything the run grew.
//
// With --witnesses beside|after, it also finds the inconsistent snapshots'
// witnesses by replay (beside the run, or after it), as `snapsim run` does,
// and prints the replay's times on stderr; run_s stays the run's own.
//
// Usage: snapsim_scale FILE [--set key=value]... [--no-check] [--header]
//                      [--witnesses beside|after]
#include <chrono>
#include <cstdio>
#include <string>

#include "bench/proc_status.h"
#include "experiments/runner.h"
#include "experiments/scenario.h"

int main(int argc, char** argv) {
  const auto t0 = std::chrono::steady_clock::now();
  std::string path;
  snapsim::ScenarioOverrides overrides;
  bool header = false;
  bool check = true;
  std::string witnesses;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--set" && i + 1 < argc) {
      overrides.sets.push_back(argv[++i]);
    } else if (arg == "--no-check") {
      check = false;
    } else if (arg == "--witnesses" && i + 1 < argc &&
               (std::string(argv[i + 1]) == "beside" || std::string(argv[i + 1]) == "after")) {
      witnesses = argv[++i];
    } else if (arg == "--header") {
      header = true;
    } else if (path.empty()) {
      path = arg;
    } else {
      std::fprintf(stderr,
                   "usage: snapsim_scale FILE [--set key=value]... [--no-check] [--header] "
                   "[--witnesses beside|after]\n");
      return 2;
    }
  }
  if (header)
    std::printf("%10s %12s %8s %9s %9s %10s %10s %10s %12s %8s\n", "actors", "events", "run_s",
                "Mev/s", "ns/event", "rss_load", "rss_peak", "B/actor", "pending_max", "total_s");
  if (path.empty()) return header ? 0 : 2;
  snapsim::LoadResult loaded = snapsim::LoadScenario(path, overrides);
  if (!loaded.scenario) {
    std::fprintf(stderr, "snapsim_scale: %s\n", loaded.error.c_str());
    return 2;
  }
  const long rss_load = snapsim::bench::ProcStatusKiB("VmRSS");
  snapsim::RunOptions options;
  options.progress = false;
  options.check = check;
  options.witnesses = !witnesses.empty();
  options.witness_replay_beside = witnesses == "beside";
  options.baseline = false;
  const snapsim::RunOutput out = snapsim::RunScenario(*loaded.scenario, options);
  if (!out.error.empty()) {
    std::fprintf(stderr, "snapsim_scale: %s\n", out.error.c_str());
    return 3;
  }
  const long rss_peak = snapsim::bench::ProcStatusKiB("VmHWM");
  const double events = static_cast<double>(out.stats.events);
  const std::size_t actors = loaded.scenario->world.names.size();
  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%10zu %12llu %8.2f %9.2f %9.1f %9.0fM %9.0fM %10.0f %12llu %8.2f\n", actors,
              static_cast<unsigned long long>(out.stats.events), out.wall_seconds,
              events / out.wall_seconds / 1e6, out.wall_seconds * 1e9 / events, rss_load / 1024.0,
              rss_peak / 1024.0, rss_peak * 1024.0 / actors,
              static_cast<unsigned long long>(out.stats.pending_max), total_s);
  if (out.check)
    std::fprintf(stderr,
                 "  snapshots: initiated %llu, accepted %llu, inconsistent %llu, accepted but "
                 "inconsistent %llu\n",
                 static_cast<unsigned long long>(out.check->counters.initiated),
                 static_cast<unsigned long long>(out.check->counters.accepted),
                 static_cast<unsigned long long>(out.check->counters.inconsistent),
                 static_cast<unsigned long long>(out.check->counters.accepted_inconsistent));
  if (!witnesses.empty())
    std::fprintf(stderr,
                 "  witnesses (%s): replay %.2f s, %.2f s of it after the run; started %s\n",
                 witnesses.c_str(), out.witness_replay_seconds, out.witness_wait_seconds,
                 out.witness_replay_during_run ? "during the run" : "after the run");
  return 0;
}
