// Witnesses found by replay (RunOptions::witness_replay, what `snapsim run`
// does), whether the replay goes beside the run or after it, must be exactly
// those found with the whole run's event log: every shipped scenario, three
// seeds, every inconsistent snapshot's chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "experiments/runner.h"
#include "experiments/scenario.h"
#include "shipped_scenarios.h"  // tests/experiments/

namespace snapsim {
namespace {

namespace fs = std::filesystem;

bool ThroughAGateway(const std::vector<std::string>& chain) {
  return std::ranges::any_of(chain,
                             [](const std::string& e) { return e.find(" forward ") != e.npos; });
}

TEST(WitnessReplay, FindsTheSameChainsAsTheWholeLog) {
  const std::vector<fs::path> files = ShippedScenarioFiles();
  ASSERT_GE(files.size(), 15u);
  int chains = 0, through_gateways = 0, replays = 0, during_run = 0;
  for (const fs::path& f : files) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      ScenarioOverrides o;
      o.seed = seed;
      o.sets = {"run.baseline=false"};
      LoadResult l = LoadScenario(f.string(), o);
      ASSERT_TRUE(l.error.empty()) << l.error;
      RunOptions whole_log;
      whole_log.progress = false;
      whole_log.witness_replay = false;
      RunOptions after = whole_log;
      after.witness_replay = true;
      after.witness_replay_beside = false;
      // Beside the run, told how far it may go every 64 events: the
      // hand-over of windows and horizons many times in each run.
      RunOptions beside = after;
      beside.witness_replay_beside = true;
      beside.witness_watch_every = 64;
      const RunOutput a = RunScenario(*l.scenario, whole_log);
      const RunOutput b = RunScenario(*l.scenario, after);
      const RunOutput c = RunScenario(*l.scenario, beside);
      ASSERT_TRUE(a.error.empty() && b.error.empty() && c.error.empty())
          << f << ": " << a.error << b.error << c.error;
      if (!a.check) continue;  // protocol none
      ASSERT_TRUE(b.check && c.check);
      EXPECT_EQ(a.stats.hash, b.stats.hash) << f << " seed " << seed;
      EXPECT_EQ(a.stats.hash, c.stats.hash) << f << " seed " << seed;
      EXPECT_EQ(a.witness_replay_seconds, 0) << f << " seed " << seed;
      EXPECT_FALSE(b.witness_replay_during_run) << f << " seed " << seed;
      ASSERT_EQ(a.check->snapshots.size(), b.check->snapshots.size()) << f << " seed " << seed;
      ASSERT_EQ(a.check->snapshots.size(), c.check->snapshots.size()) << f << " seed " << seed;
      bool any_inconsistent = false;
      for (std::size_t i = 0; i < a.check->snapshots.size(); ++i) {
        const auto& sa = a.check->snapshots[i];
        const auto& sb = b.check->snapshots[i];
        const auto& sc = c.check->snapshots[i];
        ASSERT_EQ(sa.id, sb.id);
        ASSERT_EQ(sa.id, sc.id);
        ASSERT_EQ(sa.consistent, sb.consistent) << f << " seed " << seed << " snapshot " << sa.id;
        ASSERT_EQ(sa.consistent, sc.consistent) << f << " seed " << seed << " snapshot " << sa.id;
        EXPECT_EQ(sa.witness, sb.witness) << f << " seed " << seed << " snapshot " << sa.id;
        EXPECT_EQ(sa.witness, sc.witness)
            << f << " seed " << seed << " snapshot " << sa.id << " (beside the run)";
        if (sa.consistent) continue;
        any_inconsistent = true;
        if (!sa.witness.empty()) ++chains;
        if (ThroughAGateway(sa.witness)) ++through_gateways;
      }
      // A replay runs exactly when some snapshot is inconsistent.
      EXPECT_EQ(b.witness_replay_seconds > 0, any_inconsistent) << f << " seed " << seed;
      EXPECT_EQ(c.witness_replay_seconds > 0, any_inconsistent) << f << " seed " << seed;
      replays += any_inconsistent;
      during_run += c.witness_replay_during_run;
    }
  }
  // Not vacuous: many chains compared, some through a gateway (where a
  // message sent before the replay's window is forwarded inside it), and
  // most replays beside the run started while it went.
  EXPECT_GE(chains, 100);
  EXPECT_GE(through_gateways, 10);
  EXPECT_GE(during_run * 2, replays);
  std::printf(
      "witness replay: %d replays (%d beside the run), %d chains (%d through a gateway) as "
      "with the whole log\n",
      replays, during_run, chains, through_gateways);
}

}  // namespace
}  // namespace snapsim
