// OnlineChecker: the causal-cut checker as a TraceSink, attached to a run.
//
// It relies on the engine's promise that calls come in a topological order of
// happens-before, and holds state per actor and per in-flight message only
// (plus the verdicts, recorded channel states and one entry per in-group
// message that crosses a cut of a snapshot still open). Recorded channel
// states are judged as soon as their snapshot is final (ChannelStateStream),
// so they are kept only while their snapshot is open. With
// Options::record_witnesses it also records
// a compact log of every event (16 bytes per event, 16 per hop and message)
// so that Finish() can search witnesses. The report is the same as the
// offline checker's on the same trace written as JSON Lines (message ids
// named "m<id>").
//
// A malformed call sequence (an unknown actor or message, a hop at the wrong
// actor, a snapshot taken twice or at a non-in-group actor, ...) is not an
// exception: the first such call is reported in CheckReport::error, with its
// 1-based call number as the line, and later calls are ignored.
#pragma once

#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "checker/channel_declarations.h"
#include "checker/channel_state_stream.h"
#include "checker/compact_trace.h"
#include "checker/cut_pass.h"
#include "checker/in_flight_table.h"
#include "checker/report.h"
#include "sim/trace_sink.h"

namespace snapsim::checker {

class OnlineChecker : public snapsim::TraceSink {
 public:
  struct Options {
    // Record the event log so inconsistent snapshots get witnesses.
    // Default: true.
    bool record_witnesses = true;
  };

  // (Two constructors rather than `Options options = {}`: GCC rejects a
  // default argument of a nested type with member initializers in-class.)
  OnlineChecker();
  explicit OnlineChecker(Options options);

  void Actor(ActorId actor, std::string_view name, ActorGroup group) override;
  void Channel(ActorId from, ActorId to, bool fifo) override;
  void Send(SimTime t, ActorId actor, MessageRef msg, ActorId to) override;
  void SendControl(SimTime t, ActorId actor, MessageRef msg, ActorId to) override;
  void Forward(SimTime t, ActorId gateway, MessageRef msg, ActorId to) override;
  void Recv(SimTime t, ActorId actor, MessageRef msg) override;
  void Internal(SimTime t, ActorId actor) override;
  void Snapshot(SimTime t, ActorId actor, SnapshotId id, std::int64_t state) override;
  // As Snapshot for each id (each counts as a call), with the actor's checks
  // done once for the range, and the cut pass's work too when the ids are
  // the actor's next in order (CutPass::SnapshotRun); first > last is
  // malformed.
  void Snapshots(SimTime t, ActorId actor, SnapshotId first, SnapshotId last,
                 std::int64_t state) override;
  void Verdict(SnapshotId id, bool accepted) override;
  void Unfinished(SnapshotId id) override;
  void CutShort(SnapshotId id) override;
  void ChannelState(SnapshotId id, ActorId from, ActorId to,
                    std::span<const MessageId> msgs) override;
  // As ChannelState for each id (each counts as a call), with the channel's
  // checks and lookup done once for the range, and O(1) work for a run of
  // empty states in id order (ChannelStateStream::AddRun); first > last is
  // malformed.
  void ChannelStates(SnapshotId first, SnapshotId last, ActorId from, ActorId to,
                     std::span<const MessageId> msgs) override;
  void Finish() override;
  const PlaceArray* MessagePrefetchTarget() const override { return &in_flight_.Entries(); }
  // The channel-state rows by receiver (ends the channel declarations).
  StateArrays ActorPrefetchTargets() override;

  // The report. REQUIRES: Finish() was called (otherwise it is called here).
  CheckReport TakeReport();

  // While the run goes: whether snapshot `id` is already known to be
  // inconsistent. Once every in-group process has taken `id`, this is the
  // report's verdict (no pre-cut event is left to be reached).
  bool InconsistentSoFar(SnapshotId id) const {
    const std::uint32_t rank = pass_.RankOf(id);
    return rank != kNone && pass_.Violated(rank);
  }

 private:
  void SendImpl(ActorId actor, MessageRef msg, ActorId to, bool control);
  // Counts the call; false when an earlier call already failed or the
  // checker has finished.
  bool Begin() {
    ++calls_;
    return accepting_;
  }
  void Fail(std::string message);
  // A verdict or (unfinished) an unfinished record for snapshot `id`.
  void Decide(SnapshotId id, bool accepted, bool unfinished);
  // Whether actor a was announced; fails, naming a's role, when not.
  bool KnownActor(ActorId a, const char* role) { return a < actor_count_ || UnknownActor(a, role); }
  // Fails for an actor never announced; returns false.
  [[gnu::cold]] bool UnknownActor(ActorId a, const char* role);
  // Whether a snapshot event's actor is known and in-group (fails if not).
  bool CanSnapshot(ActorId actor);
  // The snapshot event of one id at an actor that passed CanSnapshot; false
  // when it failed (id 0, or taken before).
  bool TakeSnapshot(ActorId actor, SnapshotId id);
  // The witness log's record of `actor`'s snapshot event for `id`.
  void RecordSnapshotEvent(ActorId actor, SnapshotId id);
  void Record(ActorId actor, EventKind kind, std::uint32_t arg, std::uint32_t msg_index);

  Options options_;
  CompactTrace trace_;  // declarations always; events only when recording
  CutPass pass_;
  // No allocation per message once the table has grown to the peak number
  // in flight (by place: the engine's message slots).
  InFlightTable in_flight_;
  std::unordered_map<SnapshotId, std::uint32_t> snapshot_index_;
  ChannelDeclarations channels_;  // to refuse a channel declared twice
  Decisions decided_;
  ChannelStateStream channel_states_;
  ActorId actor_count_ = 0;  // trace_.ActorCount(), kept apart for KnownActor
  std::size_t calls_ = 0;
  std::uint32_t order_ = 0;
  bool events_started_ = false;
  bool finished_ = false;
  std::optional<TraceError> error_;
  bool accepting_ = true;  // !error_ && !finished_, kept as one flag for Begin
  CheckReport report_;
};

}  // namespace snapsim::checker
