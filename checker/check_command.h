// `snapsim check TRACE.jsonl [--json]`: checks a JSON Lines trace and prints
// one row per snapshot (id, processes recorded, complete, consistent,
// accepted, channel state ok/wrong/n/a, class), the witness of every
// inconsistent snapshot, the channel-state errors and the counters; or the
// same as JSON (report_json.h).
#pragma once

#include <ostream>
#include <string>

namespace snapsim::checker {

// Exit code: 0 when no accepted snapshot is inconsistent, 1 when one is, 2
// when the trace is malformed or unreadable (then `err` gets
// "FILE:LINE: what is wrong" and `out` gets nothing).
int RunCheckCommand(const std::string& trace_path, bool json, std::ostream& out, std::ostream& err);

}  // namespace snapsim::checker
