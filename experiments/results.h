// Results of a run: summary.json, snapshots.csv and the human summary.
//
// Everything in summary.json except its "host" section (wall time, speed) is
// a pure function of the scenario and seed: two runs give identical bytes.
// Files are written atomically (a temporary file renamed into place).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "experiments/runner.h"
#include "experiments/scenario.h"

namespace snapsim {

// The version string: semantic version and git commit of the build.
std::string SnapsimVersion();

nlohmann::json SummaryJson(const Scenario& scenario, const RunOutput& run);
std::string SnapshotsCsv(const Scenario& scenario, const RunOutput& run);
void PrintHumanSummary(std::ostream& os, const Scenario& scenario, const RunOutput& run);

// Writes `contents` to `path` via "<path>.tmp" and rename. On failure returns
// false with a message in *error and leaves no file behind.
bool WriteFileAtomic(const std::string& path, const std::string& contents, std::string* error);
// Writes summary.json and snapshots.csv into `dir` (created if missing).
bool WriteRunResults(const std::string& dir, const Scenario& scenario, const RunOutput& run,
                     std::string* error);

}  // namespace snapsim
