// WitnessLog: the log of the events inside windows of time finds the same
// witness as the online checker's log of every event, enters a message sent
// before a window at its first hop inside it, and forgets a logged message
// received after its window. Windows handed over while the run goes (a
// WindowSource) give the same chain, and end the replay once none is ahead.
#include "checker/witness_log.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checker/online_checker.h"

namespace snapsim::checker {
namespace {

SimTime At(std::int64_t ns) { return SimTime(ns); }

// p0 and p1 in-group, o0 out-group, g0 a gateway in front of the in-group.
// Snapshot 1: p0 at 10, p1 at 16. Inside [10, 16]: p0 sends m2 to o0, o0
// sends m3 to g0, g0 forwards m3 and then m1 (sent by o0 at 5, before the
// window), and p1 receives m1 before its snapshot: the chain goes from g0's
// forward of m3 to its forward of m1, which only a log that enters m1 at
// that forward can follow. Outside: m1's send at 5, m3's receive at 17, m4
// (sent at 15) received at 30.
void Feed(TraceSink& s) {
  s.Actor(0, "p0", ActorGroup::kIn);
  s.Actor(1, "p1", ActorGroup::kIn);
  s.Actor(2, "o0", ActorGroup::kOut);
  s.Actor(3, "g0", ActorGroup::kGateway);
  s.Channel(0, 1, true);
  s.Send(At(5), 2, 1, 3);       // o0 -> g0: m1
  s.Snapshot(At(10), 0, 1, 0);  // p0 snapshot#1
  s.Send(At(11), 0, 2, 2);      // p0 -> o0: m2
  s.Recv(At(12), 2, 2);         // o0 recv m2
  s.Send(At(12), 2, 3, 3);      // o0 -> g0: m3
  s.Forward(At(13), 3, 3, 1);   // g0 forward m3 -> p1
  s.Forward(At(13), 3, 1, 1);   // g0 forward m1 -> p1
  s.Recv(At(14), 1, 1);         // p1 recv m1
  s.Send(At(15), 1, 4, 0);      // p1 -> p0: m4
  s.Snapshot(At(16), 1, 1, 0);  // p1 snapshot#1
  s.Recv(At(17), 1, 3);         // p1 recv m3, after its snapshot and the window
  s.Recv(At(30), 0, 4);         // p0 recv m4
  s.Verdict(1, true);
  s.Finish();
}

TEST(WitnessLog, FindsTheWholeLogsChainFromItsWindow) {
  OnlineChecker whole;
  Feed(whole);
  const CheckReport report = whole.TakeReport();
  ASSERT_FALSE(report.error) << report.error->message;
  ASSERT_EQ(report.snapshots.size(), 1u);
  ASSERT_FALSE(report.snapshots[0].consistent);
  const std::vector<std::string> expected = {"p0 snapshot#1",
                                             "p0 send m2",
                                             "o0 recv m2",
                                             "o0 send m3",
                                             "g0 forward m3",
                                             "g0 forward m1",
                                             "p1 recv m1 (inside the cut)"};
  ASSERT_EQ(report.snapshots[0].witness, expected);

  WitnessLog log({{At(10), At(16), {1}}});
  Feed(log);
  EXPECT_EQ(log.Witness(1), expected);
  // m1's send at 5 and the receives at 17 and 30 are not logged; the 9
  // events between are, m1 entering the log at g0's forward.
  EXPECT_EQ(log.EventCount(), 9u);
  EXPECT_EQ(log.LoggedInFlight(), 0u);  // m3 and m4 left the table at their receives
  EXPECT_TRUE(log.Witness(2).empty());  // no such snapshot
}

TEST(WitnessLog, DropsEachWindowsLogOnceItsWitnessesAreFound) {
  // The first window logs m1's send at 5 (for a snapshot 7 that has no
  // events); it is searched and dropped when the run passes 5, and m1
  // enters the second window's log again at g0's forward.
  WitnessLog log({{At(5), At(5), {7}}, {At(10), At(16), {1}}});
  Feed(log);
  EXPECT_EQ(log.Witness(1).size(), 7u);
  EXPECT_EQ(log.Witness(1).back(), "p1 recv m1 (inside the cut)");
  EXPECT_TRUE(log.Witness(7).empty());
  EXPECT_EQ(log.EventCount(), 10u);
  EXPECT_EQ(log.PeakEvents(), 9u);  // never both windows at once
  EXPECT_EQ(log.LoggedInFlight(), 0u);
}

TEST(WitnessLog, OutsideEveryWindowLogsNothing) {
  WitnessLog log({{At(100), At(200), {1}}});
  Feed(log);
  EXPECT_EQ(log.EventCount(), 0u);
  EXPECT_EQ(log.LoggedInFlight(), 0u);
  EXPECT_TRUE(log.Witness(1).empty());
}

TEST(WitnessLog, AWindowThatEndsBeforeTheCutMissesTheChain) {
  // The window must cover the snapshot's local snapshots: cut at 14, p1's
  // snapshot#1 at 16 is not logged, so there is no chain to find.
  WitnessLog log({{At(10), At(14), {1}}});
  Feed(log);
  EXPECT_TRUE(log.Witness(1).empty());
  EXPECT_EQ(log.LoggedInFlight(), 0u);  // m3 left at its receive; m4 was sent after
}

// A WindowSource that hands over its steps one Await at a time: each step
// is the windows it gives and the horizon it then returns (SimTime::Max()
// closes it), and it records the times it was asked about.
class SteppedSource : public WitnessLog::WindowSource {
 public:
  struct Step {
    std::vector<WitnessLog::Window> windows;
    SimTime horizon;
  };
  explicit SteppedSource(std::vector<Step> steps) : steps_(std::move(steps)) {}
  Known Await(SimTime t, std::vector<WitnessLog::Window>& out) override {
    asked.push_back(t);
    if (cancel_at && t >= *cancel_at) return {SimTime::Max(), true, true};
    // A real source blocks until its horizon passes t: give steps until then.
    Known known{SimTime(0)};
    do {
      if (next_ == steps_.size()) return {SimTime::Max(), true, false};
      Step& step = steps_[next_++];
      out.insert(out.end(), step.windows.begin(), step.windows.end());
      known.horizon = step.horizon;
    } while (known.horizon <= t);
    known.closed = known.horizon == SimTime::Max();
    return known;
  }
  std::vector<SimTime> asked;
  std::optional<SimTime> cancel_at;

