#include "sim/workloads/peer_table.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace snapsim {
namespace {

// Actors 0-9 in-group, 10-12 out-group. Actor 10 sees in-group 2..7 and
// out-group 11 (kept: consecutive ids), actor 11 sees 3, 5, 6 (listed),
// actor 12 sees only 11 (no peer kept), and the in-group form a path.
World SmallWorld() {
  WorldSpec w;
  for (int i = 0; i < 13; ++i) {
    w.names.push_back("a" + std::to_string(i));
    w.groups.push_back(i < 10 ? ActorGroup::kIn : ActorGroup::kOut);
    if (i > 0 && i < 10) w.edges.emplace_back(i - 1, i);
  }
  for (ActorId b = 2; b <= 7; ++b) w.edges.emplace_back(b, 10);
  for (ActorId b : {3, 5, 6}) w.edges.emplace_back(b, 11);
  w.edges.emplace_back(10, 11);
  w.edges.emplace_back(11, 12);
  w.links.fill(LinkSpec{});
  return World(w);
}

TEST(PeerTable, AgreesWithTheFilteredNeighbourLists) {
  const World world = SmallWorld();
  auto in_group = [&](ActorId, ActorId b) { return world.Group(b) == ActorGroup::kIn; };
  const PeerTable table(world, in_group);
  for (ActorId a = 0; a < world.ActorCount(); ++a) {
    std::vector<ActorId> expected, got;
    for (ActorId b : world.Neighbours(a))
      if (in_group(a, b)) expected.push_back(b);
    for (std::uint32_t i = 0; i < table.Count(a); ++i) got.push_back(table.At(a, i));
    EXPECT_EQ(got, expected) << "actor " << a;
  }
  EXPECT_EQ(table.Count(10), 6u);  // consecutive: 2..7
  EXPECT_EQ(table.Count(11), 3u);  // listed: 3, 5, 6
  EXPECT_EQ(table.Count(12), 0u);
}

TEST(PeerTable, PickIsOneBelowDrawIntoTheList) {
  const World world = SmallWorld();
  const PeerTable table(world,
                        [&](ActorId, ActorId b) { return world.Group(b) == ActorGroup::kIn; });
  RandomStream rng(7), twin(7);
  for (ActorId a : {0, 5, 9, 10, 11}) {
    for (int draw = 0; draw < 200; ++draw) {
      const auto i = static_cast<std::uint32_t>(twin.Below(table.Count(a)));
      EXPECT_EQ(table.Pick(a, rng), table.At(a, i));
    }
  }
  EXPECT_EQ(table.Pick(12, rng), kNoActor);
}

// An InlineRow answers as the table did, with the same draws, after the
// table has dropped its own rows; lists of at most two peers are held in it.
TEST(PeerTable, InlineRowsAnswerAfterDropRows) {
  const World world = SmallWorld();
  PeerTable table(world, [&](ActorId, ActorId b) { return world.Group(b) == ActorGroup::kIn; });
  std::vector<PeerTable::InlineRow> rows;
  std::vector<std::vector<ActorId>> expected(world.ActorCount());
  for (ActorId a = 0; a < world.ActorCount(); ++a) {
    rows.push_back(table.InlineRowOf(a));
    for (std::uint32_t i = 0; i < table.Count(a); ++i) expected[a].push_back(table.At(a, i));
  }
  RandomStream before(11);
  std::vector<ActorId> picks_before;
  for (ActorId a = 0; a < world.ActorCount(); ++a) picks_before.push_back(table.Pick(a, before));
  table.DropRows();
  RandomStream after(11);
  for (ActorId a = 0; a < world.ActorCount(); ++a) {
    std::vector<ActorId> got;
    for (std::uint32_t i = 0; i < rows[a].count; ++i) got.push_back(table.At(rows[a], i));
    EXPECT_EQ(got, expected[a]) << "actor " << a;
    EXPECT_EQ(table.Pick(rows[a], after), picks_before[a]) << "actor " << a;
  }
  // Held inline: the path's two neighbours (actor 0 has one); beyond two,
  // a run of ids (2..7) or the table's list (3, 5, 6).
  EXPECT_EQ(rows[4].word, (std::array<ActorId, 2>{3, 5}));
  EXPECT_EQ(rows[0].count, 1u);
  EXPECT_FALSE(rows[10].listed);
  EXPECT_EQ(rows[10].word[0], 2u);
  EXPECT_TRUE(rows[11].listed);
}

}  // namespace
}  // namespace snapsim
