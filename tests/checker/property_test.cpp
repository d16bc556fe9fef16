// Property tests: the fast checker against the reference oracle on random
// traces; consistent-by-construction cuts pass; planted orphans and hidden
// chains fail with a witness that is a real causal path; online (TraceSink)
// and offline (JSON Lines) reports are identical.
//
// On failure RapidCheck shrinks the generator's parameters (steps, actors,
// snapshots, seed) and prints the trace as JSON Lines.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "agreement.h"
#include "checker/cut_pass.h"
#include "checker/online_checker.h"
#include "checker/topo_pass.h"
#include "checker/witness.h"
#include "oracle.h"
#include "random_trace.h"
#include "test_util.h"

namespace snapsim::checker {
namespace {

using testing::CheckAllWays;
using testing::GenParams;
using testing::Lines;
using testing::ReadOrDie;
using testing::SnapshotOrder;

GenParams ArbitraryParams(int min_in, int min_out) {
  GenParams p;
  p.seed = *rc::gen::inRange<std::uint32_t>(0, 1000000);
  p.in_procs = *rc::gen::inRange(min_in, 6);
  p.out_procs = *rc::gen::inRange(min_out, 4);
  p.gateways = *rc::gen::inRange(0, 3);
  p.controller = *rc::gen::arbitrary<bool>();
  p.steps = *rc::gen::inRange(0, 150);
  p.snapshots = *rc::gen::inRange(0, 5);
  p.order =
      *rc::gen::element(SnapshotOrder::kIncreasing, SnapshotOrder::kGappy, SnapshotOrder::kRandom);
  p.loss_percent = *rc::gen::inRange(0, 40);
  return p;
}

RC_GTEST_PROP(CheckerProperty, FastCheckerAgreesWithOracle, ()) {
  const GenParams p = ArbitraryParams(1, 0);
  const Lines lines = testing::GenerateTrace(p);
  RC_LOG() << testing::ToJsonl(lines, p.seed + 1);
  const std::string why = CheckAllWays(lines, p.seed + 1);
  RC_ASSERT(why == "");
}

RC_GTEST_PROP(CheckerProperty, ConsistentByConstructionCutsPass, ()) {
  GenParams p = ArbitraryParams(1, 0);
  p.steps = *rc::gen::inRange(0, 100);
  const Lines lines = testing::GenerateConsistentCuts(p);
  RC_LOG() << testing::ToJsonl(lines, p.seed + 2);
  const CheckReport r = testing::CheckText(testing::ToJsonl(lines, p.seed + 2));
  RC_ASSERT(r.snapshots.size() == static_cast<std::size_t>(p.snapshots));
  for (const auto& s : r.snapshots) {
    RC_ASSERT(s.consistent);
    RC_ASSERT(s.complete);
    RC_ASSERT(s.channel_state_ok != std::optional<bool>(false));
  }
  RC_ASSERT(CheckAllWays(lines, p.seed + 2) == "");
}

RC_GTEST_PROP(CheckerProperty, PlantedChainFailsWithARealWitness, ()) {
  const GenParams p = ArbitraryParams(2, 1);
  const int relays = *rc::gen::inRange(0, 4);
  const SnapshotId planted = 1000;
  const Lines lines = testing::GeneratePlanted(p, relays, planted);
  RC_LOG() << testing::ToJsonl(lines, p.seed + 3);
  const CheckReport r = testing::CheckText(testing::ToJsonl(lines, p.seed + 3));
  RC_ASSERT(!r.snapshots.empty());
  const SnapshotReport& s = r.snapshots.back();
  RC_ASSERT(s.id == planted);
  RC_ASSERT(!s.consistent);
  RC_ASSERT(!s.witness.empty());
  const std::string why = CheckAllWays(lines, p.seed + 3);
  RC_ASSERT(why == "");
}

// Larger seeded traces, and both representations are exercised.
TEST(CheckerProperty, SeededLargerTracesAgreeInBothRepresentations) {
  for (SnapshotOrder order :
       {SnapshotOrder::kIncreasing, SnapshotOrder::kGappy, SnapshotOrder::kRandom}) {
    int bitset_runs = 0, streamed_runs = 0;
    testing::ReplayRuns runs;  // calls over several ids
    std::size_t scattered_channel_runs = 0;
    int consistent = 0, inconsistent = 0, channels_ok = 0, channels_wrong = 0, with_forwards = 0;
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      GenParams p;
      p.seed = seed;
      p.in_procs = 5;
      p.out_procs = 3;
      p.gateways = 2;
      p.steps = 400;
      p.snapshots = 6;
      p.order = order;
      if (seed % 2 == 0) p.loss_percent = 0;  // a lost message holds back streaming
      const Lines lines = testing::GenerateTrace(p);
      const CheckReport r = testing::CheckText(testing::ToJsonl(lines, seed));
      for (const auto& s : r.snapshots) {
        (s.consistent ? consistent : inconsistent) += 1;
        if (s.channel_state_ok) (*s.channel_state_ok ? channels_ok : channels_wrong) += 1;
      }
      for (const auto& l : lines) with_forwards += l["type"] == "forward";
      EXPECT_EQ(CheckAllWays(lines, seed * 3), "") << "seed " << seed << "\n"
                                                   << testing::ToJsonl(lines, seed * 3);
      CompactTrace t = ReadOrDie(testing::ToJsonl(lines, seed));
      CutPass pass;
      for (ActorGroup g : t.actor_groups) pass.AddActor(g);
      ASSERT_FALSE(RunInTopologicalOrder(t, pass).has_value());
      OnlineChecker grouped;
      const testing::ReplayRuns replayed = testing::Replay(lines, grouped, /*snapshot_runs=*/true);
      runs.snapshots += replayed.snapshots;
      runs.channel_states += replayed.channel_states;
      const std::string grouped_report = testing::ReportText(grouped.TakeReport());
      for (std::uint64_t k = 0; k < 3; ++k) {  // more placements of channel runs
        OnlineChecker scattered;
        scattered_channel_runs +=
            testing::Replay(testing::ScatterRecords(lines, seed * 7 + k, true), scattered, true)
                .channel_states;
        EXPECT_EQ(testing::ReportText(scattered.TakeReport()), grouped_report) << "seed " << seed;
      }
      bitset_runs += pass.UsingBitsets();
      streamed_runs += pass.FinalRanks() > 0;
    }
    // The generator must produce every kind of outcome, or the agreement
    // above proves little.
    EXPECT_GT(consistent, 5);
    EXPECT_GT(inconsistent, 5);
    EXPECT_GT(channels_ok, 2);
    EXPECT_GT(channels_wrong, 2);
    EXPECT_GT(with_forwards, 10);
    // CheckAllWays replays these in one call each.
    EXPECT_GT(runs.snapshots, 5u);
    EXPECT_GE(runs.channel_states, 3u);
    EXPECT_GE(scattered_channel_runs, 5u) << order;
    if (order == SnapshotOrder::kIncreasing) {
      EXPECT_EQ(bitset_runs, 0);
      // Channel states were judged while streaming (ChannelStateStream).
      EXPECT_GT(streamed_runs, 2);
    } else {
      EXPECT_GT(bitset_runs, 6);
    }
  }
}

TEST(CheckerProperty, OnlineReportsMalformedCalls) {
  OnlineChecker c;
  c.Actor(0, "p0", ActorGroup::kIn);
  c.Actor(1, "p1", ActorGroup::kIn);
  c.Send(SimTime(1), 0, 7, 1);
  c.Recv(SimTime(2), 1, 7);
  c.Recv(SimTime(3), 1, 7);  // call 5: received twice
  c.Finish();
  const CheckReport r = c.TakeReport();
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->line, 5u);
  EXPECT_NE(r.error->message.find("not in flight"), std::string::npos);
}

