// Determinism as a test: every shipped scenario, with several seeds, run
// twice gives the same run hash (time, seq, kind, actor and message id of
// every event), and the same hash again with the trace written.
#include <gtest/gtest.h>

#include <filesystem>

#include "experiments/runner.h"
#include "experiments/scenario.h"
#include "shipped_scenarios.h"  // tests/experiments/

namespace snapsim {
namespace {

namespace fs = std::filesystem;

TEST(Determinism, EveryShippedScenarioAndSeedRepeatsExactly) {
  const std::vector<fs::path> files = ShippedScenarioFiles();
  ASSERT_GE(files.size(), 15u);
  const fs::path trace = fs::temp_directory_path() / "snapsim_determinism.jsonl";
  int pairs = 0;
  for (const fs::path& f : files) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      ScenarioOverrides o;
      o.seed = seed;
      o.sets = {"run.duration=1ms", "run.baseline=false"};
      LoadResult l = LoadScenario(f.string(), o);
      ASSERT_TRUE(l.error.empty()) << l.error;
      RunOptions plain;
      plain.progress = false;
      const RunOutput a = RunScenario(*l.scenario, plain);
      const RunOutput b = RunScenario(*l.scenario, plain);
      RunOptions traced = plain;
      traced.trace_path = trace.string();
      const RunOutput c = RunScenario(*l.scenario, traced);
      ASSERT_GT(a.stats.events, 0u) << f;
      EXPECT_EQ(a.stats.hash, b.stats.hash) << f << " seed " << seed;
      EXPECT_EQ(a.stats.events, b.stats.events) << f << " seed " << seed;
      EXPECT_EQ(a.stats.hash, c.stats.hash) << f << " seed " << seed << " (trace on)";
      ++pairs;
    }
  }
  fs::remove(trace);
  std::printf(
      "determinism: %d scenario x seed pairs run twice (and once traced) with identical "
      "hashes\n",
      pairs);
}

// Progress reports (every 2^20 events) must not touch the run: a run past
// that many events has the same hash with them as without. (The progress
// callback once wrote through a dangling reference into the event being
// handled, so such runs' hashes followed the wall clock.)
TEST(Determinism, ProgressReportsLeaveTheRunAlone) {
  ScenarioOverrides o;
  o.sets = {"run.duration=12ms"};
  LoadResult l =
      LoadScenario(std::string(SNAPSIM_SOURCE_DIR) + "/bench/engine/scenarios/tokens-ring.yaml", o);
  ASSERT_TRUE(l.error.empty()) << l.error;
  RunOptions quiet;
  quiet.progress = false;
  RunOptions reporting;
  reporting.progress = true;
  const RunOutput a = RunScenario(*l.scenario, quiet);
  const RunOutput b = RunScenario(*l.scenario, reporting);
  ASSERT_GT(a.stats.events, std::uint64_t{1} << 20);  // at least one progress call
  EXPECT_EQ(a.stats.events, b.stats.events);
  EXPECT_EQ(a.stats.hash, b.stats.hash);
}

}  // namespace
}  // namespace snapsim
