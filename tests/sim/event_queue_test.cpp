#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "sim/radix_event_queue.h"
#include "sim/rng.h"

namespace snapsim {
namespace {

// Both pending-event sets: the engine's radix heap and the 4-ary heap.
template <typename Q>
class PendingEventSet : public ::testing::Test {};
using PendingEventSets = ::testing::Types<RadixEventQueue, EventQueue>;
TYPED_TEST_SUITE(PendingEventSet, PendingEventSets);

TYPED_TEST(PendingEventSet, PopsInTimeThenInsertionOrder) {
  TypeParam q;
  RandomStream rng(7);
  std::vector<Event> pushed;
  for (std::uint64_t seq = 0; seq < 20000; ++seq) {
    Event e;
    e.time = SimTime(static_cast<std::int64_t>(rng.Below(500)));  // many ties
    e.seq = seq;
    e.a = static_cast<std::uint32_t>(seq);
    q.Push(e);
    pushed.push_back(e);
  }
  std::stable_sort(pushed.begin(), pushed.end(),
                   [](const Event& x, const Event& y) { return x.time < y.time; });
  for (const Event& expected : pushed) {
    ASSERT_FALSE(q.Empty());
    ASSERT_EQ(q.Top().seq, expected.seq);
    const Event got = q.Pop();
    ASSERT_EQ(got.time, expected.time);
    ASSERT_EQ(got.seq, expected.seq);
  }
  EXPECT_TRUE(q.Empty());
}

TEST(EventQueue, InterleavedHoldKeepsOrder) {
  // Hold model: pop one, push one later; the popped sequence must be sorted.
  EventQueue q;
  RandomStream rng(11);
  std::uint64_t seq = 0;
  for (int i = 0; i < 1000; ++i) q.Push({SimTime(rng.Below(1000)), seq++});
  SimTime last(0);
  std::uint64_t last_seq = 0;
  for (int i = 0; i < 50000; ++i) {
    Event e = q.Pop();
    ASSERT_TRUE(e.time > last || (e.time == last && e.seq > last_seq) || i == 0);
    last = e.time;
    last_seq = e.seq;
    q.Push({e.time + Duration(static_cast<std::int64_t>(rng.Below(100))), seq++});
  }
}

// Ahead(d) shows the events that will pop after the next one, when they are
// already sorted out (same time as the last pop), and nothing else.
TEST(RadixEventQueue, AheadShowsTheEventsThatPopNext) {
  RadixEventQueue q;
  std::uint64_t seq = 0;
  for (std::uint32_t i = 0; i < 5; ++i) q.Push(Event{SimTime(10), seq++, i});
  q.Push(Event{SimTime(20), seq++, 99});
  EXPECT_EQ(q.Ahead(0), nullptr);  // nothing sorted out before the first pop
  EXPECT_EQ(q.Pop().a, 0u);
  ASSERT_NE(q.Ahead(0), nullptr);
  EXPECT_EQ(q.Ahead(0)->a, 1u);
  ASSERT_NE(q.Ahead(3), nullptr);
  EXPECT_EQ(q.Ahead(3)->a, 4u);
  EXPECT_EQ(q.Ahead(4), nullptr);  // the event at time 20 is not in bucket 0
  for (std::uint32_t i = 1; i < 5; ++i) {
    const Event* next = q.Ahead(0);
    ASSERT_NE(next, nullptr);
    const std::uint32_t expected = next->a;  // Pop may invalidate `next`
    EXPECT_EQ(q.Pop().a, expected);
  }
  EXPECT_EQ(q.Pop().a, 99u);
  EXPECT_EQ(q.Ahead(0), nullptr);
}

// The engine's use: pushes at or after the last popped time (zero delays,
// ties, short and very long delays, bursts), interleaved with pops. The
// radix queue must pop exactly the 4-ary heap's sequence.
TEST(RadixEventQueue, MonotoneWorkloadPopsLikeTheHeap) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    RadixEventQueue radix;
    EventQueue heap;
    RandomStream rng(seed);
    std::uint64_t seq = 0;
    SimTime now(0);
    auto push = [&] {
      std::int64_t delay = 0;
      switch (rng.Below(4)) {
        case 0:
          delay = 0;
          break;
        case 1:
          delay = static_cast<std::int64_t>(rng.Below(8));
          break;
        case 2:
          delay = static_cast<std::int64_t>(rng.Below(100000));
          break;
        default:
          delay = static_cast<std::int64_t>(rng.Below(1ULL << 40));
          break;
      }
      const Event e{now + Duration(delay), seq++, static_cast<std::uint32_t>(seq)};
      radix.Push(e);
      heap.Push(e);
    };
    for (int i = 0; i < 200; ++i) push();
    for (int step = 0; step < 20000 && !heap.Empty(); ++step) {
      const int pushes = static_cast<int>(rng.Below(3));  // 0, 1 or 2: the size drifts
      ASSERT_EQ(radix.Size(), heap.Size());
      const Event a = radix.Pop(), b = heap.Pop();
      ASSERT_EQ(a.time, b.time) << "seed " << seed << " step " << step;
      ASSERT_EQ(a.seq, b.seq) << "seed " << seed << " step " << step;
      now = a.time;
      for (int k = 0; k < pushes; ++k) push();
    }
  }
}

}  // namespace
}  // namespace snapsim
