// Checking one generated trace every way (offline on a shuffled file, online
// with and without witnesses, the oracle) and comparing; shared by the
// property tests and the soak.
#pragma once

#include <string>
#include <vector>

#include "checker/compact_trace.h"
#include "checker/witness.h"
#include "random_trace.h"

namespace snapsim::checker::testing {

// Reads generated JSON Lines; throws on a rejected trace.
CompactTrace ReadOrDie(const std::string& jsonl);

// Empty when `chain` is a real, shortest causal chain witnessing that
// snapshot `id` is inconsistent; otherwise what is wrong with it.
std::string ValidateWitness(const CompactTrace& t, const Lines& lines, SnapshotId id,
                            const std::vector<EventRef>& chain);

// The lines in their order, but with every verdict and channel_state line
// moved to a random place after the declarations, so that the online checker
// also sees records that arrive before their snapshot is final (or taken).
// With channel_runs, the channel_state lines move in blocks of one to sixteen,
// by channel then id, so that a replay with runs (Replay) records a
// channel's consecutive ids in one call at random points of the run.
Lines ScatterRecords(const Lines& lines, std::uint64_t seed, bool channel_runs);

// Empty when the fast checker agrees with the oracle on every field, every
// witness is valid, and online and offline reports are identical; otherwise
// the first difference.
std::string CheckAllWays(const Lines& lines, std::uint64_t shuffle_seed);

}  // namespace snapsim::checker::testing