TEST(CheckerProperty, OnlineReportsAChannelDeclaredTwiceAndASecondSend) {
  {
    OnlineChecker c;
    c.Actor(0, "p0", ActorGroup::kIn);
    c.Actor(1, "p1", ActorGroup::kIn);
    c.Channel(0, 1, true);
    c.Channel(1, 0, true);   // the other direction: a channel of its own
    c.Channel(0, 1, false);  // call 5: declared twice
    c.Finish();
    const CheckReport r = c.TakeReport();
    ASSERT_TRUE(r.error.has_value());
    EXPECT_EQ(r.error->line, 5u);
    EXPECT_NE(r.error->message.find("channel p0->p1 declared twice"), std::string::npos);
  }
  // Declarations in increasing (from, to) order, as the engine makes them,
  // are taken without a lookup; a repeat is refused whether it repeats the
  // last one, comes in order after others out of order, or repeats one from
  // long before.
  struct Case {
    std::vector<std::pair<ActorId, ActorId>> channels;
    std::size_t repeat;  // index in channels of the second declaration
  };
  const std::vector<Case> cases = {
      {{{0, 1}, {0, 2}, {1, 0}, {1, 0}}, 3},          // the last one again
      {{{0, 1}, {1, 2}, {2, 0}, {0, 2}, {1, 2}}, 4},  // out of order, then a repeat in order
      {{{0, 1}, {0, 2}, {1, 0}, {1, 2}, {2, 1}, {0, 2}}, 5},  // one from long before
      {{{2, 1}, {0, 1}, {2, 0}, {2, 1}}, 3},                  // out of order from the start
  };
  for (const Case& k : cases) {
    OnlineChecker c;
    for (ActorId a = 0; a < 3; ++a) c.Actor(a, "p" + std::to_string(a), ActorGroup::kIn);
    for (const auto& [from, to] : k.channels) c.Channel(from, to, true);
    c.Finish();
    const CheckReport r = c.TakeReport();
    ASSERT_TRUE(r.error.has_value());
    EXPECT_EQ(r.error->line, 3 + k.repeat + 1);  // 3 actors, then the channels
    const auto [from, to] = k.channels[k.repeat];
    EXPECT_NE(r.error->message.find(fmt::format("channel p{}->p{} declared twice", from, to)),
              std::string::npos)
        << r.error->message;
  }
  {
    // No repeat: in order, out of order, and in order again.
    OnlineChecker c;
    for (ActorId a = 0; a < 3; ++a) c.Actor(a, "p" + std::to_string(a), ActorGroup::kIn);
    for (const auto& [from, to] :
         std::vector<std::pair<ActorId, ActorId>>{{0, 1}, {0, 2}, {2, 1}, {1, 0}, {1, 2}, {2, 0}})
      c.Channel(from, to, true);
    c.Finish();
    EXPECT_FALSE(c.TakeReport().error.has_value());
  }
  {
    // A second send of an id in flight, at another place (MessageRef).
    OnlineChecker c;
    c.Actor(0, "p0", ActorGroup::kIn);
    c.Actor(1, "p1", ActorGroup::kIn);
    c.Send(SimTime(1), 0, MessageRef(9, 100), 1);
    c.Send(SimTime(1), 0, MessageRef(8, 101), 1);
    c.Send(SimTime(2), 0, MessageRef(9, 102), 1);  // call 5: sent twice
    c.Finish();
    const CheckReport r = c.TakeReport();
    ASSERT_TRUE(r.error.has_value());
    EXPECT_EQ(r.error->line, 5u);
    EXPECT_NE(r.error->message.find("m9 sent twice"), std::string::npos);
  }
}

