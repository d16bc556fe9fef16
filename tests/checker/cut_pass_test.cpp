// Unit tests of the streaming core: the prefix representation, the switch to
// bitsets (exactness across the switch), growth past 64 snapshots.
#include "checker/cut_pass.h"

#include <gtest/gtest.h>

namespace snapsim::checker {
namespace {

constexpr ActorId kP = 0, kQ = 1, kO = 2;

CutPass ThreeActors() {
  CutPass pass;
  pass.AddActor(ActorGroup::kIn);
  pass.AddActor(ActorGroup::kIn);
  pass.AddActor(ActorGroup::kOut);
  return pass;
}

TEST(CheckerCutPass, OrphanThroughOutGroupIsAViolation) {
  CutPass pass = ThreeActors();
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  const auto s = pass.Send(kP);
  pass.Recv(kO, s, 1);
  const auto s2 = pass.Send(kO);
  pass.Recv(kQ, s2, 2);
  ASSERT_TRUE(pass.Snapshot(kQ, 1));
  EXPECT_FALSE(pass.UsingBitsets());
  EXPECT_TRUE(pass.Violated(pass.RankOf(1)));
  EXPECT_EQ(pass.ViolatedAt(pass.RankOf(1)), kQ);
  EXPECT_EQ(pass.Recorded(pass.RankOf(1)), 2u);
}

TEST(CheckerCutPass, GapInSnapshotsSwitchesToBitsetsWithoutFalsePositive) {
  // q takes 1 then 3 (skips 2); q's post-3 region reaches p before p takes 2.
  // The prefix representation would claim 2 reached; it is not (q has no cut
  // point for 2).
  CutPass pass = ThreeActors();
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  ASSERT_TRUE(pass.Snapshot(kQ, 1));
  ASSERT_TRUE(pass.Snapshot(kP, 2));
  ASSERT_TRUE(pass.Snapshot(kQ, 3));  // gap: q skips 2 (ranks: 1, 2, 3)
  EXPECT_TRUE(pass.UsingBitsets());
  const auto s = pass.Send(kQ);
  pass.Recv(kP, s, 1);
  ASSERT_TRUE(pass.Snapshot(kP, 3));
  EXPECT_TRUE(pass.Violated(pass.RankOf(3)));  // q's 3 reached p before p's 3
  EXPECT_FALSE(pass.Violated(pass.RankOf(2)));
  EXPECT_FALSE(pass.Violated(pass.RankOf(1)));
  EXPECT_FALSE(pass.Took(kQ, pass.RankOf(2)));
}

TEST(CheckerCutPass, RanksFollowFirstAppearanceSoSkippedIdsNeedNoBitsets) {
  // q takes 1 then 3; id 2 has not appeared yet, so q is still gap-free in
  // rank terms. When p then takes 2, p is out of rank order: switch, exactly.
  CutPass pass = ThreeActors();
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  ASSERT_TRUE(pass.Snapshot(kQ, 1));
  ASSERT_TRUE(pass.Snapshot(kQ, 3));
  EXPECT_FALSE(pass.UsingBitsets());
  const auto s = pass.Send(kQ);
  pass.Recv(kP, s, 1);
  ASSERT_TRUE(pass.Snapshot(kP, 2));
  EXPECT_TRUE(pass.UsingBitsets());
  EXPECT_FALSE(pass.Violated(pass.RankOf(2)));  // q has no cut point for 2
  ASSERT_TRUE(pass.Snapshot(kP, 3));
  EXPECT_TRUE(pass.Violated(pass.RankOf(3)));
}

TEST(CheckerCutPass, SwitchKeepsInFlightReach) {
  CutPass pass = ThreeActors();
  ASSERT_TRUE(pass.Snapshot(kQ, 1));
  const auto s = pass.Send(kQ);       // carries reach {1}
  ASSERT_TRUE(pass.Snapshot(kP, 5));  // p skips 1: switch while s is in flight
  EXPECT_TRUE(pass.UsingBitsets());
  pass.Recv(kP, s, 1);
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  EXPECT_TRUE(pass.Violated(pass.RankOf(1)));
  EXPECT_FALSE(pass.Violated(pass.RankOf(5)));
}

TEST(CheckerCutPass, DuplicateSnapshotIsRefusedInBothModes) {
  CutPass pass = ThreeActors();
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  EXPECT_FALSE(pass.Snapshot(kP, 1));
  ASSERT_TRUE(pass.Snapshot(kQ, 2));  // switch
  EXPECT_FALSE(pass.Snapshot(kQ, 2));
  EXPECT_FALSE(pass.Snapshot(kP, 1));
}

TEST(CheckerCutPass, BitsetsGrowPastOneWord) {
  CutPass pass = ThreeActors();
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  ASSERT_TRUE(pass.Snapshot(kQ, 2));  // q skips rank 0: bitsets from here
  EXPECT_TRUE(pass.UsingBitsets());
  for (SnapshotId id = 2; id <= 200; ++id) {
    ASSERT_TRUE(pass.Snapshot(kP, id));
  }
  const auto s = pass.Send(kP);
  pass.Recv(kQ, s, 7);
  ASSERT_TRUE(pass.Snapshot(kQ, 1));
  for (SnapshotId id = 3; id <= 199; ++id) {
    ASSERT_TRUE(pass.Snapshot(kQ, id));
  }
  EXPECT_TRUE(pass.Violated(pass.RankOf(1)));
  EXPECT_TRUE(pass.Violated(pass.RankOf(150)));
  EXPECT_TRUE(pass.Violated(pass.RankOf(199)));
  EXPECT_FALSE(pass.Violated(pass.RankOf(2)));
  EXPECT_FALSE(pass.Violated(pass.RankOf(200)));  // q never took it
  // The message was sent after all of p's cuts: it crosses none.
  for (const auto& list : pass.ExpectedChannelStates({0, 100, 198})) {
    EXPECT_TRUE(list.empty());
  }
}

TEST(CheckerCutPass, CrossingsInBothModes) {
  CutPass pass = ThreeActors();
  const auto a = pass.Send(kP);  // before p's cut 1
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  ASSERT_TRUE(pass.Snapshot(kQ, 1));
  pass.Recv(kQ, a, 11);               // crosses cut 1
  ASSERT_TRUE(pass.Snapshot(kQ, 9));  // q goes on alone: gap-free, still prefix
  EXPECT_FALSE(pass.UsingBitsets());
  const auto b = pass.Send(kP);       // p has taken 1 only
  ASSERT_TRUE(pass.Snapshot(kP, 7));  // new id out of order for p: bitsets
  EXPECT_TRUE(pass.UsingBitsets());
  pass.Recv(kQ, b, 12);  // q took 1 and 9; p had taken 1: crosses 9 (p has no cut 9)
  const auto lists = pass.ExpectedChannelStates({pass.RankOf(1), pass.RankOf(9)});
  ASSERT_EQ(lists[0].size(), 1u);
  EXPECT_EQ(lists[0][0].key, 11u);
  EXPECT_TRUE(lists[1].empty());  // p never took 9: the channel is not judged
}

// A message sent in prefix mode and forwarded after the switch to bitsets
// keeps what its sender had taken: it crosses the cut its sender took after
// sending it, not the one taken before.
TEST(CheckerCutPass, ForwardAfterTheSwitchKeepsTheSendersCuts) {
  CutPass pass = ThreeActors();
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  auto m = pass.Send(kP);             // after p's cut 1
  ASSERT_TRUE(pass.Snapshot(kQ, 9));  // q skips 1: bitsets
  EXPECT_TRUE(pass.UsingBitsets());
  ASSERT_TRUE(pass.Snapshot(kQ, 1));
  ASSERT_TRUE(pass.Snapshot(kP, 9));  // after the send
  pass.Forward(kO, m);
  pass.Recv(kQ, m, 21);
  const auto lists = pass.ExpectedChannelStates({pass.RankOf(1), pass.RankOf(9)});
  EXPECT_TRUE(lists[0].empty());
  ASSERT_EQ(lists[1].size(), 1u);
  EXPECT_EQ(lists[1][0].key, 21u);
}

// The same for what a message reached: sent after q's cut 1 and forwarded
// after the switch, it carries cut 1 to p, which then takes 1 too late.
TEST(CheckerCutPass, ForwardAfterTheSwitchKeepsWhatTheMessageReached) {
  CutPass pass = ThreeActors();
  ASSERT_TRUE(pass.Snapshot(kQ, 1));
  auto m = pass.Send(kQ);
  ASSERT_TRUE(pass.Snapshot(kP, 5));  // p skips 1: bitsets
  EXPECT_TRUE(pass.UsingBitsets());
  pass.Forward(kO, m);
  pass.Recv(kP, m, 1);
  ASSERT_TRUE(pass.Snapshot(kP, 1));
  EXPECT_TRUE(pass.Violated(pass.RankOf(1)));
  EXPECT_EQ(pass.ViolatedAt(pass.RankOf(1)), kP);
}

}  // namespace
}  // namespace snapsim::checker
