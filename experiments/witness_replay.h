// WitnessReplay: finds the witnesses of a run's inconsistent snapshots by
// running the scenario again (the same seed gives the same run) with no
// checker and a checker::WitnessLog that logs only the windows of time from
// each such snapshot's first to its last local snapshot.
//
// Beside the run (the default of `snapsim run`): the replay starts on a
// thread of its own as soon as the run finds its first inconsistent
// snapshot, and follows the run, never past a horizon before which every
// window is known: the earliest first local snapshot of the snapshots not
// yet taken by every in-group process (once a snapshot is, the checker's
// verdict on it is final). Watch() moves the horizon on every 2^16 events
// of the run (RunOptions::witness_watch_every). A snapshot the run never completes holds the
// horizon back until the run ends. After the run: the replay starts when the run ends. Either way
// the windows, and so the chains, are the same.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "checker/online_checker.h"
#include "checker/witness_log.h"
#include "experiments/runner.h"
#include "experiments/window_feed.h"
#include "sim/engine.h"

namespace snapsim {

class WitnessReplay {
 public:
  // Runs the replay: the scenario, with `log` as one more sink, which ends
  // it once no window is left ahead (WitnessLog::OnNothingAhead).
  using Replayer = std::function<RunOutput(checker::WitnessLog& log)>;

  // `beside`: start the replay during the run (on another thread), not
  // after it.
  WitnessReplay(Replayer replay, bool beside);
  // Cancels a replay still going and waits for it.
  ~WitnessReplay();
  WitnessReplay(const WitnessReplay&) = delete;
  WitnessReplay& operator=(const WitnessReplay&) = delete;

  // Whether the run should call Watch (the replay goes beside it).
  bool Beside() const { return beside_; }
  // Called by the run (every few events, between two of them; `engine` and
  // `checker` are its own): publishes the windows of the snapshots
  // completed and inconsistent since the last call, and the new horizon;
  // starts the replay at the first window.
  void Watch(const Engine& engine, const checker::OnlineChecker& checker);
  // After the run, whose report and snapshot records are in `out`: hands
  // over the windows not yet published, waits for the replay (or runs it)
  // and fills in the witnesses of out's inconsistent snapshots. On a failed
  // replay, sets out.error (and out.aborted).
  void Finish(RunOutput& out);

 private:
  void Start();
  // The windows of out's inconsistent snapshots not yet published, sorted
  // and merged.
  std::vector<checker::WitnessLog::Window> Remaining(const RunOutput& out) const;

  Replayer replay_;
  bool beside_;
  // Watch's state: ids 1..next_id_-1 have been seen, open_ are those not
  // yet taken by every in-group process, published_[id] that id's window
  // was published. dense_ is false once ids stop being dense (the horizon
  // then waits for the end of the run).
  SnapshotId next_id_ = 1;
  std::vector<SnapshotId> open_;
  std::vector<bool> published_;
  bool dense_ = true;

  WindowFeed feed_;
  std::unique_ptr<checker::WitnessLog> log_;
  std::thread thread_;
  RunOutput result_;  // the replay's own output (its error, if any)
  std::chrono::steady_clock::time_point started_;
  double seconds_ = 0;  // the replay's wall time
};

}  // namespace snapsim
