// The classic protocols, each checked by the causal-cut checker over many
// seeds (MODEL.md section 5; issue: classic snapshot protocols).
#include <gtest/gtest.h>

#include "tests/support/checked_run.h"

namespace snapsim {
namespace {

using testing::CheckedRun;
using testing::Replay;
using testing::RunChecked;

constexpr int kSeeds = 12;

// Every snapshot complete, consistent, with exact channel states, and the
// conserved total matching in every snapshot.
void ExpectPerfect(const CheckedRun& r, const std::string& what) {
  const auto& c = r.counters();
  ASSERT_GT(c.initiated, 3u) << what;
  EXPECT_EQ(c.complete, c.initiated) << what;
  EXPECT_EQ(c.consistent, c.initiated) << what;
  EXPECT_EQ(c.channel_state_wrong, 0u) << what;
  for (const auto& s : r.report().snapshots) {
    ASSERT_TRUE(s.channel_state_ok.has_value()) << what << " snapshot " << s.id;
    EXPECT_TRUE(*s.channel_state_ok) << what << " snapshot " << s.id << ": "
                                     << (s.channel_errors.empty() ? "" : s.channel_errors[0]);
  }
  if (r.out.conserved_total) {
    for (const auto& [id, rec] : r.out.snapshots.All()) {
      if (rec.channels_recorded < rec.channels_expected) continue;  // still open at the end
      EXPECT_EQ(rec.state_sum + rec.channel_value_sum, *r.out.conserved_total)
          << what << " snapshot " << id;
    }
  }
}

std::string Closed(const std::string& workload, const std::string& protocol, bool fifo) {
  return R"(
run: {duration: 1500us}
topology: {kind: random, processes: 7, degree: 3}
channels: {default: {latency: {dist: exponential, mean: 8us, shift: 1us}, fifo: )" +
         std::string(fifo ? "true" : "false") + R"(}}
workload: )" +
         workload + R"(
protocol:
  kind: )" +
         protocol + R"(
  snapshots: {start: 50us, interval: 60us, count: 20, initiators: random}
)";
}

const char* kTokens = "{kind: tokens, tokens: 9, hold: {dist: exponential, mean: 2us}}";
const char* kBank =
    "{kind: bank, initial_balance: 100, max_amount: 30, interval: {dist: exponential, mean: 3us}}";

TEST(ClassicProtocols, ChandyLamportOnFifoIsPerfect) {
  for (const char* w : {kTokens, kBank})
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed)
      ExpectPerfect(RunChecked(Closed(w, "chandy-lamport", true), seed),
                    "chandy-lamport fifo " + Replay(seed));
}

TEST(ClassicProtocols, LaiYangIsPerfectOnFifoAndNonFifo) {
  for (bool fifo : {true, false})
    for (const char* w : {kTokens, kBank})
      for (std::uint64_t seed = 1; seed <= kSeeds; ++seed)
        ExpectPerfect(RunChecked(Closed(w, "lai-yang", fifo), seed),
                      std::string("lai-yang fifo=") + (fifo ? "1 " : "0 ") + Replay(seed));
}

TEST(ClassicProtocols, ChandyLamportOnNonFifoIsCaught) {
  // Wide latency spread and many messages: post-marker messages overtake markers.
  std::uint64_t bad = 0, broken_conservation = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    CheckedRun r = RunChecked(Closed(kTokens, "chandy-lamport", false), seed);
    bad += r.counters().inconsistent + r.counters().channel_state_wrong;
    for (const auto& [id, rec] : r.out.snapshots.All())
      if (rec.channels_recorded >= rec.channels_expected &&
          rec.state_sum + rec.channel_value_sum != *r.out.conserved_total)
        ++broken_conservation;
    for (const auto& s : r.report().snapshots)
      if (!s.consistent) {
        EXPECT_FALSE(s.witness.empty()) << Replay(seed);
      }
  }
  EXPECT_GT(bad, 10u);
  EXPECT_GT(broken_conservation, 5u);
}

std::string Clocked(const std::string& offset) {
  return R"(
run: {duration: 1ms}
topology: {kind: complete, processes: 6}
channels: {default: {latency: {dist: uniform, min: 2us, max: 10us}, fifo: false}}
clocks: {offset: )" +
         offset + R"(}
workload: {kind: tokens, tokens: 12, hold: {dist: exponential, mean: 1us}}
protocol:
  kind: physical-clock
  snapshots: {start: 50us, interval: 50us, count: 16}
)";
}

