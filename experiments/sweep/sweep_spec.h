// SweepSpec: the `sweep:` section of a scenario, expanded into runs.
//
// A scenario file may carry a top-level `sweep:` mapping (docs/experiments.md
// documents every key):
//
//   sweep:
//     mode: cartesian            # or zip: all `parameters` vary together
//     repetitions: 3             # runs per point, each with its own seed
//     seeds: per-point           # or shared: the same seeds at every point
//     parameters:                # dotted scenario keys, as with --set
//       topology.gateways: [2, 4, 8, 16]
//       protocol.snapshots.rate_hz: {from: 1000, to: 64000, factor: 2}
//     zip:                       # lists of equal length that vary together,
//       protocol.kind: [ogm, blocking]        # forming one more axis of the
//       protocol.max_in_flight: [8, 1]        # cartesian product
//
// LoadSweep reads the file, removes the sweep section (blanking its lines, so
// every other line keeps its number and error locations stay meaningful),
// expands the points and checks every point by loading it with the scenario
// loader: a key that does not exist or a value out of range is reported at the
// sweep key's or value's own FILE:LINE:COL. It never throws.
//
// Points are numbered in expansion order: the first parameter varies slowest,
// the zip axis (when present) fastest. Runs are (point, repetition); run
// index = point * repetitions + repetition. Seeds are a pure function of the
// base seed, the point's parameter values (not its index, so adding a value
// to a list leaves every other point's seeds alone) and the repetition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "experiments/scenario.h"

namespace snapsim::sweep {

// One value of a swept key: the YAML text handed to the loader as
// "key=text", and where it was written (FILE:LINE:COL or "--set ...").
struct ParamValue {
  std::string text;
  std::string where;
};

struct SweepParam {
  std::string key;    // dotted scenario key, e.g. "topology.gateways"
  std::string where;  // location of the key
  bool zipped = false;
  std::vector<ParamValue> values;
};

struct SweepPoint {
  std::size_t index = 0;
  // One entry per parameter, in parameter order: index into that
  // parameter's values.
  std::vector<std::size_t> choice;
};

enum class SeedMode { kPerPoint, kShared };

struct RunKey {
  std::size_t point = 0;
  std::uint32_t repetition = 0;
  std::uint64_t seed = 0;
};

// Options that apply to the whole sweep (from the command line).
struct SweepLoadOptions {
  std::optional<std::uint64_t> seed;  // replaces the scenario's base seed
  // "dotted.key=value" for every point (scenario keys), or for the sweep
  // section itself ("sweep.repetitions=1", "sweep.parameters.KEY=[2, 8]",
  // "sweep.zip.KEY=[...]"; a key after sweep.parameters. is taken whole).
  std::vector<std::string> sets;
};

// Limits: put a limit on everything.
inline constexpr std::size_t kMaxValuesPerParameter = 100000;
inline constexpr std::size_t kMaxRuns = 10'000'000;
inline constexpr std::uint32_t kMaxRepetitions = 100000;

struct SweepSpec {
  std::string file;       // as given
  std::string dir;        // for relative paths inside the scenario
  std::string text;       // the file's text as read
  std::string base_text;  // the scenario with its sweep section blanked out
  std::string name;       // the scenario's name
  std::uint64_t base_seed = 1;
  SweepLoadOptions options;
  std::string mode = "cartesian";
  std::uint32_t repetitions = 1;
  SeedMode seeds = SeedMode::kPerPoint;
  std::vector<SweepParam> params;
  std::vector<SweepPoint> points;
  // A hash of everything that decides the runs' results: the file text, the
  // seed override and the --set list. Two sweeps with the same identity
  // produce the same rows.
  std::string identity;

  std::size_t RunCount() const { return points.size() * repetitions; }
  RunKey Run(std::size_t run_index) const;
  // The "key=value" overrides of a point, parameter order.
  std::vector<std::string> PointSets(const SweepPoint& p) const;
  // The value text of parameter i at point p.
  const std::string& Value(const SweepPoint& p, std::size_t i) const {
    return params[i].values[p.choice[i]].text;
  }
};

struct SweepLoadResult {
  std::optional<SweepSpec> spec;
  std::string error;  // non-empty on failure: FILE:LINE:COL: key: what (expected ...)
};

SweepLoadResult LoadSweep(const std::string& path, const SweepLoadOptions& options = {});
SweepLoadResult LoadSweepText(const std::string& text, const std::string& display_name,
                              const std::string& dir, const SweepLoadOptions& options = {});

// The seed of a run. Pure function of its arguments; below 2^53 so that every
// tool reading results.csv as floating point keeps it exact.
std::uint64_t DeriveSeed(std::uint64_t base_seed, const std::vector<std::string>& point_sets,
                         std::uint32_t repetition, SeedMode mode);

// Loads the scenario of one run (the global --set first, then the point's).
LoadResult LoadRun(const SweepSpec& spec, const RunKey& run);

// Removes the top-level `sweep:` key from scenario text. Block-style
// documents keep every other line at its number (the section's lines become
// empty); a flow-style document is re-emitted. Returns the sweep node (null
// when there is none) in *sweep. Throws YAML::Exception on malformed YAML.
std::string StripSweepSection(const std::string& text, std::string* sweep_yaml, int* sweep_line);

// 64-bit FNV-1a, for identities and seeds (stable across platforms).
std::uint64_t Fnv1a(const std::string& s, std::uint64_t h = 1469598103934665603ULL);

}  // namespace snapsim::sweep
