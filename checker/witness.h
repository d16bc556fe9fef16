// Witness search: for an inconsistent snapshot, a shortest causal chain from a
// post-cut event at an in-group process to a pre-cut event at an in-group
// process.
//
// "Shortest" means fewest message hops (send->forward, forward->recv, ...).
// The search is a breadth-first search by message hops, started from every
// cut point at once; per actor it keeps the earliest position reached, so each
// event is scanned at most once per search. Events whose topological order
// (Event::order) is at or beyond the latest cut point of the snapshot cannot
// precede a pre-cut event and are not scanned, so the cost is the number of
// events in the snapshot's time window, not the whole trace. Ties are broken
// by actor id and position only, so the result does not depend on the order
// in which the trace was visited.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/compact_trace.h"

namespace snapsim::checker {

struct EventRef {
  ActorId actor = kNoActor;
  std::uint32_t pos = 0;
  bool operator==(const EventRef&) const = default;
};

class WitnessFinder {
 public:
  // Indexes the cut points of every snapshot. REQUIRES: `trace` outlives this.
  explicit WitnessFinder(const CompactTrace& trace);

  // The chain for `id` (first event: a snapshot event of `id`; last event: a
  // forward or receive inside the cut), or empty when `id` is consistent.
  std::vector<EventRef> Find(SnapshotId id) const;

  // "p1 send m9", "g0 forward m10", "p1 snapshot#4", ...; the last event of a
  // witness gets " (inside the cut)".
  std::vector<std::string> Format(const std::vector<EventRef>& chain) const;
  std::string FormatEvent(EventRef e) const;

 private:
  const CompactTrace& trace_;
  // Cut points by snapshot index: (actor, position) of each snapshot event.
  std::vector<std::vector<EventRef>> cuts_;
};

}  // namespace snapsim::checker
