// Runs one scenario: builds the world, workload and protocol, attaches the
// trace writer (when asked), runs the engine and gathers what it measured.
#pragma once

#include <optional>
#include <string>

#include "checker/report.h"
#include "experiments/bot_detector.h"
#include "experiments/scenario.h"
#include "sim/engine.h"
#include "sim/snapshot_log.h"

namespace snapsim {

struct RunOptions {
  std::string trace_path;  // empty: no trace
  bool progress = true;    // progress lines on stderr for runs longer than ~2 s
  // Check every snapshot with the online causal-cut checker (when the
  // protocol takes snapshots), and find witnesses for inconsistent ones.
  bool check = true;
  bool witnesses = true;
  // With witnesses: run without the checker's event log, and only when
  // some snapshot is inconsistent, run the scenario again (the same seed
  // gives the same run) up to the last such snapshot, without the checker,
  // logging only the windows of time between each one's first and last
  // local snapshot (checker::WitnessLog). The same witnesses, in memory
  // bounded by the windows instead of 16 bytes and more an event of the
  // whole run. false: log every event of the one run (what the tests
  // compare the replay with).
  bool witness_replay = true;
  // With witness_replay: start the replay as soon as the run finds its
  // first inconsistent snapshot, on a thread of its own that follows the
  // run (experiments/witness_replay.h), instead of after the run. The same
  // witnesses; the wall time of both together is about the longer one's.
  bool witness_replay_beside = true;
  // How often (in events, a power of two) the run tells a replay beside it
  // how far it may go. Tests make it small to pass that hand-over often.
  std::uint64_t witness_watch_every = 1 << 16;
  // Also run the same scenario with protocol `none` and report the latency
  // the protocol added to application messages. nullopt: the scenario's
  // run.baseline decides.
  std::optional<bool> baseline;
};

struct RunOutput {
  RunStats stats;
  SnapshotLog snapshots;
  std::optional<std::int64_t> conserved_total;  // from the workload, if it has one
  std::optional<checker::CheckReport> check;    // the checker's verdicts
  std::size_t in_group = 0;
  std::vector<std::pair<std::string, double>> protocol_figures;
  std::optional<LogHistogram> baseline_latency;  // app latency with protocol `none`
  std::optional<DetectorCounts> detector;        // bots workload: the detector's outcomes
  double wall_seconds = 0;
  double witness_replay_seconds = 0;       // the replay that found witnesses, if one ran
  double witness_wait_seconds = 0;         // of it, after the run had ended
  bool witness_replay_during_run = false;  // it started before the run ended
  // How witnesses were sought: "beside" or "after" (a replay beside or
  // after the run), "whole_log" (the checker's log of the run), "off".
  const char* witnesses = "off";
  std::string error;  // non-empty when the run could not be carried out
  // The event loop ended by an exception (memory ran out, or a model limit
  // such as 2^32 snapshot ids was passed): `error` says which, when and
  // after how many events; nothing else in this output is meaningful, and
  // the trace file, if any, was removed.
  bool aborted = false;
};

RunOutput RunScenario(const Scenario& scenario, const RunOptions& options);

}  // namespace snapsim
