// Runs a scenario given as YAML text with the online checker attached, for
// protocol tests that assert on the checker's verdicts.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "experiments/runner.h"
#include "tests/support/run_helpers.h"

namespace snapsim::testing {

struct CheckedRun {
  Scenario scenario;
  RunOutput out;
  const checker::CheckReport& report() const { return *out.check; }
  const checker::Counters& counters() const { return out.check->counters; }
};

inline CheckedRun RunChecked(const std::string& yaml, std::uint64_t seed,
                             std::vector<std::string> sets = {}) {
  ScenarioOverrides o;
  o.seed = seed;
  o.sets = std::move(sets);
  CheckedRun r;
  r.scenario = MustLoad(yaml, o);
  RunOptions opt;
  opt.progress = false;
  r.out = RunScenario(r.scenario, opt);
  EXPECT_TRUE(r.out.error.empty()) << r.out.error;
  EXPECT_TRUE(r.out.check.has_value());
  return r;
}

// A run's output, for tests that load scenario files themselves.
struct CheckedRunResult {
  RunOutput out;
};

// The replay command for a failing seed, for assertion messages.
inline std::string Replay(std::uint64_t seed, const std::vector<std::string>& sets = {}) {
  std::string s = "seed " + std::to_string(seed);
  for (const auto& x : sets) s += " --set " + x;
  return s;
}

}  // namespace snapsim::testing
