// Runs one scenario: builds the world, workload and protocol, attaches the
// trace writer (when asked), runs the engine and gathers what it measured.
#pragma once

#include <optional>
#include <string>

#include "experiments/scenario.h"
#include "sim/engine.h"
#include "sim/snapshot_log.h"

namespace snapsim {

struct RunOptions {
  std::string trace_path;  // empty: no trace
  bool progress = true;    // progress lines on stderr for runs longer than ~2 s
};

struct RunOutput {
  RunStats stats;
  SnapshotLog snapshots;
  std::optional<std::int64_t> conserved_total;  // from the workload, if it has one
  double wall_seconds = 0;
  std::string error;  // non-empty when the run could not be carried out
};

RunOutput RunScenario(const Scenario& scenario, const RunOptions& options);

}  // namespace snapsim
