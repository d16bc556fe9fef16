// The Beaver paper's anomalous-access use case (experiments/bot-detection.yaml):
// OGM's snapshots never mislead the counter-comparison detector, while
// uncoordinated polling and in-group-only Lai-Yang raise false alarms.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/checked_run.h"

namespace snapsim {
namespace {

using testing::CheckedRunResult;

std::string ScenarioPath() {
  return std::string(SNAPSIM_SOURCE_DIR) + "/experiments/bot-detection.yaml";
}

CheckedRunResult RunBots(std::uint64_t seed, std::vector<std::string> sets) {
  ScenarioOverrides o;
  o.seed = seed;
  o.sets = std::move(sets);
  LoadResult l = LoadScenario(ScenarioPath(), o);
  EXPECT_TRUE(l.error.empty()) << l.error;
  RunOptions opt;
  opt.progress = false;
  return {RunScenario(*l.scenario, opt)};
}

const std::vector<std::string> kPolling = {"protocol.kind=physical-clock",
                                           "protocol.snapshots.interval=200us",
                                           "clocks.offset={dist: uniform, min: 0, max: 200us}"};
const std::vector<std::string> kInGroupOnly = {
    "protocol.kind=lai-yang-in-group-only", "protocol.snapshots.interval=1us",
    "protocol.snapshots.interval_max=5ms", "protocol.snapshots.initiators=random"};

std::vector<std::string> With(std::vector<std::string> sets, const std::string& extra) {
  sets.push_back(extra);
  return sets;
}

TEST(BotDetection, OgmIsAlwaysRight) {
  for (const char* ratio : {"0", "0.05", "0.1"})
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      CheckedRunResult r = RunBots(seed, {std::string("workload.bot_ratio=") + ratio});
      ASSERT_TRUE(r.out.detector.has_value());
      const DetectorCounts& d = *r.out.detector;
      EXPECT_GT(d.judged, 4000u);
      // Consistent snapshots never raise a false alarm. (A false negative
      // remains possible: a legitimate request between service 1 and 2 can
      // mask exactly one bot in a consistent cut; docs/beaver.md.)
      EXPECT_EQ(d.false_positives, 0u) << ratio << " seed " << seed;
      EXPECT_EQ(r.out.check->counters.accepted_inconsistent, 0u);
      if (std::string(ratio) != "0") {
        EXPECT_GT(d.true_positives, 1000u);
      }
    }
}

TEST(BotDetection, PollingAndInGroupOnlyRaiseFalseAlarms) {
  std::uint64_t polling_fp = 0, in_group_fp = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    CheckedRunResult p = RunBots(seed, With(kPolling, "workload.bot_ratio=0"));
    CheckedRunResult l = RunBots(seed, With(kInGroupOnly, "workload.bot_ratio=0"));
    polling_fp += p.out.detector->false_positives;
    in_group_fp += l.out.detector->false_positives;
    // Every false alarm comes from a snapshot the checker calls inconsistent.
    EXPECT_LE(p.out.detector->false_positives, p.out.check->counters.inconsistent);
    EXPECT_LE(l.out.detector->false_positives, l.out.check->counters.inconsistent);
    EXPECT_EQ(p.out.detector->true_positives, 0u);  // no bots, no true alarms
  }
  EXPECT_GT(polling_fp, 5u);
  EXPECT_GT(in_group_fp, 5u);
}

}  // namespace
}  // namespace snapsim
