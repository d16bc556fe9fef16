// OpenSnapshotTable against a plain model (a map per actor) under random
// operations, plus the cases LaiYangCore relies on.
#include "protocols/open_snapshot_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <vector>

#include "sim/rng.h"

namespace snapsim {
namespace {

using Tally = OpenSnapshotTable::Tally;
constexpr std::size_t kCell = 16;                    // bytes of a header or a tally
constexpr std::int64_t kUnknown = -1, kClosed = -2;  // the model's report states

TEST(OpenSnapshotTable, KeepsEntriesInOrderAndFindsThem) {
  OpenSnapshotTable t;
  t.Reset(3);
  const std::vector<std::uint64_t> pre = {4, 7};
  for (SnapshotId id : {2, 3, 5, 9}) t.Append(1, id, id, pre);
  EXPECT_EQ(t.Size(0), 0u);
  EXPECT_EQ(t.Size(1), 4u);
  EXPECT_EQ(t.LowerBound(1, 3), 1u);
  EXPECT_EQ(t.UpperBound(1, 3), 2u);
  EXPECT_EQ(t.LowerBound(1, 4), 2u);
  EXPECT_EQ(t.UpperBound(1, 9), 4u);
  EXPECT_EQ(t.LowerBound(0, 1), 0u);
  EXPECT_EQ(t.At(1, 2, 1).Pre(), 7u);
  EXPECT_FALSE(t.At(1, 2, 0).Reported());
  EXPECT_FALSE(t.At(1, 2, 0).Complete());

  t.At(1, 1, 0).Report(4);  // nothing in flight: complete at once
  EXPECT_TRUE(t.At(1, 1, 0).Reported());
  EXPECT_EQ(t.At(1, 1, 0).Due(), 0);
  EXPECT_TRUE(t.At(1, 1, 0).Complete());
  t.At(1, 1, 1).Report(9);  // two still in flight
  EXPECT_EQ(t.At(1, 1, 1).Due(), 2);
  EXPECT_FALSE(t.At(1, 1, 1).Complete());
  EXPECT_FALSE(t.Close(1, 1, 0));
  EXPECT_TRUE(t.At(1, 1, 0).Closed());
  EXPECT_FALSE(t.At(1, 1, 0).Complete());
  EXPECT_TRUE(t.Close(1, 1, 1));  // the entry's last channel
  t.Erase(1, 1);
  EXPECT_EQ(t.Size(1), 3u);
  EXPECT_EQ(t.First(1, 0), 2u);
  EXPECT_EQ(t.First(1, 1), 5u);
  EXPECT_EQ(t.First(1, 2), 9u);
  EXPECT_EQ(t.OpenCount(), 3u);
}

// The engine prefetches an actor's row, then the block its `follow` pointer
// names: that block must be where the actor's entries are, through growth
// (the block moves) and erasure, and absent for an actor with none.
TEST(OpenSnapshotTable, PrefetchTargetLeadsToTheActorsEntries) {
  OpenSnapshotTable t;
  t.Reset(3);
  const StateArray rows = t.PrefetchTarget();
  ASSERT_NE(rows.base, nullptr);
  ASSERT_NE(rows.follow, StateArray::kNoFollow);
  auto block_of = [&](ActorId a) {
    const void* p = nullptr;
    std::memcpy(&p, rows.base + a * rows.stride + rows.follow, sizeof p);
    return static_cast<const std::byte*>(p);
  };
  EXPECT_EQ(block_of(2), nullptr);
  const std::vector<std::uint64_t> pre = {1, 2, 3};
  for (SnapshotId id = 1; id <= 40; ++id) {
    t.Append(2, id, id, pre);
    // Entry 0's first tally sits one cell after the block's start.
    EXPECT_EQ(reinterpret_cast<const std::byte*>(&t.At(2, 0, 0)), block_of(2) + kCell) << id;
    const auto* last = reinterpret_cast<const std::byte*>(&t.At(2, id - 1, 2));
    EXPECT_LT(last, block_of(2) + kCell * 4 * id) << id;
  }
  t.Erase(2, 0);
  EXPECT_EQ(reinterpret_cast<const std::byte*>(&t.At(2, 0, 0)), block_of(2) + kCell);
  EXPECT_EQ(t.First(2, 0), 2u);
  EXPECT_EQ(block_of(0), nullptr);
  EXPECT_EQ(t.PrefetchTarget().base, rows.base);  // rows never move after Reset
}

// Entries closing oldest first (the common case) move the row's start
// forward; appends then compact the row or grow its block. Every entry must
// keep its id and tallies through thousands of such cycles, with the oldest
// or the second-oldest entry closing.
TEST(OpenSnapshotTable, OldestFirstClosingKeepsEntriesThroughCompactionAndGrowth) {
  OpenSnapshotTable t;
  t.Reset(1);
  std::vector<SnapshotId> open;
  RandomStream rng(7);
  for (SnapshotId id = 1; id <= 5000; ++id) {
    t.Append(0, id, id, std::vector<std::uint64_t>{id, 2 * id});
    open.push_back(id);
    const std::size_t keep = 1 + rng() % 12;  // the row breathes between 1 and 12 entries
    while (open.size() > keep) {
      const std::size_t k = open.size() > 2 && rng() % 4 == 0 ? 1 : 0;
      t.Erase(0, k);
      open.erase(open.begin() + static_cast<std::ptrdiff_t>(k));
    }
    ASSERT_EQ(t.Size(0), open.size()) << id;
    for (std::size_t k = 0; k < open.size(); ++k) {
      ASSERT_EQ(t.First(0, k), open[k]) << id;
      ASSERT_EQ(t.At(0, k, 0).Pre(), open[k]) << id;
      ASSERT_EQ(t.At(0, k, 1).Pre(), 2 * open[k]) << id;
      ASSERT_FALSE(t.At(0, k, 1).Reported()) << id;
    }
  }
}

TEST(OpenSnapshotTable, GivesBackMessagesOldestFirstAndReusesTheirNodes) {
  OpenSnapshotTable t;
  t.Reset(1);
  const std::vector<std::uint64_t> pre = {0};
  t.Append(0, 1, 1, pre);
  t.Append(0, 2, 2, pre);
  for (MessageId m : {11, 12, 13}) t.AddMessage(t.At(0, 0, 0), m, static_cast<std::int64_t>(m));
  t.AddMessage(t.At(0, 1, 0), 21, -5);
  EXPECT_EQ(t.At(0, 0, 0).Count(), 3u);
  std::vector<MessageId> out = {99};
  EXPECT_EQ(t.TakeMessages(t.At(0, 0, 0), out), 11 + 12 + 13);  // the values' sum
  EXPECT_EQ(out, (std::vector<MessageId>{11, 12, 13}));
  // The freed nodes serve the next messages; the other tally is untouched.
  for (MessageId m : {22, 23, 24}) t.AddMessage(t.At(0, 1, 0), m, 1);
  EXPECT_EQ(t.TakeMessages(t.At(0, 1, 0), out), -5 + 3);
  EXPECT_EQ(out, (std::vector<MessageId>{21, 22, 23, 24}));
  EXPECT_EQ(t.TakeMessages(t.At(0, 1, 0), out), 0);
  EXPECT_TRUE(out.empty());
}

constexpr ActorId kModelActors = 6;

// Random appends of one to four ids, splits, messages, reports, closes and
// erases over actors with 0-5 neighbours, mirrored in a map per actor; the
// two must agree throughout. `t` is Reset for kModelActors.
void AgreeWithAPlainModel(OpenSnapshotTable& t) {
  struct ModelTally {
    std::int64_t reported = kUnknown;
    std::uint64_t pre = 0;
    std::vector<MessageId> msgs;
    std::int64_t value = 0;  // the sum of msgs' values
  };
  struct ModelEntry {
    SnapshotId last = 0;
    std::vector<ModelTally> tallies;
  };
  constexpr ActorId kActors = kModelActors;
  RandomStream rng(12345);
  std::vector<std::map<SnapshotId, ModelEntry>> model(kActors);  // by first id
  std::vector<SnapshotId> next_id(kActors, 1);
  MessageId next_message = 1;
  int splits = 0, split_messages = 0;
  for (int step = 0; step < 40000; ++step) {
    const auto a = static_cast<ActorId>(rng() % kActors);
    const std::uint32_t peers = a % 6;  // actor a has a % 6 neighbours
    auto& entries = model[a];
    const std::uint64_t op = rng() % 5;
    if (op == 0 || entries.empty()) {
      if (peers == 0) continue;
      const SnapshotId first = next_id[a] + 1 + rng() % 3;
      next_id[a] = first + rng() % 4;
      std::vector<std::uint64_t> pre(peers);
      for (auto& p : pre) p = rng() % 5;
      t.Append(a, first, next_id[a], pre);
      auto& m = entries[first];
      m.last = next_id[a];
      for (std::uint64_t p : pre) m.tallies.push_back({kUnknown, p, {}, 0});
      continue;
    }
    auto k = static_cast<std::size_t>(rng() % entries.size());
    auto it = std::next(entries.begin(), static_cast<std::ptrdiff_t>(k));
    ASSERT_EQ(t.First(a, k), it->first);
    ASSERT_EQ(t.Last(a, k), it->second.last);
    ASSERT_EQ(t.LowerBound(a, it->first), k);
    ASSERT_EQ(t.UpperBound(a, it->second.last), k + 1);
    const SnapshotId query = rng() % (next_id[a] + 2);  // open or not
    std::size_t lower = 0, upper = 0;  // entries whose last id is < query, <= query
    for (const auto& [first, e] : entries) {
      lower += e.last < query;
      upper += e.last <= query;
    }
    ASSERT_EQ(t.LowerBound(a, query), lower);
    ASSERT_EQ(t.UpperBound(a, query), upper);
    if (op == 4) {
      if (it->second.last == it->first) continue;
      const SnapshotId after = it->first + rng() % (it->second.last - it->first);
      t.SplitAfter(a, k, after);
      ModelEntry copy = it->second;
      it->second.last = after;
      for (const ModelTally& mt : copy.tallies) split_messages += mt.msgs.empty() ? 0 : 1;
      entries.emplace(after + 1, std::move(copy));
      ++splits;
      ASSERT_EQ(t.Size(a), entries.size());
      // Both halves now answer for themselves: work on one of them.
      k += rng() % 2;
      it = std::next(entries.begin(), static_cast<std::ptrdiff_t>(k));
    }
    const auto local = static_cast<std::uint32_t>(rng() % peers);
    Tally& tally = t.At(a, k, local);
    ModelTally& mt = it->second.tallies[local];
    ASSERT_EQ(tally.Closed(), mt.reported == kClosed);
    ASSERT_EQ(tally.Reported(), mt.reported >= 0);
    if (mt.reported == kUnknown) {
      ASSERT_EQ(tally.Pre(), mt.pre);
    } else if (mt.reported >= 0) {
      ASSERT_EQ(tally.Due(), mt.reported - static_cast<std::int64_t>(mt.pre));
    }
    ASSERT_EQ(tally.Count(), mt.msgs.size());
    if (tally.Closed()) continue;
    if (op == 1 || op == 4) {
      const auto value = static_cast<std::int64_t>(rng() % 1000) - 500;
      t.AddMessage(tally, next_message, value);
      mt.msgs.push_back(next_message++);
      mt.value += value;
    } else if (op == 2 && !tally.Reported()) {
      // Sometimes one message is still to come.
      mt.reported = static_cast<std::int64_t>(mt.pre + mt.msgs.size() + rng() % 2);
      tally.Report(mt.reported);
    }
    if (op == 3 || tally.Complete()) {  // close it (a closing report or a forced close)
      ASSERT_EQ(tally.Complete(), mt.reported >= 0 && mt.reported == static_cast<std::int64_t>(
                                                                         mt.pre + mt.msgs.size()));
      std::vector<MessageId> out;
      ASSERT_EQ(t.TakeMessages(tally, out), mt.value);
      ASSERT_EQ(out, mt.msgs);
      mt.reported = kClosed;
      const bool last = std::all_of(it->second.tallies.begin(), it->second.tallies.end(),
                                    [](const ModelTally& x) { return x.reported == kClosed; });
      ASSERT_EQ(t.Close(a, k, local), last);
      if (last) {
        t.Erase(a, k);
        entries.erase(it);
      }
    }
    ASSERT_EQ(t.Size(a), entries.size());
  }
  std::uint64_t open = 0;
  for (const auto& m : model)
    for (const auto& [first, e] : m) open += e.last - first + 1;
  EXPECT_EQ(t.OpenCount(), open);
  EXPECT_GT(open, 0u);
  EXPECT_GT(splits, 1000);
  EXPECT_GT(split_messages, 100);  // copies of recorded messages were checked
}

TEST(OpenSnapshotTable, AgreesWithAPlainModel) {
  OpenSnapshotTable t;
  t.Reset(kModelActors);
  AgreeWithAPlainModel(t);
}

// LaiYangCore keeps the rows in its own per-actor records (64 bytes, the
// row among other fields): the table must use exactly the row it was given
// for each actor, leave the bytes around it alone, point the engine's
// prefetch at the records, and start afresh when the owner's records are
// replaced (the old rows gone before the next Reset).
TEST(OpenSnapshotTable, KeepsItsRowsInTheOwnersRecords) {
  struct alignas(OpenSnapshotTable::kRowStride) Record {
    std::uint64_t before = 0;
    OpenSnapshotTable::Row row;
    std::uint64_t after[4] = {};
  };
  static_assert(sizeof(Record) == OpenSnapshotTable::kRowStride);
  constexpr std::uint64_t kCanary = 0x5eed5eed5eed5eedull;
  OpenSnapshotTable t;
  for (int round = 0; round < 2; ++round) {  // the second as after a re-Init
    std::vector<Record> records(kModelActors);
    for (Record& r : records) {
      r.before = r.after[0] = r.after[3] = kCanary;
      std::memset(static_cast<void*>(&r.row), 0xab, sizeof r.row);  // Reset must clear the rows
    }
    t.Reset(records.size(), &records[0].row);
    for (ActorId a = 0; a < kModelActors; ++a) EXPECT_EQ(t.Size(a), 0u) << a;
    const StateArray target = t.PrefetchTarget();
    EXPECT_EQ(target.base, reinterpret_cast<const std::byte*>(&records[0].row));
    EXPECT_EQ(target.stride, sizeof(Record));
    AgreeWithAPlainModel(t);
    for (ActorId a = 0; a < kModelActors; ++a) {
      EXPECT_EQ(records[a].before, kCanary) << a;
      EXPECT_EQ(records[a].after[0], kCanary) << a;
      EXPECT_EQ(records[a].after[3], kCanary) << a;
      // The record's row holds the actor's entries: what the engine follows.
      const void* block = nullptr;
      std::memcpy(&block, target.base + a * target.stride + target.follow, sizeof block);
      if (t.Size(a) == 0) {
        EXPECT_EQ(block, nullptr) << a;
      } else {
        EXPECT_EQ(static_cast<const std::byte*>(block) + kCell,
                  reinterpret_cast<const std::byte*>(&t.At(a, 0, 0)))
            << a;
      }
    }
  }
}

}  // namespace
}  // namespace snapsim