// A run of snapshots in one call fails where the same calls one id at a
// time would: at the first bad id, with that id's call number.
TEST(CheckerProperty, OnlineReportsMalformedSnapshotRunsAtTheFailingId) {
  const auto run = [](auto&& calls) {
    OnlineChecker c;
    c.Actor(0, "p0", ActorGroup::kIn);
    c.Actor(1, "o1", ActorGroup::kOut);
    calls(c);  // from call 3
    c.Finish();
    return c.TakeReport();
  };
  const CheckReport ok = run([](OnlineChecker& c) { c.Snapshots(SimTime(1), 0, 1, 4, 0); });
  EXPECT_FALSE(ok.error);
  ASSERT_EQ(ok.snapshots.size(), 4u);
  // Ids 2 and 3 taken before: the run 1..4 fails at id 2, call 4.
  const CheckReport twice = run([](OnlineChecker& c) {
    c.Snapshots(SimTime(1), 0, 2, 3, 0);  // calls 3, 4
    c.Snapshots(SimTime(2), 0, 1, 4, 0);  // calls 5 (id 1), 6 (id 2)
  });
  ASSERT_TRUE(twice.error.has_value());
  EXPECT_EQ(twice.error->line, 6u);
  EXPECT_NE(twice.error->message.find("p0 takes snapshot 2 twice"), std::string::npos)
      << twice.error->message;
  const CheckReport zero = run([](OnlineChecker& c) { c.Snapshots(SimTime(1), 0, 0, 2, 0); });
  ASSERT_TRUE(zero.error.has_value());
  EXPECT_EQ(zero.error->line, 3u);
  const CheckReport backwards = run([](OnlineChecker& c) { c.Snapshots(SimTime(1), 0, 4, 3, 0); });
  ASSERT_TRUE(backwards.error.has_value());
  EXPECT_EQ(backwards.error->line, 3u);
  EXPECT_NE(backwards.error->message.find("snapshot run 4..3 at p0 ends before it starts"),
            std::string::npos)
      << backwards.error->message;
  const CheckReport out = run([](OnlineChecker& c) { c.Snapshots(SimTime(1), 1, 1, 2, 0); });
  ASSERT_TRUE(out.error.has_value());
  EXPECT_EQ(out.error->line, 3u);
  EXPECT_NE(out.error->message.find("o1, which is not an in-group process"), std::string::npos)
      << out.error->message;
}

