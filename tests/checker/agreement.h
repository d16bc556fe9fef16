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

// Empty when the fast checker agrees with the oracle on every field, every
// witness is valid, and online and offline reports are identical; otherwise
// the first difference.
std::string CheckAllWays(const Lines& lines, std::uint64_t shuffle_seed);

}  // namespace snapsim::checker::testing
