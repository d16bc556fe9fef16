// Reading the JSON Lines trace interchange format (docs/checker.md lists the
// record types) into a CompactTrace.
//
// Lines of one actor must be in that actor's order; lines of different actors
// may interleave freely. Every actor must be declared by an "actor" line
// before any line names it. Blank lines are skipped; unknown fields ignored.
// Message hops are chained by their "to" fields: a send's "to" names the actor
// of the message's next hop (a forward or the receive), and so on.
//
// On malformed input the first error found is returned with its 1-based line:
// per-line errors (syntax, fields, unknown actor, duplicates) in file order,
// then cross-line errors (a receive or forward without a send, a hop at the
// wrong actor), the one with the smallest line. A cycle in happens-before is
// found later, by the check itself (see topo_pass.h).
#pragma once

#include <istream>
#include <string>
#include <variant>

#include "checker/compact_trace.h"
#include "checker/trace_error.h"

namespace snapsim::checker {

// The trace, with message keys equal to message indices and message_names
// holding the trace's message ids.
std::variant<CompactTrace, TraceError> ReadTrace(std::istream& in);

// As ReadTrace; a file that cannot be opened is an error at line 0.
std::variant<CompactTrace, TraceError> ReadTraceFile(const std::string& path);

}  // namespace snapsim::checker