// A channel state recorded for a run of ids fails where the same calls one
// id at a time would: at the first repeated id, with that id's call number.
TEST(CheckerProperty, OnlineReportsMalformedChannelStateRunsAtTheFailingId) {
  const auto run = [](auto&& calls) {
    OnlineChecker c;
    c.Actor(0, "p0", ActorGroup::kIn);
    c.Actor(1, "p1", ActorGroup::kIn);
    c.Actor(2, "o2", ActorGroup::kOut);
    c.Channel(0, 1, true);
    calls(c);  // from call 5
    c.Finish();
    return c.TakeReport();
  };
  const std::vector<MessageId> none;
  EXPECT_FALSE(run([&](OnlineChecker& c) { c.ChannelStates(1, 4, 0, 1, none); }).error);
  const CheckReport twice = run([&](OnlineChecker& c) {
    c.ChannelStates(3, 3, 0, 1, none);  // call 5
    c.ChannelStates(1, 4, 0, 1, none);  // calls 6 (id 1), 7 (id 2), 8 (id 3)
  });
  ASSERT_TRUE(twice.error.has_value());
  EXPECT_EQ(twice.error->line, 8u);
  EXPECT_NE(twice.error->message.find("second channel state for p0->p1 in snapshot 3"),
            std::string::npos)
      << twice.error->message;
  // Undeclared, in-group: fine; a repeat on it is found too.
  const CheckReport undeclared = run([&](OnlineChecker& c) {
    c.ChannelStates(1, 2, 1, 0, none);  // calls 5, 6
    c.ChannelStates(2, 5, 1, 0, none);  // call 7: id 2 again
  });
  ASSERT_TRUE(undeclared.error.has_value());
  EXPECT_EQ(undeclared.error->line, 7u);
  const CheckReport out = run([&](OnlineChecker& c) { c.ChannelStates(1, 3, 2, 1, none); });
  ASSERT_TRUE(out.error.has_value());
  EXPECT_EQ(out.error->line, 5u);
  EXPECT_NE(out.error->message.find("not between in-group processes"), std::string::npos)
      << out.error->message;
  const CheckReport zero = run([&](OnlineChecker& c) { c.ChannelStates(0, 2, 0, 1, none); });
  ASSERT_TRUE(zero.error.has_value());
  EXPECT_EQ(zero.error->line, 5u);
  const CheckReport backwards = run([&](OnlineChecker& c) { c.ChannelStates(3, 2, 0, 1, none); });
  ASSERT_TRUE(backwards.error.has_value());
  EXPECT_EQ(backwards.error->line, 5u);
  EXPECT_NE(backwards.error->message.find("ends before it starts"), std::string::npos)
      << backwards.error->message;
}

