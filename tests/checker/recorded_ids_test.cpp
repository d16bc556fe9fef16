// RecordedIds against a plain set of (channel, id): random runs in and out
// of id order, with gaps and repeats, on a few channels.
#include "checker/recorded_ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <set>
#include <vector>

namespace snapsim::checker {
namespace {

TEST(CheckerRecordedIds, AgreesWithASetOnRandomRuns) {
  constexpr std::uint32_t kChannels = 4;
  // How often each case came up: a repeat; a run just after the latest
  // interval; ahead of it within the window; beyond the window; below it.
  std::size_t repeats = 0, in_order = 0, ahead = 0, beyond = 0, below = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    std::mt19937_64 rng(seed);
    RecordedIds ids;
    std::vector<RecordedIds::Latest> latest(kChannels);
    std::set<std::pair<std::uint32_t, SnapshotId>> model;
    SnapshotId max_id = 0;
    for (int step = 0; step < 300; ++step) {
      const auto c = static_cast<std::uint32_t>(rng() % kChannels);
      const SnapshotId hi = latest[c].hi;
      SnapshotId first;
      switch (rng() % 4) {
        case 0:  // in order, or past a small gap
          first = hi + 1 + rng() % 3;
          break;
        case 1:  // past a gap as wide as the window, or wider
          first = hi + 1 + rng() % 80;
          break;
        default:  // anywhere seen so far
          first = 1 + rng() % (max_id + 5);
      }
      const SnapshotId last = first + (rng() % 8 == 0 ? rng() % 80 : rng() % 4);
      max_id = std::max(max_id, last);
      // The model: ids added in order up to the first present.
      SnapshotId want = 0;
      for (SnapshotId id = first; id <= last; ++id) {
        if (model.contains({c, id})) {
          want = id;
          break;
        }
      }
      repeats += want != 0;
      if (hi != 0) {
        in_order += first == hi + 1;
        ahead += first > hi + 1 && last <= hi + 64;
        beyond += last > hi + 64;
        below += first < hi;
      }
      const SnapshotId got = ids.Add(c, latest[c], first, last);
      ASSERT_EQ(got, want) << "seed " << seed << " step " << step;
      for (SnapshotId id = first; id <= (want ? want - 1 : last); ++id) model.insert({c, id});
      // Around the run at every step, every id now and then.
      const bool all = step % 16 == 0 || step == 299;
      for (SnapshotId id = all || first <= 70 ? 1 : first - 70; id <= (all ? max_id : last) + 70;
           ++id) {
        ASSERT_EQ(ids.Contains(c, latest[c], id), model.contains({c, id}))
            << "seed " << seed << " step " << step << " id " << id;
      }
    }
    // Each model id lies in exactly one interval: the intervals' sizes add
    // up to the model's, and Contains above found every id.
    std::size_t total = 0;
    ids.ForEachInterval(
        kChannels, [&](std::uint32_t c) -> const auto& { return latest[c]; },
        [&](SnapshotId lo, SnapshotId h) {
          ASSERT_LE(lo, h);
          total += h - lo + 1;
        });
    EXPECT_EQ(total, model.size()) << "seed " << seed;
  }
  for (std::size_t n : {repeats, in_order, ahead, beyond, below}) EXPECT_GT(n, 500u);
}

// A channel's intervals merge when a run fills the gap between them, so a
// channel recorded out of order ends as one interval.
TEST(CheckerRecordedIds, FillingGapsMergesIntervals) {
  RecordedIds ids;
  RecordedIds::Latest hi;
  for (SnapshotId id : {9, 1, 5, 3, 7}) EXPECT_EQ(ids.Add(0, hi, id, id), 0u);
  for (SnapshotId id : {8, 2, 6, 4}) EXPECT_EQ(ids.Add(0, hi, id, id), 0u);
  std::vector<std::pair<SnapshotId, SnapshotId>> intervals;
  ids.ForEachInterval(
      1, [&](std::uint32_t) -> const auto& { return hi; },
      [&](SnapshotId lo, SnapshotId h) { intervals.emplace_back(lo, h); });
  EXPECT_EQ(intervals, (std::vector<std::pair<SnapshotId, SnapshotId>>{{1, 9}}));
  EXPECT_EQ(ids.Add(0, hi, 10, 12), 0u);
  EXPECT_EQ(ids.Add(0, hi, 14, 15), 0u);
  EXPECT_EQ(ids.Add(0, hi, 13, 20), 14u);  // 13 added, 14 present
  EXPECT_TRUE(ids.Contains(0, hi, 13));
  EXPECT_FALSE(ids.Contains(0, hi, 16));
  EXPECT_FALSE(ids.Contains(0, hi, 0));
}

// Ids at the top of their range: the window and the intervals end at the
// largest id without wrapping.
TEST(CheckerRecordedIds, IdsAtTheTopOfTheRange) {
  constexpr SnapshotId kMax = std::numeric_limits<SnapshotId>::max();
  RecordedIds ids;
  RecordedIds::Latest latest;
  EXPECT_EQ(ids.Add(0, latest, kMax - 10, kMax - 9), 0u);
  EXPECT_EQ(ids.Add(0, latest, kMax - 5, kMax), 0u);      // ahead of a gap: the window
  EXPECT_EQ(ids.Add(0, latest, kMax - 8, kMax - 6), 0u);  // the gap fills
  EXPECT_EQ(latest.hi, kMax);
  EXPECT_EQ(latest.above, 0u);
  EXPECT_EQ(ids.Add(0, latest, kMax, kMax), kMax);
  EXPECT_EQ(ids.Add(0, latest, kMax - 20, kMax), kMax - 10);  // ids below lo, then present
  EXPECT_TRUE(ids.Contains(0, latest, kMax - 20));
  EXPECT_TRUE(ids.Contains(0, latest, kMax));
  std::vector<std::pair<SnapshotId, SnapshotId>> intervals;
  ids.ForEachInterval(
      1, [&](std::uint32_t) -> const auto& { return latest; },
      [&](SnapshotId lo, SnapshotId h) { intervals.emplace_back(lo, h); });
  EXPECT_EQ(intervals, (std::vector<std::pair<SnapshotId, SnapshotId>>{{kMax - 20, kMax}}));
}

}  // namespace
}  // namespace snapsim::checker
