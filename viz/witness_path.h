// Locating the events of a checker witness in a CompactTrace. The checker
// reports a witness as text, one string per event ("p1 snapshot#4",
// "p1 send m9", "g0 forward m10", "p3 recv m10 (inside the cut)"; see
// checker/report.h); drawing it needs the events themselves.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/compact_trace.h"

namespace snapsim::viz {

struct EventRef {
  ActorId actor = kNoActor;
  std::uint32_t pos = 0;
};

// The events of `witness` in order. A string that names no event of the trace
// (an unknown actor or message) ends the path early: the result then has
// fewer entries than `witness`. Cost: O(messages) per message named, to find
// it by name.
std::vector<EventRef> LocateWitness(const checker::CompactTrace& trace,
                                    const std::vector<std::string>& witness);

}  // namespace snapsim::viz
