#include "sim/snapshot_log.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <random>
#include <span>
#include <vector>

namespace snapsim {
namespace {

// The tallied fields of a record, to compare a flushed log with a model.
struct Tallied {
  std::optional<SimTime> first_local, last_local;
  std::uint32_t processes_recorded = 0, channels_recorded = 0;
  std::int64_t state_sum = 0;
  bool operator==(const Tallied&) const = default;
};

Tallied Of(const SnapshotRecord& r) {
  return {r.first_local, r.last_local, r.processes_recorded, r.channels_recorded, r.state_sum};
}

// Local snapshots and channel states at random ids, dense from 1 and far
// beyond the index (sparse records), tallied through SnapshotLog::Tally and
// added to a model directly: after FlushTallies every record agrees.
TEST(SnapshotLog, FlushedTalliesEqualDirectUpdates) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    SnapshotLog log;
    std::map<SnapshotId, Tallied> model;
    std::size_t sparse = 0, ranges = 0;
    for (std::int64_t now = 0; now < 2000; ++now) {
      const SnapshotId id = rng() % 4 == 0 ? 1'000'000 + rng() % 50 : 1 + rng() % 200;
      log.Get(id);
      sparse += log.IndexedTally(id) == nullptr;
      Tallied& m = model[id];
      if (rng() % 2) {
        const std::int64_t state = static_cast<std::int64_t>(rng() % 100) - 50;
        log.Tally(id).AddLocal(SimTime(now), state);
        if (!m.first_local) m.first_local = SimTime(now);
        m.last_local = SimTime(now);
        ++m.processes_recorded;
        m.state_sum += state;
      } else {
        ++log.Tally(id).channels_recorded;
        ++m.channels_recorded;
      }
      // A run of ids, as the engine updates them: when all are indexed, in
      // adjacent tallies or (channel states) in the difference array, else
      // one by one.
      if (id < 200 && rng() % 3 == 0) {
        const SnapshotId last = id + rng() % 4;
        for (SnapshotId i = id; i <= last; ++i) log.Get(i);
        bool at_once = false;
        if (rng() % 2) {
          at_once = log.AddChannelStates(id, last);
        } else {
          const std::span<SnapshotTally> run = log.IndexedTallies(id, last);
          for (SnapshotTally& t : run) ++t.channels_recorded;
          at_once = !run.empty();
        }
        ranges += at_once;
        for (SnapshotId i = id; i <= last; ++i) {
          if (!at_once) ++log.Tally(i).channels_recorded;
          ++model[i].channels_recorded;
        }
      }
    }
    EXPECT_GT(ranges, 50u) << "seed " << seed << ": no run of ids was tallied at once";
    EXPECT_GT(sparse, 100u) << "seed " << seed << ": the sparse path was not exercised";
    const SnapshotLog copy = log;  // a copy comes flushed
    log.FlushTallies();
    ASSERT_EQ(log.All().size(), model.size());
    for (const auto& [id, r] : log.All()) {
      EXPECT_EQ(Of(r), model[id]) << "seed " << seed << " id " << id;
      EXPECT_EQ(Of(copy.All().at(id)), model[id]) << "copy, seed " << seed << " id " << id;
    }
    // Flushing again adds nothing.
    log.FlushTallies();
    for (const auto& [id, r] : log.All()) EXPECT_EQ(Of(r), model[id]) << "second flush";
  }
}

// A large id is not indexed when first seen, and becomes indexed by a later
// Get once the log has grown: its earlier tallies are sparse, its later ones
// dense, and the record's first and last times are still the earliest and
// the latest.
TEST(SnapshotLog, AnIdIndexedLateKeepsItsFirstAndLastTimes) {
  SnapshotLog log;
  log.Get(2000);
  ASSERT_EQ(log.IndexedTally(2000), nullptr);
  log.Tally(2000).AddLocal(SimTime(10), 1);
  for (SnapshotId id = 1; id <= 300; ++id) log.Get(id);
  log.Get(2000);
  ASSERT_NE(log.IndexedTally(2000), nullptr);
  log.Tally(2000).AddLocal(SimTime(20), 2);
  ++log.Tally(2000).channels_recorded;
  log.FlushTallies();
  const SnapshotRecord& r = log.All().at(2000);
  EXPECT_EQ(r.first_local, SimTime(10));
  EXPECT_EQ(r.last_local, SimTime(20));
  EXPECT_EQ(r.processes_recorded, 2u);
  EXPECT_EQ(r.channels_recorded, 1u);
  EXPECT_EQ(r.state_sum, 3);
}

