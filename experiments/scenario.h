// Scenario: a fully validated, resolved experiment description.
//
// LoadScenario reads a YAML file (docs/scenarios.md documents every key),
// applies command-line overrides (--seed, --set dotted.key=value), checks
// every key, type, range and reference, builds the topology and the world
// description, and records the configuration in effect (defaults included)
// as JSON. It never throws: bad input comes back as one error message of the
// form FILE:LINE:COL: key: what is wrong (expected ...).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "protocols/registry.h"
#include "sim/engine.h"
#include "sim/workloads/registry.h"
#include "sim/world.h"

namespace snapsim {

struct Scenario {
  std::string name;
  std::string file;
  std::uint64_t seed = 1;
  StopConditions stop;
  bool baseline = false;  // also run with protocol none, to measure added latency
  WorldSpec world;
  WorkloadConfig workload;
  ProtocolOptions protocol;
  nlohmann::json resolved;  // the configuration in effect, defaults included
};

struct ScenarioOverrides {
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;  // "dotted.key=value", value parsed as YAML
};

struct LoadResult {
  std::optional<Scenario> scenario;
  std::string error;  // non-empty on failure
};

// Loads and validates a scenario file.
LoadResult LoadScenario(const std::string& path, const ScenarioOverrides& overrides = {});
// Same, from text; `display_name` is used in error locations and `dir` to
// resolve relative sample-file paths.
LoadResult LoadScenarioText(const std::string& text, const std::string& display_name,
                            const std::string& dir, const ScenarioOverrides& overrides = {});

}  // namespace snapsim
