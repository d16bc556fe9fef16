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
#pragma once

#include <tsl/robin_map.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "checker/compact_trace.h"
#include "checker/id_hash.h"
#include "checker/witness.h"
#include "sim/trace_sink.h"

namespace snapsim::checker {

class WitnessLog : public snapsim::TraceSink {
 public:
  // `windows`: closed intervals of simulated time, sorted by start and
  // disjoint.
  explicit WitnessLog(std::vector<std::pair<SimTime, SimTime>> windows);

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

  // The witness of snapshot `id`, formatted as in the checker's report
  // ("p1 send m9", ..., "... (inside the cut)"); empty when the log holds
  // none (a consistent snapshot, or one outside the windows). Call after
  // the run.
  std::vector<std::string> Witness(SnapshotId id);

  // Events logged, and logged messages not yet received (for tests).
  std::uint64_t EventCount() const { return trace_.EventCount(); }
  std::size_t LoggedInFlight() const { return in_flight_.size(); }

 private:
  // Whether t is inside a window; times only grow, so the windows are
  // walked once.
  bool InWindow(SimTime t) {
    while (window_ < windows_.size() && windows_[window_].second < t) ++window_;
    return window_ < windows_.size() && windows_[window_].first <= t;
  }
  void SendImpl(SimTime t, ActorId actor, MessageRef msg, bool control);
  // The log's index of message `id`, entering it now if it is not logged
  // (sent before the window).
  std::uint32_t IndexOf(MessageId id);
  void Log(ActorId actor, EventKind kind, std::uint32_t arg, std::uint32_t msg_index);

  std::vector<std::pair<SimTime, SimTime>> windows_;
  std::size_t window_ = 0;  // the first window that does not end before now
  CompactTrace trace_;
  // Logged messages not yet received, by id: their index in trace_.messages.
  tsl::robin_map<MessageId, std::uint32_t, IdHash> in_flight_;
  std::unordered_map<SnapshotId, std::uint32_t> snapshot_index_;
  std::uint32_t order_ = 0;
  std::optional<WitnessFinder> finder_;  // built at the first Witness call
};

}  // namespace snapsim::checker