// A run whose first id makes a snapshot final (judged at once, streaming)
// and whose next id breaks the prefix order (the pass switches to bitsets):
// the same report as one call per id.
TEST(CheckerProperty, OnlineSnapshotRunThatSwitchesToBitsetsMatchesOneCallPerId) {
  const auto run = [](bool one_call) {
    OnlineChecker c;
    c.Actor(0, "p0", ActorGroup::kIn);
    c.Actor(1, "p1", ActorGroup::kIn);
    c.Channel(0, 1, true);
    c.Channel(1, 0, true);
    c.Snapshot(SimTime(1), 1, 1, 0);  // ranks: id 1 -> 0
    c.Snapshot(SimTime(2), 1, 3, 0);  // id 3 -> 1
    c.Send(SimTime(3), 1, 7, 0);      // sent outside p1's cut 1, received inside p0's
    c.Recv(SimTime(4), 0, 7);
    if (one_call) {
      c.Snapshots(SimTime(5), 0, 1, 2, 0);  // id 1 final; id 2 skips rank 1
    } else {
      c.Snapshot(SimTime(5), 0, 1, 0);
      c.Snapshot(SimTime(5), 0, 2, 0);
    }
    const std::vector<MessageId> none;
    c.ChannelState(1, 0, 1, none);
    c.ChannelState(1, 1, 0, none);
    c.Finish();
    return c.TakeReport();
  };
  const CheckReport per_id = run(false);
  ASSERT_FALSE(per_id.error);
  ASSERT_EQ(per_id.snapshots.size(), 3u);
  EXPECT_EQ(testing::ReportText(run(true)), testing::ReportText(per_id));
}

// Channel states and snapshot events name in-group processes only; the
// online checker tells a declared channel (in-group by Channel's check) from
// an undeclared one and still checks the groups of the latter.
TEST(CheckerProperty, OnlineReportsCallsOutsideTheInGroup) {
  // Actors p0, p1, p2 in-group, o3 out-group; channel p0->p1 declared.
  const auto run = [](auto&& last_call) {
    OnlineChecker c;
    c.Actor(0, "p0", ActorGroup::kIn);
    c.Actor(1, "p1", ActorGroup::kIn);
    c.Actor(2, "p2", ActorGroup::kIn);
    c.Actor(3, "o3", ActorGroup::kOut);
    c.Channel(0, 1, true);
    c.Snapshot(SimTime(1), 1, 1, 0);  // call 6
    last_call(c);                     // call 7
    c.Finish();
    return c.TakeReport();
  };
  const std::vector<MessageId> none;
  EXPECT_FALSE(run([&](OnlineChecker& c) { c.ChannelState(1, 0, 1, none); }).error);
  EXPECT_FALSE(run([&](OnlineChecker& c) { c.ChannelState(1, 2, 1, none); }).error);  // undeclared
  for (const auto& [from, to] : {std::pair<ActorId, ActorId>{3, 1}, {1, 3}}) {
    const CheckReport r = run([&](OnlineChecker& c) { c.ChannelState(1, from, to, none); });
    ASSERT_TRUE(r.error.has_value()) << from << "->" << to;
    EXPECT_EQ(r.error->line, 7u);
    EXPECT_NE(r.error->message.find("not between in-group processes"), std::string::npos)
        << r.error->message;
  }
  const CheckReport r = run([](OnlineChecker& c) { c.Snapshot(SimTime(2), 3, 1, 0); });
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->line, 7u);
  EXPECT_NE(r.error->message.find("o3, which is not an in-group process"), std::string::npos)
      << r.error->message;
}

}  // namespace
}  // namespace snapsim::checker
