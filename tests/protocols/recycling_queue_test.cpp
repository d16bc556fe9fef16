// RecyclingQueue against std::deque under random pushes and pops, and the
// promise it exists for: popped elements keep their storage.
#include "protocols/recycling_queue.h"

#include <gtest/gtest.h>

#include <deque>
#include <vector>

#include "sim/rng.h"

namespace snapsim {
namespace {

TEST(RecyclingQueue, MatchesADequeUnderRandomPushesAndPops) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RandomStream rng(seed);
    RecyclingQueue<std::vector<int>> queue;
    std::deque<int> model;
    int next = 0;
    for (int step = 0; step < 2000; ++step) {
      // Phases that mostly push, then mostly pop, so the queue both grows and
      // drains (and rotates its live elements to the front).
      const bool growing = (step / 250) % 2 == 0;
      const bool push = model.empty() || rng.Below(10) < (growing ? 7u : 3u);
      if (push) {
        std::vector<int>& v = queue.push_back();
        v.assign(1 + static_cast<std::size_t>(next % 5), next);
        model.push_back(next++);
      } else {
        ASSERT_EQ(queue.front().front(), model.front()) << "seed " << seed << " step " << step;
        queue.pop_front();
        model.pop_front();
      }
      ASSERT_EQ(queue.size(), model.size());
      ASSERT_EQ(queue.empty(), model.empty());
      for (std::size_t i = 0; i < model.size(); ++i) {
        ASSERT_EQ(queue[i].size(), 1 + static_cast<std::size_t>(model[i] % 5));
        ASSERT_EQ(queue[i].front(), model[i]) << "seed " << seed << " step " << step;
      }
      if (!model.empty()) {
        ASSERT_EQ(queue.back().front(), model.back());
      }
    }
  }
}

TEST(RecyclingQueue, PoppedElementsKeepTheirStorage) {
  RecyclingQueue<std::vector<int>> queue;
  // A sliding window of 4 elements over 1000 pushes: the array never holds
  // more than the window and the slots a rotation leaves free.
  for (int i = 0; i < 1000; ++i) {
    std::vector<int>& v = queue.push_back();
    if (i >= 8) {
      EXPECT_GE(v.capacity(), 64u) << "push " << i << " got a slot without storage";
    }
    v.assign(64, i);
    if (queue.size() > 4) queue.pop_front();
  }
  EXPECT_LE(queue.slots(), 8u);
  EXPECT_EQ(queue.front().front(), 996);
  EXPECT_EQ(queue.back().front(), 999);
  // Emptied and refilled: the same slots, still with their buffers.
  queue.clear();
  for (int i = 0; i < 4; ++i) EXPECT_GE(queue.push_back().capacity(), 64u);
}

struct Slot {
  bool live = false;
  int value = 0;
};

TEST(IdWindow, FindsLiveIdsAndDropsRetiredOnesFromTheFront) {
  IdWindow<Slot, &Slot::live> window;
  for (std::uint64_t id = 5; id <= 8; ++id) window.Push(id) = {true, static_cast<int>(id)};
  EXPECT_EQ(window.First(), 5u);
  EXPECT_EQ(window.Size(), 4u);
  EXPECT_EQ(window.Find(4), nullptr);
  EXPECT_EQ(window.Find(9), nullptr);
  ASSERT_NE(window.Find(7), nullptr);
  EXPECT_EQ(window.Find(7)->value, 7);
  // Retired in the middle: not found, but kept until those before it go.
  window.Find(6)->live = false;
  EXPECT_EQ(window.Find(6), nullptr);
  window.DropRetired();
  EXPECT_EQ(window.First(), 5u);
  window.Find(5)->live = false;
  window.DropRetired();
  EXPECT_EQ(window.First(), 7u);
  EXPECT_EQ(window.Size(), 2u);
  EXPECT_EQ(window.Back().value, 8);
  // Emptied: First is the next id; a push after a gap starts there.
  window.Find(7)->live = false;
  window.Find(8)->live = false;
  window.DropRetired();
  EXPECT_EQ(window.Size(), 0u);
  EXPECT_EQ(window.First(), 9u);
  window.Push(20) = {true, 20};
  EXPECT_EQ(window.First(), 20u);
  EXPECT_EQ(window[0].value, 20);
}

}  // namespace
}  // namespace snapsim
