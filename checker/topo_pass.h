// Feeds a CompactTrace to a CutPass in a topological order of happens-before.
//
// The file order of a trace need not be topological, so this runs a
// Kahn-style schedule over the per-actor event lists: an actor advances until
// its next event is a forward or receive whose previous hop has not been
// visited yet, and is woken when that hop is. Each event is visited once;
// Event::order records the visiting order. Cost O(events + hops).
#pragma once

#include <optional>

#include "checker/compact_trace.h"
#include "checker/cut_pass.h"
#include "checker/trace_error.h"

namespace snapsim::checker {

// REQUIRES: `pass` has had AddActor() for every actor of `trace`, in order,
// and no event yet. Returns an error when happens-before has a cycle (the
// schedule gets stuck) or an actor takes one snapshot twice; the line is the
// source line of the stuck event with the smallest line number.
std::optional<TraceError> RunInTopologicalOrder(CompactTrace& trace, CutPass& pass);

}  // namespace snapsim::checker