// IndexedTallies hands out the adjacent tallies of a run of ids only when
// every id of it is indexed (ids 1..n without a gap), the same entries as
// IndexedTally; a gap, id 0 or an id past the gapless part gives none.
// AddChannelStates takes the same runs only, and its counts reach the
// records at the flush and in copies, once. A copy indexes its own records.
TEST(SnapshotLog, IndexedTalliesCoverOnlyGaplessIds) {
  SnapshotLog log;
  for (SnapshotId id = 1; id <= 10; ++id)
    if (id != 5) log.Get(id);
  const std::span<SnapshotTally> low = log.IndexedTallies(1, 4);
  ASSERT_EQ(low.size(), 4u);
  EXPECT_EQ(&low[0], log.IndexedTally(1));
  EXPECT_EQ(&low[3], log.IndexedTally(4));
  EXPECT_TRUE(log.IndexedTallies(3, 6).empty());  // 5 has no record
  EXPECT_TRUE(log.IndexedTallies(0, 2).empty());
  log.Get(5);
  const std::span<SnapshotTally> all = log.IndexedTallies(3, 10);
  ASSERT_EQ(all.size(), 8u);
  EXPECT_EQ(&all[7], log.IndexedTally(10));
  EXPECT_TRUE(log.IndexedTallies(1, 11).empty());
  EXPECT_TRUE(log.IndexedTallies(4, 3).empty());
  ++all[2].channels_recorded;                 // id 5
  EXPECT_FALSE(log.AddChannelStates(9, 11));  // 11 has no record: nothing added
  EXPECT_TRUE(log.AddChannelStates(4, 10));
  EXPECT_TRUE(log.AddChannelStates(10, 10));
  // Before the flush, a copy takes the runs too.
  const SnapshotLog unflushed_copy = log;
  log.FlushTallies();
  for (const SnapshotLog* l : std::initializer_list<const SnapshotLog*>{&log, &unflushed_copy}) {
    EXPECT_EQ(l->All().at(3).channels_recorded, 0u);
    EXPECT_EQ(l->All().at(4).channels_recorded, 1u);
    EXPECT_EQ(l->All().at(5).channels_recorded, 2u);
    EXPECT_EQ(l->All().at(9).channels_recorded, 1u);
    EXPECT_EQ(l->All().at(10).channels_recorded, 2u);
  }
  log.FlushTallies();  // the runs were cleared: nothing more
  EXPECT_EQ(log.All().at(10).channels_recorded, 2u);
  SnapshotLog copy = log;
  EXPECT_EQ(copy.All().at(5).channels_recorded, 2u);
  EXPECT_EQ(copy.IndexedTallies(1, 10).size(), 10u);
  EXPECT_TRUE(copy.AddChannelStates(1, 10));
  copy.FlushTallies();
  EXPECT_EQ(copy.All().at(1).channels_recorded, 1u);
  EXPECT_EQ(copy.All().at(10).channels_recorded, 3u);
}

// Flushes between updates: each adds to what the records hold, the first
// local time stays the first, and an unflushed copy comes flushed.
TEST(SnapshotLog, FlushesAddUp) {
  SnapshotLog log;
  log.Get(1);
  log.Tally(1).AddLocal(SimTime(5), 7);
  log.FlushTallies();
  log.Tally(1).AddLocal(SimTime(9), -2);
  ++log.Tally(1).channels_recorded;
  const SnapshotLog copy = log;
  log.FlushTallies();
  for (const SnapshotLog* l : std::initializer_list<const SnapshotLog*>{&log, &copy}) {
    const SnapshotRecord& r = l->All().at(1);
    EXPECT_EQ(r.first_local, SimTime(5));
    EXPECT_EQ(r.last_local, SimTime(9));
    EXPECT_EQ(r.processes_recorded, 2u);
    EXPECT_EQ(r.channels_recorded, 1u);
    EXPECT_EQ(r.state_sum, 5);
  }
}

}  // namespace
}  // namespace snapsim