 private:
  std::vector<Step> steps_;
  std::size_t next_ = 0;
};

TEST(WitnessLog, WindowsHandedOverDuringTheRunFindTheSameChain) {
  // As a run would hand them over: snapshot 1 (local snapshots at 10 and
  // 16) holds the horizon at 10 until it is complete; snapshot 3, opened at
  // 12 and complete at 20, then holds it at 12; its window [12, 20] arrives
  // while [10, 16] is being logged and merges with it.
  SteppedSource source({{{}, At(10)},
                        {{{At(10), At(16), {1}}}, At(12)},
                        {{{At(12), At(20), {3}}}, At(40)},
                        {{}, SimTime::Max()}});
  WitnessLog log(source);
  int stops = 0;
  log.OnNothingAhead([&stops] { ++stops; });
  Feed(log);
  EXPECT_EQ(log.Witness(1).size(), 7u);
  EXPECT_EQ(log.Witness(1).back(), "p1 recv m1 (inside the cut)");
  EXPECT_TRUE(log.Witness(3).empty());  // no events of snapshot 3 here
  // The nine events of [10, 16] and m3's receive at 17, inside [10, 20]:
  // one window, as when both windows are known first.
  EXPECT_EQ(log.EventCount(), 10u);
  EXPECT_EQ(log.PeakEvents(), 10u);
  EXPECT_EQ(log.LoggedInFlight(), 0u);
  // Asked at the first event, at each horizon reached, and at Finish.
  EXPECT_EQ(source.asked, (std::vector<SimTime>{At(5), At(10), At(12), At(40)}));
  EXPECT_EQ(stops, 0);  // the source closed only at Finish

  WitnessLog known_first({{At(10), At(20), {1, 3}}});
  Feed(known_first);
  EXPECT_EQ(known_first.Witness(1), log.Witness(1));
  EXPECT_EQ(known_first.EventCount(), log.EventCount());
}

TEST(WitnessLog, StopsTheReplayOnceNoWindowIsAhead) {
  // Closed at the first event: after 16 nothing is ahead, and the replay is
  // told so once.
  SteppedSource source({{{{At(10), At(16), {1}}}, SimTime::Max()}});
  WitnessLog log(source);
  int stops = 0;
  log.OnNothingAhead([&stops] { ++stops; });
  Feed(log);
  EXPECT_EQ(stops, 1);
  EXPECT_EQ(log.Witness(1).size(), 7u);
  EXPECT_EQ(source.asked, std::vector<SimTime>{At(5)});
}

TEST(WitnessLog, ACancelledSourceStopsTheReplayAndLogsNothingMore) {
  SteppedSource source({{{{At(10), At(16), {1}}}, At(12)}, {{}, At(40)}});
  source.cancel_at = At(12);
  WitnessLog log(source);
  int stops = 0;
  log.OnNothingAhead([&stops] { ++stops; });
  Feed(log);
  EXPECT_EQ(stops, 1);
  EXPECT_TRUE(log.Witness(1).empty());
  EXPECT_EQ(log.EventCount(), 2u);  // at 10 and 11: at 12 it asks and is cancelled
}

}  // namespace
}  // namespace snapsim::checker
