// The Beaver paper's anomalous-access use case (experiments/bot-detection.yaml):
// OGM's snapshots never mislead the counter-comparison detector, while
// uncoordinated polling and in-group-only Lai-Yang raise false alarms.
#include <gtest/gtest.h>

#include <filesystem>

#include "sim/world.h"
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

// Polling reads each service at local times 500 us + k x 200 us, so service
// i reads at true times T + 100 us - offset_i (mod 200 us) around each whole
// millisecond T, when the client sends a request. The request reaches p0
// (service 1) after D1 >= 22 us (two hops of at least 11 us) and then p1
// after D2 >= 33 us more (three hops). A round counts p1's visit without
// p0's only if p0 reads before its visit and p1 after its own in that round:
// impossible when offset(p0) - offset(p1) < 33 us (p1 would read less than
// 33 us after p0), and the case for nearly every request when offset(p0) >
// 100 us (p0 reads before T) and offset(p1) < 20 us (p1 reads after T + 80 us,
// later than most chains of D1 + D2). The seeds are chosen by the offsets
// they draw, so the test does not depend on which seeds draw which.
struct PollingOffsets {
  std::int64_t p0 = 0, p1 = 0;  // ns
};
PollingOffsets OffsetsOf(std::uint64_t seed) {
  ScenarioOverrides o;
  o.seed = seed;
  o.sets = kPolling;
  LoadResult l = LoadScenario(ScenarioPath(), o);
  if (!l.scenario) {
    ADD_FAILURE() << l.error;
    return {};
  }
  const World world(l.scenario->world);
  PollingOffsets off;
  for (ActorId a = 0; a < world.ActorCount(); ++a) {
    if (world.Name(a) == "p0") off.p0 = world.Clock(a).offset_ns;
    if (world.Name(a) == "p1") off.p1 = world.Clock(a).offset_ns;
  }
  return off;
}

TEST(BotDetection, PollingRaisesFalseAlarmsAsTheClockOffsetsPredict) {
  int straddling = 0, close = 0;
  for (std::uint64_t seed = 1; seed <= 200 && (straddling < 2 || close < 2); ++seed) {
    const PollingOffsets off = OffsetsOf(seed);
    const bool is_straddling = off.p0 > 100'000 && off.p1 < 20'000;
    const bool is_close = off.p0 - off.p1 < 33'000;
    if (!(is_straddling && straddling < 2) && !(is_close && close < 2)) continue;
    CheckedRunResult p = RunBots(seed, With(kPolling, "workload.bot_ratio=0"));
    const std::uint64_t fp = p.out.detector->false_positives;
    EXPECT_EQ(p.out.detector->true_positives, 0u);  // no bots, no true alarms
    // Every false alarm comes from a snapshot the checker calls inconsistent.
    EXPECT_LE(fp, p.out.check->counters.inconsistent);
    const std::string where = "seed " + std::to_string(seed) + ", offsets " +
                              std::to_string(off.p0) + " and " + std::to_string(off.p1) + " ns";
    if (is_straddling) {
      ++straddling;
      EXPECT_GT(fp, 500u) << where;  // of about 1000 requests
    } else {
      ++close;
      EXPECT_EQ(fp, 0u) << where;
      EXPECT_EQ(p.out.check->counters.inconsistent, 0u) << where;
    }
  }
  EXPECT_EQ(straddling, 2) << "fewer than two of 200 seeds drew offsets p0 > 100 us, p1 < 20 us";
  EXPECT_EQ(close, 2) << "fewer than two of 200 seeds drew offsets less than 33 us apart";
}

TEST(BotDetection, InGroupOnlyRaisesFalseAlarms) {
  std::uint64_t in_group_fp = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    CheckedRunResult l = RunBots(seed, With(kInGroupOnly, "workload.bot_ratio=0"));
    in_group_fp += l.out.detector->false_positives;
    EXPECT_LE(l.out.detector->false_positives, l.out.check->counters.inconsistent);
    EXPECT_EQ(l.out.detector->true_positives, 0u);
  }
  EXPECT_GT(in_group_fp, 5u);
}

}  // namespace
}  // namespace snapsim
