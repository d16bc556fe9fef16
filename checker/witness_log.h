// WitnessLog: the event log that witnesses are searched in, kept only for the
// events at times inside given windows of simulated time. A trace sink for a
// replay of a run (experiments/runner.cpp): it judges nothing, so the replay
// costs the engine and the protocol, and memory for the windows only.
//
// A witness lies between its snapshot's first and last local snapshot
// (WitnessFinder walks no further), so a snapshot whose local snapshots all
// fall in one window gets the same chain as from a log of the whole run (the
// online checker's). A message sent before a window enters the log at its
// first hop inside it, so that a chain can follow it from there (a gateway
// that forwards it after it forwarded a message of the chain).
//
// The windows are either all known when the replay starts (it runs after
// the run), or handed over while it goes by a WindowSource (it runs beside
// the run, on a thread of its own, never ahead of what the run has judged).
#pragma once

#include <tsl/robin_map.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checker/compact_trace.h"
#include "checker/witness.h"
#include "sim/id_hash.h"
#include "sim/trace_sink.h"

namespace snapsim::checker {

class WitnessLog : public snapsim::TraceSink {
 public:
  // A closed interval of simulated time and the snapshots whose witnesses
  // are searched in it (those whose local snapshots all fall inside).
  struct Window {
    SimTime first, last;
    std::vector<SnapshotId> snapshots;
  };
  // Where windows come from while the replay goes. Await(t, out) returns
  // once every window that starts at or before t is known, after appending
  // to `out` those not given before; each starts after the horizon the
  // previous call returned.
  class WindowSource {
   public:
    struct Known {
      SimTime horizon;         // > t: every window starting before it is known
      bool closed = false;     // no window will come (horizon is SimTime::Max())
      bool cancelled = false;  // the run failed: log nothing more
    };
    virtual ~WindowSource() = default;
    virtual Known Await(SimTime t, std::vector<Window>& out) = 0;
  };

  // `windows`: sorted by start and disjoint. Each window's witnesses are
  // searched as soon as the run passes its end, and its log is then
  // dropped, so the log never holds more than one window.
  explicit WitnessLog(std::vector<Window> windows);
  // Windows from `source`, merged with those overlapping them as they come
  // (the same windows, so the same chains, as when all are known first).
  explicit WitnessLog(WindowSource& source);
  // `stop` is called once, when no window is left ahead of the replay (the
  // source is closed and the last window searched) or the source is
  // cancelled: the replay can end there.
  void OnNothingAhead(std::function<void()> stop) { stop_ = std::move(stop); }

  // Sorts `windows` by start and merges those that overlap (a window that
  // starts at or before another's end joins it, with its snapshots).
  static void MergeWindows(std::vector<Window>& windows);

  void Actor(ActorId actor, std::string_view name, ActorGroup group) override;
  void Send(SimTime t, ActorId actor, MessageRef msg, ActorId to) override;
  void SendControl(SimTime t, ActorId actor, MessageRef msg, ActorId to) override;
  void Forward(SimTime t, ActorId gateway, MessageRef msg, ActorId to) override;
  void Recv(SimTime t, ActorId actor, MessageRef msg) override;
  void Internal(SimTime t, ActorId actor) override;
  void Snapshot(SimTime t, ActorId actor, SnapshotId id, std::int64_t state) override;
  void Snapshots(SimTime t, ActorId actor, SnapshotId first, SnapshotId last,
                 std::int64_t state) override;
  void Verdict(SnapshotId, bool) override {}
  void Unfinished(SnapshotId) override {}
  void ChannelState(SnapshotId, ActorId, ActorId, std::span<const MessageId>) override {}
  void ChannelStates(SnapshotId, SnapshotId, ActorId, ActorId,
                     std::span<const MessageId>) override {}
  // Searches the last window's witnesses if the run ended inside it.
  void Finish() override;

  // The witness of snapshot `id`, formatted as in the checker's report
  // ("p1 send m9", ..., "... (inside the cut)"); empty when there is none
  // (a consistent snapshot, or one that is not a window's). After the run.
  std::vector<std::string> Witness(SnapshotId id) const;

  // Events logged in all (for tests and figures), the most held at once,
  // and logged messages not yet received.
  std::uint64_t EventCount() const { return logged_events_; }
  std::uint64_t PeakEvents() const { return peak_events_; }
  std::size_t LoggedInFlight() const { return in_flight_.size(); }

 private:
  // Whether t is inside a window; times only grow, so the windows are
  // walked once, each searched and dropped as the run passes its end.
  bool InWindow(SimTime t) {
    if (t >= known_until_) Await(t);
    while (window_ < windows_.size() && windows_[window_].last < t) CloseWindow();
    if (window_ == windows_.size() && known_until_ == SimTime::Max() && stop_) NothingAhead();
    return window_ < windows_.size() && windows_[window_].first <= t;
  }
  // Waits for the source to know every window starting at or before t and
  // merges the new ones into those not yet passed.
  void Await(SimTime t);
  void NothingAhead();
  // Searches the current window's snapshots' witnesses, drops its log and
  // moves to the next window.
  void CloseWindow();
  void SendImpl(SimTime t, ActorId actor, MessageRef msg, bool control);
  // Enters message `id` into the log (its first logged hop); its index.
  std::uint32_t Enter(MessageId id);
  // The log's index of message `id`, in flight: entered now, and kept in
  // the table, if it is not logged yet (sent before the window).
  std::uint32_t IndexOf(MessageId id);
  void Log(ActorId actor, EventKind kind, std::uint32_t arg, std::uint32_t msg_index);

  std::vector<Window> windows_;
  std::size_t window_ = 0;  // the first window that does not end before now
  WindowSource* source_ = nullptr;
  SimTime known_until_ = SimTime::Max();  // every window starting before it is in windows_
  std::function<void()> stop_;
  CompactTrace trace_;  // the current window's log (all actors, always)
  // Logged messages not yet received, by id: their index in trace_.messages.
  tsl::robin_map<MessageId, std::uint32_t, IdHash> in_flight_;
  std::unordered_map<SnapshotId, std::uint32_t> snapshot_index_;
  std::uint32_t order_ = 0;
  std::uint64_t window_events_ = 0, logged_events_ = 0, peak_events_ = 0;
  std::unordered_map<SnapshotId, std::vector<std::string>> witnesses_;
};

}  // namespace snapsim::checker
