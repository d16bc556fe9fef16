#include "experiments/witness_replay.h"

#include <algorithm>
#include <exception>
#include <new>
#include <system_error>
#include <utility>

namespace snapsim {

using Window = checker::WitnessLog::Window;

namespace {
double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

WitnessReplay::WitnessReplay(Replayer replay, bool beside)
    : replay_(std::move(replay)), beside_(beside) {}

WitnessReplay::~WitnessReplay() {
  if (!thread_.joinable()) return;
  feed_.Cancel();
  thread_.join();
}

void WitnessReplay::Watch(const Engine& engine, const checker::OnlineChecker& checker) {
  if (!beside_ || !dense_) return;
  const SnapshotLog& log = engine.Snapshots();
  const std::size_t in_group = engine.world().InGroup().size();
  if (!log.DenseSoFar()) {
    dense_ = false;  // the horizon stays where it is until the run ends
    return;
  }
  for (; next_id_ <= log.IndexedThrough(); ++next_id_) open_.push_back(next_id_);
  std::vector<Window> found;
  SimTime horizon = engine.Now();
  std::size_t kept = 0;
  for (const SnapshotId id : open_) {
    const SnapshotTally& t = log.PeekTally(id);
    if (t.processes_recorded >= in_group && in_group > 0) {
      // Taken by every in-group process: the verdict is final.
      if (checker.InconsistentSoFar(id)) {
        found.push_back({t.first_local, t.last_local, {id}});
        if (published_.size() <= id) published_.resize(id + 1);
        published_[id] = true;
      }
      continue;
    }
    if (t.processes_recorded > 0) horizon = std::min(horizon, t.first_local);
    open_[kept++] = id;
  }
  open_.resize(kept);
  if (found.empty() && !thread_.joinable()) return;  // nothing to replay yet
  feed_.Publish(std::move(found), horizon);
  if (!thread_.joinable()) Start();
}

void WitnessReplay::Start() {
  log_ = std::make_unique<checker::WitnessLog>(feed_);
  started_ = std::chrono::steady_clock::now();
  try {
    thread_ = std::thread([this] {
      try {
        result_ = replay_(*log_);
      } catch (const std::bad_alloc&) {
        result_.error = "out of memory";
        result_.aborted = true;
      } catch (const std::exception& e) {
        result_.error = e.what();
        result_.aborted = true;
      }
      seconds_ = SecondsSince(started_);
    });
  } catch (const std::system_error&) {
    // No thread to be had: replay after the run, with every window.
    beside_ = false;
    published_.clear();
    log_.reset();
  }
}

std::vector<Window> WitnessReplay::Remaining(const RunOutput& out) const {
  std::vector<Window> windows;
  const auto& records = out.snapshots.All();
  for (const checker::SnapshotReport& s : out.check->snapshots) {
    if (s.consistent || (s.id < published_.size() && published_[s.id])) continue;
    const auto it = records.find(s.id);
    if (it == records.end() || !it->second.first_local) continue;
    windows.push_back({*it->second.first_local, *it->second.last_local, {s.id}});
  }
  checker::WitnessLog::MergeWindows(windows);
  return windows;
}

void WitnessReplay::Finish(RunOutput& out) {
  std::vector<Window> rest = Remaining(out);
  const auto wait_start = std::chrono::steady_clock::now();
  if (thread_.joinable()) {
    out.witness_replay_during_run = true;
    feed_.Close(std::move(rest));
    thread_.join();
  } else {
    if (rest.empty()) return;  // every snapshot consistent
    log_ = std::make_unique<checker::WitnessLog>(std::move(rest));
    started_ = std::chrono::steady_clock::now();
    result_ = replay_(*log_);
    seconds_ = SecondsSince(started_);
  }
  out.witness_replay_seconds = seconds_;
  out.witness_wait_seconds = SecondsSince(wait_start);
  if (!result_.error.empty()) {
    out.error = "replaying the run to find the witnesses: " + result_.error;
    out.aborted = result_.aborted;
    return;
  }
  for (checker::SnapshotReport& s : out.check->snapshots)
    if (!s.consistent) s.witness = log_->Witness(s.id);
}

}  // namespace snapsim
