// CompactTrace: a whole trace held in memory with dense integer ids, the form
// both the offline reader (JSON Lines) and the recording online checker
// produce. Events are kept per actor, in that actor's order; each message is
// a chain of hops (its send, then its forwards, then its receive if any).
//
// Cost: 16 bytes per event, 16 per hop, 16 per message, plus names.
#pragma once

#include <tsl/robin_map.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/id_hash.h"
#include "sim/ids.h"

namespace snapsim::checker {

inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

enum class EventKind : std::uint8_t { kSend, kForward, kRecv, kInternal, kSnapshot };

struct Event {
  // Message index (send, forward, recv) or snapshot index (snapshot).
  std::uint32_t arg = 0;
  // Index into CompactTrace::hops of this event's hop (send/forward/recv).
  std::uint32_t hop = kNone;
  // Position in the topological order the check visited it in; filled by the
  // check (offline) or the arrival order (online). Used to bound searches.
  std::uint32_t order = kNone;
  EventKind kind = EventKind::kInternal;
};

// One hop of a message: the event at `actor`, position `pos` in its list.
struct Hop {
  ActorId actor = kNoActor;
  std::uint32_t pos = 0;
  std::uint32_t next = kNone;  // the following hop of the same message
  std::uint32_t index = 0;     // 0 for the send, 1.. for forwards and recv
};

struct MessageInfo {
  // Offline: the dense message index; online: the engine's MessageId.
  std::uint64_t key = 0;
  std::uint32_t first_hop = kNone;  // the send
  std::uint32_t last_hop = kNone;
  bool received = false;
  bool control = false;  // a protocol control message: never in a channel state
};

struct ChannelDecl {
  ActorId from = kNoActor;
  ActorId to = kNoActor;
  bool fifo = false;
};

// A verdict line, or an `unfinished` line (then `accepted` is false).
struct VerdictRecord {
  SnapshotId id = 0;
  bool accepted = true;
  bool unfinished = false;
};

// The snapshots that have a verdict (false) or an unfinished record (true):
// at most one of either per snapshot; and those with a cut_short record, at
// most one each. Shared by both checkers, so they word a conflict alike.
class Decisions {
 public:
  // Notes that `id` got a verdict or an unfinished record; returns the error
  // when it already had either.
  std::optional<std::string> Add(SnapshotId id, bool unfinished);
  // Notes that `id` got a cut_short record; returns the error when it had one.
  std::optional<std::string> AddCutShort(SnapshotId id);

 private:
  // Open addressing: a verdict per snapshot, and a std::map's node each was
  // an allocation per snapshot in a long run.
  tsl::robin_map<SnapshotId, bool, IdHash> unfinished_by_id_;
  std::set<SnapshotId> cut_short_;
};

// A protocol's recorded channel state; `msgs` are message keys (see
// MessageInfo::key) in recorded order.
struct ChannelStateRecord {
  SnapshotId id = 0;
  ActorId from = kNoActor;
  ActorId to = kNoActor;
  std::vector<std::uint64_t> msgs;
};

struct CompactTrace {
  std::vector<std::string> actor_names;
  std::vector<ActorGroup> actor_groups;
  std::vector<ChannelDecl> channels;
  std::vector<std::vector<Event>> events;         // per actor
  std::vector<std::vector<std::uint32_t>> lines;  // per actor, 1-based source lines (may be empty)
  std::vector<Hop> hops;
  std::vector<MessageInfo> messages;
  // Names by message index; when empty a message is named "m<key>".
  std::vector<std::string> message_names;
  std::vector<SnapshotId> snapshot_ids;  // by snapshot index
  std::vector<VerdictRecord> verdicts;
  std::vector<ChannelStateRecord> channel_states;
  // Snapshots the run ended before recording fully (`cut_short` lines), in
  // trace order, each once.
  std::vector<SnapshotId> cut_short;

  ActorId ActorCount() const { return static_cast<ActorId>(actor_names.size()); }
  std::uint64_t EventCount() const;
  std::string MessageName(std::uint32_t msg) const;
  // The source line of an event, or 0 when unknown.
  std::uint32_t LineOf(ActorId a, std::uint32_t pos) const;
  // Appends an actor; returns its id.
  ActorId AddActor(std::string name, ActorGroup group);
  // Appends an event at the end of `actor`'s list; returns its position.
  std::uint32_t AddEvent(ActorId actor, EventKind kind, std::uint32_t arg);
  // Appends a hop of message `msg` located at (actor, pos) after its last hop
  // and links the event to it; REQUIRES: the event exists.
  void AddHop(std::uint32_t msg, ActorId actor, std::uint32_t pos);
};

}  // namespace snapsim::checker