TEST(ClassicProtocols, PhysicalClockBreaksWithSkewAboveMinLatency) {
  std::uint64_t skewed_bad = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    // Skew up to 20 us, far above the 2 us minimum latency.
    CheckedRun skewed = RunChecked(Clocked("{dist: uniform, min: -10us, max: 10us}"), seed);
    skewed_bad += skewed.counters().inconsistent;
    for (const auto& s : skewed.report().snapshots)
      if (!s.consistent) {
        EXPECT_FALSE(s.witness.empty());
      }
    // Perfect clocks: every snapshot consistent and exact.
    ExpectPerfect(RunChecked(Clocked("0"), seed), "physical-clock no skew " + Replay(seed));
  }
  EXPECT_GT(skewed_bad, 20u);
}

const char* kCloud = R"(
run: {duration: 2ms}
topology: {kind: cloud, backends: 5, clients: 3, externals: 2, gateways: 2}
channels:
  default: {latency: {dist: exponential, mean: 3us, shift: 1us}, fifo: false}
  in_to_in: {latency: {dist: exponential, mean: 15us, shift: 5us}}
workload: {kind: rpc, request_interval: {dist: exponential, mean: 5us}, p_external: 0.6, p_callback: 0.8, external_delay: 1us}
protocol:
  kind: lai-yang-in-group-only
  snapshots: {start: 50us, interval: 40us, count: 40}
)";

TEST(ClassicProtocols, InGroupOnlyLaiYangMissesHiddenCausality) {
  std::uint64_t violations = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    CheckedRun r = RunChecked(kCloud, seed);
    violations += r.counters().accepted_inconsistent;
    for (const auto& s : r.report().snapshots) {
      if (s.consistent) continue;
      ASSERT_GE(s.witness.size(), 3u) << Replay(seed);
      // The chain leaves the in-group: some hop is at an out-group actor.
      bool through_out_group = false;
      for (const auto& hop : s.witness) through_out_group |= hop.rfind("o", 0) == 0;
      EXPECT_TRUE(through_out_group) << Replay(seed) << ": " << s.witness.front();
    }
  }
  EXPECT_GT(violations, 10u);
}

TEST(ClassicProtocols, FullParticipationSeesHiddenCausality) {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    CheckedRun r = RunChecked(kCloud, seed, {"protocol.kind=full-participation"});
    ExpectPerfect(r, "full-participation " + Replay(seed));
  }
}

// A protocol without verdicts: the snapshots it had not closed when the run
// ended (lost markers here) are unfinished, not accepted by default, and
// their missing channel states are not counted as wrong.
TEST(ClassicProtocols, SnapshotsNotClosedAtTheEndAreUnfinished) {
  CheckedRun r =
      RunChecked(Closed(kTokens, "chandy-lamport", true), 3, {"channels.default.loss=0.05"});
  std::uint64_t open = 0;
  for (const auto& [id, rec] : r.out.snapshots.All()) {
    const bool closed = ClosedByProtocol(rec, r.out.in_group);
    open += !closed;
    EXPECT_EQ(rec.unfinished, !closed) << id;
  }
  ASSERT_GT(open, 0u);
  const auto& c = r.counters();
  EXPECT_EQ(c.unfinished, open);
  EXPECT_EQ(c.accepted, c.initiated - open);
  EXPECT_EQ(c.rejected, 0u);
  EXPECT_EQ(c.channel_state_wrong, 0u);
}

TEST(ClassicProtocols, LostMarkersLeaveSnapshotsIncompleteNotHung) {
  CheckedRun r =
      RunChecked(Closed(kTokens, "chandy-lamport", true), 3, {"channels.default.loss=0.05"});
  std::uint64_t open = 0;
  for (const auto& [id, rec] : r.out.snapshots.All())
    open += rec.channels_recorded < rec.channels_expected;
  EXPECT_GT(open, 0u);
  // The run ends by itself (tokens lost to loss can leave it idle); it never
  // hangs waiting for markers that will not come.
  EXPECT_NE(r.out.stats.reason, StopReason::kEventLimit);
  // Snapshots the protocol closed are still exact.
  for (const auto& s : r.report().snapshots)
    if (s.complete) {
      EXPECT_TRUE(s.consistent) << s.id;
    }
}

}  // namespace
}  // namespace snapsim
