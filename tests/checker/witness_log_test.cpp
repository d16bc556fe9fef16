// WitnessLog: the log of the events inside windows of time finds the same
// witness as the online checker's log of every event, enters a message sent
// before a window at its first hop inside it, and forgets a logged message
// received after its window.
#include "checker/witness_log.h"

#include <gtest/gtest.h>

#include <string>
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

}  // namespace
}  // namespace snapsim::checker
