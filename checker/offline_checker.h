// The offline checker: checks a whole CompactTrace (e.g. read from a JSON
// Lines file) with the fast one-pass algorithm of cut_pass.h, visiting the
// events in a topological order of happens-before.
#pragma once

#include <variant>

#include "checker/compact_trace.h"
#include "checker/report.h"
#include "checker/trace_error.h"

namespace snapsim::checker {

// Returns the report, or the error that makes the trace malformed (a cycle in
// happens-before, a snapshot taken twice). Fills Event::order in `trace`.
// Cost: O(events + hops) for the pass, plus O(events in the snapshot's time
// window) per inconsistent snapshot for its witness when `witnesses`.
std::variant<CheckReport, TraceError> CheckTrace(CompactTrace& trace, bool witnesses = true);

}  // namespace snapsim::checker
