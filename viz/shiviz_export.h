// Export of a trace to ShiViz's input format (https://bestchai.bitbucket.io/shiviz/),
// a vector-clock log: the first line is the regular expression ShiViz parses
// the log with, the second the (empty) delimiter between executions, then two
// lines per event:
//
//   (?<host>\S*) (?<clock>{.*})\n(?<event>.*)
//
//   p1 {"p1":3,"g0":2,"o4":5}
//   recv m12 t=1.2 us
//
// Events come in a topological order of happens-before (the order the checker
// visited them in); clocks follow happens-before exactly: each event ticks its
// own actor's entry, and a forward or receive first merges the clock its
// message carried from the previous hop. Only non-zero entries are written.
//
// Cost: O(events x actors) time in the worst case; memory one clock per actor
// plus one per message in flight.
#pragma once

#include <ostream>

#include "checker/compact_trace.h"
#include "viz/line_times.h"

namespace snapsim::viz {

inline constexpr const char* kShivizRegex = R"((?<host>\S*) (?<clock>{.*})\n(?<event>.*))";

// REQUIRES: CheckTrace has run on `trace` (it fills Event::order).
void WriteShiviz(const checker::CompactTrace& trace, const LineTimes& times, std::ostream& out);

}  // namespace snapsim::viz
