// WindowFeed: hands the windows of a run's inconsistent snapshots to a replay
// of the run that goes beside it on another thread (experiments/witness_replay.h).
//
// The run publishes, from time to time, the windows it has found since its
// last call and a horizon: a time before which every window is known (no
// snapshot still open started before it). The replay's WitnessLog waits at
// the horizon until the run moves it on or closes the feed.
#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

#include "checker/witness_log.h"

namespace snapsim {

class WindowFeed : public checker::WitnessLog::WindowSource {
 public:
  using Window = checker::WitnessLog::Window;

  // The run: `found` (each starting at or after the last horizon given) and
  // the new horizon, which never moves back.
  void Publish(std::vector<Window> found, SimTime horizon);
  // The run ended: the rest of the windows; none will come after them.
  void Close(std::vector<Window> rest);
  // The run failed: the replay is to stop.
  void Cancel();

  // The replay (WitnessLog): blocks until the horizon passes t or the feed
  // is closed or cancelled.
  Known Await(SimTime t, std::vector<Window>& out) override;

 private:
  std::mutex mutex_;
  std::condition_variable moved_;
  std::vector<Window> pending_;  // published, not yet taken by the replay
  SimTime horizon_ = SimTime(0);
  bool closed_ = false;
  bool cancelled_ = false;
};

}  // namespace snapsim
