// TraceSink: the observer interface through which a run reports the events
// that define happens-before (MODEL.md section 3).
//
// The engine calls these in simulated-time order, which is a topological order
// of happens-before: every send (or forward) of a message is reported before
// its receive, and each actor's events are reported in that actor's order.
// All actors are announced with Actor() before any event. Implementations: the
// JSON Lines trace writer and the online causal-cut checker. A run with no
// sink attached pays nothing for tracing.
//
// Event vocabulary (the same as the JSON Lines interchange format):
//   Send      actor emits message `msg` addressed to `to` (its next hop).
//   Forward   a gateway receives `msg` from its previous hop and passes it on
//             to `to`: a receive and a send in one event.
//   Recv      actor receives `msg` (its final destination).
//   Internal  a local step that matters to nobody else.
//   Snapshot  actor takes its local snapshot of snapshot `id`; its events
//             before this one are inside the cut, this one and later outside.
//   Verdict   the protocol's own accept/reject decision for snapshot `id`.
//   Unfinished  the run ended before the protocol finished snapshot `id`:
//             it had no verdict and the protocol had not closed it (some
//             in-group process or channel unrecorded), or the protocol had
//             not decided it yet (OGM's acks still due). Judged neither
//             accepted nor rejected.
//   CutShort  the run ended before snapshot `id` was fully recorded (some
//             in-group process or channel state not recorded yet), with or
//             without a verdict: its channels with no record are not judged.
//   Channel   (announcement) a direct in-group channel and its discipline.
//   ChannelState  the messages the protocol recorded as in flight on the
//             in-group channel from -> to for snapshot `id`, in recorded order.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "sim/ids.h"
#include "sim/state_array.h"
#include "sim/time.h"

namespace snapsim {

// A message as a sink is told of it: its run-unique id, and its place, a
// hint where to keep a record of it. The engine gives the message's pool
// slot: the same at every hop of the message, different from that of every
// other message the engine still holds, and below the peak number it held
// at once, so a sink may keep its records in an array by place instead of
// looking ids up. (A lost message's slot is reused at once, while to a sink
// the message stays in flight.) Built from an id alone (tests, trace
// readers), the place is the id's low 32 bits. A caller must give one
// message the same place at every call.
struct MessageRef {
  MessageRef(MessageId id) : id(id), place(static_cast<std::uint32_t>(id)) {}  // NOLINT: implicit
  MessageRef(MessageId id, std::uint32_t place) : id(id), place(place) {}
  MessageId id;
  std::uint32_t place;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void Actor(ActorId actor, std::string_view name, ActorGroup group) = 0;
  // Announces a direct channel between two in-group processes and whether it
  // is FIFO (channel states on FIFO channels are checked in order). Called
  // after all Actor() calls and before any event.
  virtual void Channel(ActorId from, ActorId to, bool fifo) {}
  virtual void Send(SimTime t, ActorId actor, MessageRef msg, ActorId to) = 0;
  // A protocol control message leaves `actor`. Control messages are part of
  // happens-before like any other, but are not application traffic: channel
  // states hold application messages only. By default reported as a Send.
  virtual void SendControl(SimTime t, ActorId actor, MessageRef msg, ActorId to) {
    Send(t, actor, msg, to);
  }
  virtual void Forward(SimTime t, ActorId gateway, MessageRef msg, ActorId to) = 0;
  virtual void Recv(SimTime t, ActorId actor, MessageRef msg) = 0;
  virtual void Internal(SimTime t, ActorId actor) = 0;
  virtual void Snapshot(SimTime t, ActorId actor, SnapshotId id, std::int64_t state) = 0;
  // Actor takes its local snapshots of ids first..last (first <= last) in one
  // step: one cut point and one state for all of them. Means exactly
  // Snapshot(t, actor, id, state) for each id in increasing order, which is
  // what the default does; a sink may override it to share the per-call work.
  virtual void Snapshots(SimTime t, ActorId actor, SnapshotId first, SnapshotId last,
                         std::int64_t state) {
    for (SnapshotId id = first; id <= last; ++id) Snapshot(t, actor, id, state);
  }
  virtual void Verdict(SnapshotId id, bool accepted) = 0;
  // At the end of the run, once per snapshot the protocol had not finished;
  // never for a snapshot that has a verdict.
  virtual void Unfinished(SnapshotId id) = 0;
  // At the end of the run (after the Unfinished calls), once per snapshot
  // the protocol had not closed: some in-group process or channel state was
  // not recorded yet. Optional (the default ignores it).
  virtual void CutShort(SnapshotId id) {}
  virtual void ChannelState(SnapshotId id, ActorId from, ActorId to,
                            std::span<const MessageId> msgs) = 0;
  // The same channel state recorded for ids first..last (first <= last), as
  // the ids of one open local snapshot share it. Means exactly ChannelState
  // for each id in increasing order, which is what the default does.
  virtual void ChannelStates(SnapshotId first, SnapshotId last, ActorId from, ActorId to,
                             std::span<const MessageId> msgs) {
    for (SnapshotId id = first; id <= last; ++id) ChannelState(id, from, to, msgs);
  }
  // Called once after the last event of the run.
  virtual void Finish() {}
  // Where the record Recv and Forward read first for a message lives, by
  // its place (sim/state_array.h); the engine prefetches it a few events
  // before the message's hop ends. Read once, before the first event; the
  // PlaceArray must stay alive (and current) until the run ends. Optional;
  // changes no result.
  virtual const PlaceArray* MessagePrefetchTarget() const { return nullptr; }
  // Where the records the sink reads for an arrival at actor a live (up to
  // two arrays, sim/state_array.h); the engine prefetches them a few events
  // ahead. Called once, after the Actor and Channel calls and before the
  // first event. Optional; changes no result.
  virtual StateArrays ActorPrefetchTargets() { return {}; }
};

}  // namespace snapsim
