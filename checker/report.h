// The checker's verdicts: one SnapshotReport per snapshot id, plus run-wide
// counters. Produced identically by the offline (JSON Lines) and the online
// (TraceSink) checker; see docs/checker.md for the definitions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/trace_error.h"
#include "sim/ids.h"

namespace snapsim::checker {

struct SnapshotReport {
  SnapshotId id = 0;
  // Every in-group process has a snapshot event for `id`.
  bool complete = false;
  // No post-cut event at an in-group process happens-before a pre-cut event at
  // an in-group process (judged over the processes that have a cut point).
  bool consistent = true;
  // The protocol's verdict; a snapshot without a verdict counts as accepted,
  // unless it is unfinished.
  bool accepted = true;
  bool has_verdict = false;
  // The trace says the run ended before the protocol finished this snapshot
  // (an `unfinished` record): then `accepted` is false and has_verdict is
  // false, and it counts as neither accepted nor rejected.
  bool unfinished = false;
  // The run ended before every local and channel state of this snapshot was
  // recorded (a `cut_short` record): a channel with no record is then not
  // judged, since its state may still have been on the way. Verdict, classes
  // and recorded channel states are judged as for any snapshot.
  bool cut_short = false;
  // Whether the recorded channel states are exactly right; nullopt ("n/a")
  // when the trace has no channel_state record for this snapshot.
  std::optional<bool> channel_state_ok;
  // For an inconsistent snapshot (when witnesses are available): the events of
  // a shortest causal chain from a post-cut event to a pre-cut event, each
  // formatted like "p1 send m9"; the last one ends in " (inside the cut)".
  std::vector<std::string> witness;
  // One line per wrong channel, e.g. "p0->p1: missing m3, m4; extra m7".
  std::vector<std::string> channel_errors;
  // Number of in-group processes with a snapshot event for `id`.
  std::size_t processes_recorded = 0;
};

// accepted, rejected, accepted_inconsistent, false_rejections and
// channel_state_wrong count finished snapshots only; accepted + rejected +
// unfinished == initiated.
struct Counters {
  std::uint64_t initiated = 0;  // distinct snapshot ids seen
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t unfinished = 0;  // the run ended before the protocol finished them
  std::uint64_t complete = 0;
  std::uint64_t consistent = 0;
  std::uint64_t inconsistent = 0;
  std::uint64_t accepted_inconsistent = 0;
  std::uint64_t false_rejections = 0;  // rejected but consistent
  // Unfinished, and their cut is already inconsistent: no protocol step could
  // have made them right. Not a violation (nobody accepted them), but worth
  // a look, e.g. when a protocol never closes its snapshots.
  std::uint64_t unfinished_inconsistent = 0;
  std::uint64_t channel_state_wrong = 0;
  std::uint64_t cut_short = 0;  // snapshots with a cut_short record
};

struct CheckReport {
  std::vector<SnapshotReport> snapshots;  // sorted by id
  Counters counters;
  std::size_t in_group_processes = 0;
  // Set when the trace given to the online checker was malformed; the other
  // fields are then empty. The offline path reports errors before checking.
  std::optional<TraceError> error;
};

// The counters of a list of snapshot reports.
Counters CountReports(const std::vector<SnapshotReport>& snapshots);

// The four classes of a snapshot against the protocol's verdict:
// "ok" (accepted, consistent), "VIOLATION" (accepted, inconsistent),
// "correct rejection" (rejected, inconsistent), "false rejection" (rejected,
// consistent); and "unfinished" for a snapshot the run ended before the
// protocol finished.
const char* Classify(const SnapshotReport& s);

}  // namespace snapsim::checker
