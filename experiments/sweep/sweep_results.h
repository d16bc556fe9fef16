// The results of a sweep, on disk.
//
// A sweep folder DIR holds
//   manifest.json   what was run: snapsim version and commit, the scenario
//                   text, the sweep's identity, the host;
//   runs/pPPPPPP-rRRRR.json
//                   one small file per finished run (its row), written
//                   atomically (temporary file + rename) as the run ends;
//   runs/pPPPPPP-rRRRR/   summary.json and snapshots.csv, with --per-run;
//   results.csv     one row per run, rebuilt from runs/ (atomically);
//   aggregate.csv   mean, standard deviation and 95% confidence interval
//                   across repetitions, per point.
// A run is finished iff its row file exists: a sweep killed at any moment
// (even with SIGKILL) loses at most the runs in progress, and never leaves
// half a row. results.csv and aggregate.csv are pure functions of the row
// files: sorted by (point, repetition), so the same sweep gives the same
// bytes however it was split, interrupted or resumed (wall times live in the
// row files only).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "experiments/runner.h"
#include "experiments/scenario.h"
#include "experiments/sweep/sweep_spec.h"

namespace snapsim::sweep {

// One finished run, as stored in its row file.
struct Row {
  std::size_t point = 0;
  std::uint32_t repetition = 0;
  std::uint64_t seed = 0;
  // The snapsim commit that made the run (summary.json's snapsim.commit);
  // empty in rows written before rows recorded it.
  std::string commit;
  std::vector<std::pair<std::string, std::string>> params;  // key -> value text
  nlohmann::ordered_json values;  // flattened summary counters (scalars), in order
  nlohmann::json host;            // wall time: kept out of results.csv
};

// Builds the row of a run from its summary.json: every scalar, flattened to
// dotted names, except the sections that are constant over a sweep or not a
// function of the seed (snapsim, scenario, config, host, seed).
Row MakeRow(const SweepSpec& spec, const RunKey& key, const nlohmann::json& summary);

std::string RowFileName(std::size_t point, std::uint32_t repetition);  // "p000012-r0003.json"
std::string RunDirName(std::size_t point, std::uint32_t repetition);   // "p000012-r0003"
nlohmann::ordered_json RowToJson(const Row& row);
std::optional<Row> RowFromJson(const nlohmann::ordered_json& j);

// Reads every row file under DIR/runs. Unreadable files (impossible after an
// atomic rename, but a disk can fail) are reported in *bad and left alone;
// the run counts as unfinished.
std::vector<Row> ReadRows(const std::string& dir, std::vector<std::string>* bad = nullptr);

// results.csv: point, repetition, seed, the parameters, then every value
// column (the union over rows, in order of first appearance).
std::string ResultsCsv(std::vector<Row> rows);

// Summary statistics of one sample.
struct Stats {
  std::size_t n = 0;
  double mean = 0;
  double stddev = 0;  // sample standard deviation (n - 1); NaN when n < 2
  double ci95 = 0;    // half-width of the 95% Student-t interval; NaN when n < 2
};
// The 0.975 quantile of Student's t with `df` degrees of freedom.
double StudentT975(std::size_t df);
// Statistics of each column of `samples` (rows = repetitions), ignoring NaN.
std::vector<Stats> ColumnStats(const std::vector<std::vector<double>>& samples,
                               std::size_t columns);

// aggregate.csv: per point, its parameters, the number of runs, and for every
// numeric value column C: C.mean, C.std, C.ci95 (the interval is
// mean +- ci95). Empty cells where a statistic is undefined.
std::string AggregateCsv(std::vector<Row> rows);

// Writes results.csv and aggregate.csv into dir, atomically.
bool WriteTables(const std::string& dir, const std::vector<Row>& rows, std::string* error);

// manifest.json for a sweep (host and time included).
nlohmann::ordered_json MakeManifest(const SweepSpec& spec, const std::string& shard);
// Reads DIR/manifest.json; nullopt and *error when missing or malformed.
std::optional<nlohmann::json> ReadManifest(const std::string& dir, std::string* error);

}  // namespace snapsim::sweep
