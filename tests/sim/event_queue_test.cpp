#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <tuple>
#include <utility>
#include <vector>

#include "bench/engine/ladder_queue.h"
#include "sim/radix_event_queue.h"
#include "sim/rng.h"
#include "sim/window_event_queue.h"
#include "tests/support/queue_beside_heap.h"

namespace snapsim {
namespace {

// The pending-event sets: the engine's radix heap, the 4-ary heap, and the
// two ladder queues the hold-model benchmark compares them with.
template <typename Q>
class PendingEventSet : public ::testing::Test {};
using PendingEventSets =
    ::testing::Types<RadixEventQueue, WindowEventQueue, EventQueue, LadderQueue, ArrayLadderQueue>;
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

// Ahead(d) shows the event that pops d places after the next one while the
// sorted run holds it, then events of the next few buckets (later times, at
// most 255 ns after the run's last event), and nothing further.
TEST(RadixEventQueue, AheadShowsTheEventsThatPopNext) {
  RadixEventQueue q;
  std::uint64_t seq = 0;
  q.Push(Event{SimTime(0), seq++, 500});
  for (std::uint32_t i = 0; i < 5; ++i) q.Push(Event{SimTime(10), seq++, i});
  q.Push(Event{SimTime(20), seq++, 99});
  EXPECT_EQ(q.Pop().a, 500u);      // the run is used up: the others are in buckets 4 and 5
  ASSERT_NE(q.Ahead(0), nullptr);  // not sorted yet: bucket 4 in push order
  EXPECT_EQ(q.Ahead(0)->time, SimTime(10));
  ASSERT_NE(q.Ahead(5), nullptr);
  EXPECT_EQ(q.Ahead(5)->a, 99u);
  EXPECT_EQ(q.Pop().a, 0u);                   // refilled: all six in one sorted run
  q.Push(Event{SimTime(2000), seq++, 2000});  // 1,990 ns after the run's end: beyond Ahead
  q.Push(Event{SimTime(300), seq++, 300});    // 280 ns after it: beyond Ahead too
  q.Push(Event{SimTime(100), seq++, 100});    // bucket 7 of 20: shown after the run
  for (std::uint32_t d = 0; d < 4; ++d) {
    ASSERT_NE(q.Ahead(d), nullptr);
    EXPECT_EQ(q.Ahead(d)->a, d + 1);
  }
  ASSERT_NE(q.Ahead(4), nullptr);
  EXPECT_EQ(q.Ahead(4)->a, 99u);
  ASSERT_NE(q.Ahead(5), nullptr);
  EXPECT_EQ(q.Ahead(5)->a, 100u);
  EXPECT_EQ(q.Ahead(6), nullptr);
  for (const std::uint32_t expected : {1u, 2u, 3u, 4u, 99u, 100u, 300u, 2000u})
    EXPECT_EQ(q.Pop().a, expected);
  EXPECT_TRUE(q.Empty());
  EXPECT_EQ(q.Ahead(0), nullptr);
}

// The look-ahead the engine relies on: in a hold model whose events rarely
// share a nanosecond (so a plain radix heap's current instant holds one
// event and Ahead reads unsorted buckets), nearly every event Ahead(4) shows
// right after a pop is the one that pops five places later.
TEST(RadixEventQueue, AheadIsExactWhereTheEventsHaveDistinctTimes) {
  RadixEventQueue q;
  RandomStream rng(21);
  std::uint64_t seq = 0;
  for (int i = 0; i < 2000; ++i)
    q.Push({SimTime(static_cast<std::int64_t>(rng.Below(1000000))), seq++});
  constexpr int kSteps = 50000;
  std::vector<std::uint64_t> shown(kSteps, ~std::uint64_t{0}), popped(kSteps);
  for (int step = 0; step < kSteps; ++step) {
    const Event e = q.Pop();
    popped[step] = e.seq;
    if (const Event* ahead = q.Ahead(4)) shown[step] = ahead->seq;
    // Pushed at least 5 us later: hardly ever inside the run.
    q.Push({e.time + Duration(5000 + static_cast<std::int64_t>(rng.Below(1000000))), seq++});
  }
  int exact = 0;
  for (int step = 0; step + 5 < kSteps; ++step) exact += shown[step] == popped[step + 5];
  EXPECT_GT(exact, kSteps * 8 / 10);  // 88 % here (a run ends every 64 events)
}

// A push at or before the run's last time goes into the run, after every
// event at or before its own time (ties pop in push order).
TEST(RadixEventQueue, PushesIntoTheRunKeepTheOrder) {
  RadixEventQueue q;
  std::uint64_t seq = 0;
  q.Push({SimTime(0), seq++, 0});
  for (std::uint32_t t = 10; t <= 100; t += 10) q.Push({SimTime(t), seq++, t});
  EXPECT_EQ(q.Pop().a, 0u);
  EXPECT_EQ(q.Top().a, 10u);  // the run now holds 10..100
  q.Push({SimTime(50), seq++, 51});
  q.Push({SimTime(10), seq++, 11});
  q.Push({SimTime(100), seq++, 101});
  q.Push({SimTime(5), seq++, 5});
  for (const std::uint32_t expected :
       {5u, 10u, 11u, 20u, 30u, 40u, 50u, 51u, 60u, 70u, 80u, 90u, 100u, 101u})
    EXPECT_EQ(q.Pop().a, expected);
  EXPECT_TRUE(q.Empty());
}

using RadixBesideHeap = QueueBesideHeap<RadixEventQueue>;

// Runs whose times span 2^56 ns or more (a sort key of time offset and
// position would overflow: 2^56 + 1 ns after the least would sort between
// it and 5 ns after it) are sorted by a 128-bit (time, seq) compare
// instead; a run of one time longer than kSortedRun (from a spread) is not
// sorted at all (it is already in seq order).
TEST(RadixEventQueue, RunsOfFarApartTimesAndOfOneTime) {
  RadixBesideHeap both;
  const auto push = [&](std::int64_t t) { both.Push(t); };
  push(0);
  for (int i = 0; i < 5; ++i) push((std::int64_t{1} << 56) + 2);
  push(5);
  push(1);
  push((std::int64_t{1} << 56) - 1);
  for (int i = 0; i < 200; ++i) push((std::int64_t{1} << 57) + 7);  // one time, spread
  push((std::int64_t{1} << 57) + 9);
  both.ExpectTheSamePops();
}

// A full run spanning fewer than kCountingSpan ns is counting-sorted, a
// longer one sorted by keys: runs of 64 events just inside and just outside
// that span, with many ties (eight distinct times), pop like the heap, ties
// in push order.
TEST(RadixEventQueue, RunsAroundTheCountingSpanKeepTiesInPushOrder) {
  constexpr auto kSpan = static_cast<std::int64_t>(RadixEventQueue::kCountingSpan);
  for (const std::int64_t span : {kSpan - 2, kSpan - 1, kSpan, kSpan + 1}) {
    RadixBesideHeap both;
    both.Push(0);
    ASSERT_EQ(both.q.Pop().seq, both.heap.Pop().seq);
    RandomStream rng(static_cast<std::uint64_t>(span));
    both.Push(1 + span);  // the run spans [1, 1 + span]
    for (int i = 0; i < 62; ++i) both.Push(1 + static_cast<std::int64_t>(rng.Below(8)) * span / 7);
    both.Push(1);
    ASSERT_EQ(both.q.Size(), RadixEventQueue::kSortedRun);  // one full run
    both.ExpectTheSamePops();
  }
}

// On a random monotone workload, whatever Ahead(d) shows is pending, not
// before the next event, and, when it happens at the same time as the next
// event, exactly the one that pops d places after it. Some events must be
// shown from past the next event's time, or the look-ahead would be no
// better than one nanosecond's events alone.
TEST(RadixEventQueue, AheadShowsOnlyPendingEvents) {
  RadixEventQueue q;
  RandomStream rng(11);
  std::uint64_t seq = 0;
  for (int i = 0; i < 200; ++i) q.Push({SimTime(static_cast<std::int64_t>(rng.Below(300))), seq++});
  std::vector<Event> popped;
  struct Shown {
    std::size_t pop_index;  // events popped when it was shown
    std::size_t d;
    Event event;
    bool same_instant;  // at the time of the next event when shown
  };
  std::vector<Shown> shown;
  for (int step = 0; step < 20000 && !q.Empty(); ++step) {
    const std::size_t d = rng.Below(6);
    const SimTime next_time = q.Top().time;
    if (const Event* ahead = q.Ahead(d)) {
      EXPECT_GE(ahead->time, next_time);
      shown.push_back({popped.size(), d, *ahead, ahead->time == next_time});
    }
    const Event e = q.Pop();
    popped.push_back(e);
    if (step < 15000)
      for (std::uint64_t k = rng.Below(3); k > 0; --k)
        q.Push({e.time + Duration(static_cast<std::int64_t>(rng.Below(400))), seq++});
  }
  while (!q.Empty()) popped.push_back(q.Pop());
  ASSERT_FALSE(shown.empty());
  std::size_t exact = 0;
  for (const Shown& s : shown) {
    // Pending when shown: popped at or after the next pop.
    const auto it =
        std::find_if(popped.begin() + static_cast<std::ptrdiff_t>(s.pop_index), popped.end(),
                     [&](const Event& e) { return e.seq == s.event.seq; });
    ASSERT_NE(it, popped.end());
    if (s.same_instant) {
      EXPECT_EQ(it - popped.begin(), static_cast<std::ptrdiff_t>(s.pop_index + s.d));
      ++exact;
    }
  }
  EXPECT_GT(exact, 0u);
  EXPECT_GT(shown.size() - exact, 0u);
}

// The engine's order: Pop, then Ahead before the popped event is handled
// (no Top in between). What it shows is pending, not before the popped
// event, and some of it lies past the popped event's instant.
TEST(RadixEventQueue, AheadAfterPopShowsPendingEvents) {
  RadixEventQueue q;
  RandomStream rng(12);
  std::uint64_t seq = 0;
  for (int i = 0; i < 200; ++i) q.Push({SimTime(static_cast<std::int64_t>(rng.Below(300))), seq++});
  std::vector<Event> popped;
  std::vector<std::pair<std::size_t, Event>> shown;  // (events popped when shown, event)
  std::size_t later_instant = 0;
  for (int step = 0; step < 20000 && !q.Empty(); ++step) {
    const Event e = q.Pop();
    popped.push_back(e);
    if (const Event* ahead = q.Ahead(4)) {
      EXPECT_GE(ahead->time, e.time);
      if (ahead->time > e.time) ++later_instant;
      shown.emplace_back(popped.size(), *ahead);
    }
    if (step < 15000)
      for (std::uint64_t k = rng.Below(3); k > 0; --k)
        q.Push({e.time + Duration(static_cast<std::int64_t>(rng.Below(400))), seq++});
  }
  while (!q.Empty()) popped.push_back(q.Pop());
  ASSERT_FALSE(shown.empty());
  EXPECT_GT(later_instant, 0u);
  for (const auto& [pop_index, event] : shown) {
    const auto it = std::find_if(popped.begin() + static_cast<std::ptrdiff_t>(pop_index),
                                 popped.end(), [&](const Event& p) { return p.seq == event.seq; });
    EXPECT_NE(it, popped.end()) << "shown event " << event.seq << " was not pending";
  }
}

// A push delay for the interleaved workloads below: zero (a tie), a few ns,
// up to 100 us, or up to 2^40 ns; with `earlier`, also up to 1 us before the
// last pop.
std::int64_t InterleavedDelay(RandomStream& rng, bool earlier) {
  switch (rng.Below(earlier ? 5 : 4)) {
    case 0:
      return 0;
    case 1:
      return static_cast<std::int64_t>(rng.Below(8));
    case 2:
      return static_cast<std::int64_t>(rng.Below(100000));
    case 3:
      if (earlier) return -static_cast<std::int64_t>(rng.Below(1000));
      [[fallthrough]];
    default:
      return static_cast<std::int64_t>(rng.Below(1ULL << 40));
  }
}

// Runs `seeds` random workloads of pushes (InterleavedDelay after the last
// popped time, `earlier` allowing times before it) interleaved with pops, on
// Q and on the 4-ary heap side by side: `initial` pushes, then up to `steps`
// pops, each followed by 0, 1 or 2 pushes (the size drifts). Q must show and
// pop exactly the heap's sequence.
template <typename Q>
void ExpectPopsLikeTheHeap(bool earlier, int initial, int steps) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Q q;
    EventQueue heap;
    RandomStream rng(seed);
    std::uint64_t seq = 0;
    SimTime now(0);
    auto push = [&] {
      const Event e{now + Duration(InterleavedDelay(rng, earlier)), seq++,
                    static_cast<std::uint32_t>(seq)};
      q.Push(e);
      heap.Push(e);
    };
    for (int i = 0; i < initial; ++i) push();
    for (int step = 0; step < steps && !heap.Empty(); ++step) {
      const int pushes = static_cast<int>(rng.Below(3));
      ASSERT_EQ(q.Size(), heap.Size());
      ASSERT_EQ(q.Top().seq, heap.Top().seq) << "seed " << seed << " step " << step;
      const Event a = q.Pop(), b = heap.Pop();
      ASSERT_EQ(a.time, b.time) << "seed " << seed << " step " << step;
      ASSERT_EQ(a.seq, b.seq) << "seed " << seed << " step " << step;
      now = a.time;
      for (int k = 0; k < pushes; ++k) push();
    }
  }
}

// The engine's use: pushes at or after the last popped time (zero delays,
// ties, short and very long delays, bursts), interleaved with pops. The
// radix queue must pop exactly the 4-ary heap's sequence.
TEST(RadixEventQueue, MonotoneWorkloadPopsLikeTheHeap) {
  ExpectPopsLikeTheHeap<RadixEventQueue>(/*earlier=*/false, /*initial=*/200, /*steps=*/20000);
}

// The same with 20,000 events pending, spread over up to 2^40 ns: buckets
// are spread, runs span long times, and many pushes land before a run's
// last event (the heap beside the run).
TEST(RadixEventQueue, ManyPendingPopLikeTheHeap) {
  ExpectPopsLikeTheHeap<RadixEventQueue>(/*earlier=*/false, /*initial=*/20000, /*steps=*/30000);
}

TEST(WindowEventQueue, MonotoneWorkloadPopsLikeTheHeap) {
  ExpectPopsLikeTheHeap<WindowEventQueue>(/*earlier=*/false, /*initial=*/200, /*steps=*/20000);
}

TEST(WindowEventQueue, ManyPendingPopLikeTheHeap) {
  ExpectPopsLikeTheHeap<WindowEventQueue>(/*earlier=*/false, /*initial=*/20000, /*steps=*/30000);
}

// One event schedules many events inside a run that spans a long time (the
// run holds 1,000..64,000 ns), each earlier than the one before: they pop in
// order, interleaved with the run's own events. (Inserting each into the run
// would move all the run behind it: quadratic in the burst.)
TEST(RadixEventQueue, ABurstOfPushesIntoAWideRun) {
  RadixBesideHeap both;
  const auto push = [&](std::int64_t t) { both.Push(t); };
  push(0);
  for (std::int64_t t = 1000; t <= 64000; t += 1000) push(t);
  ASSERT_EQ(both.q.Pop().seq, both.heap.Pop().seq);
  ASSERT_EQ(both.q.Top().time, SimTime(1000));  // the run now holds the 64 events
  for (std::int64_t t = 63999; t >= 1000; --t) push(t);
  push(64000);  // a tie with the run's last event goes after it
  push(1000);
  both.ExpectTheSamePops();
}

// Ahead(d) past the sorted run indexes a bucket's events in push order,
// across its segments: here bucket 1 (time 1, after a pop at time 0) holds
// more events than one segment.
TEST(RadixEventQueue, AheadReadsPastTheFirstSegmentOfABucket) {
  RadixEventQueue q;
  std::uint64_t seq = 0;
  q.Push({SimTime(0), seq++, 999999});
  const std::uint32_t n = RadixEventQueue::kEventsPerSegment + 10;
  for (std::uint32_t i = 0; i < n; ++i) q.Push({SimTime(1), seq++, i});
  EXPECT_EQ(q.Pop().a, 999999u);  // the run is now used up
  for (const std::uint32_t d :
       {0u, 5u, n - 12, n - 11, n - 10, n - 1}) {  // both sides of the segment boundary
    const Event* ahead = q.Ahead(d);
    ASSERT_NE(ahead, nullptr) << d;
    EXPECT_EQ(ahead->a, d);
  }
  EXPECT_EQ(q.Ahead(n), nullptr);
}

// A bucket of exactly one full segment (its tail full): Ahead sees all of it
// and then the next bucket, and a refill spreads all of it (the events at
// one time, longer than a run, then pop in push order).
TEST(RadixEventQueue, ABucketOfExactlyOneFullSegment) {
  RadixEventQueue q;
  std::uint64_t seq = 0;
  q.Push({SimTime(0), seq++, 999999});
  const std::uint32_t n = RadixEventQueue::kEventsPerSegment;
  for (std::uint32_t i = 0; i < n; ++i) q.Push({SimTime(1), seq++, i});  // bucket 1
  q.Push({SimTime(2), seq++, 777777});                                   // bucket 2
  EXPECT_EQ(q.Pop().a, 999999u);
  ASSERT_NE(q.Ahead(n - 1), nullptr);
  EXPECT_EQ(q.Ahead(n - 1)->a, n - 1);
  ASSERT_NE(q.Ahead(n), nullptr);
  EXPECT_EQ(q.Ahead(n)->a, 777777u);
  EXPECT_EQ(q.Ahead(n + 1), nullptr);
  for (std::uint32_t i = 0; i < n; ++i) ASSERT_EQ(q.Pop().a, i);
  EXPECT_EQ(q.Pop().a, 777777u);
  EXPECT_TRUE(q.Empty());
}

// A large bucket none of whose events lies at the start of its range: a
// refill spreads it, finds the run empty, and spreads the lowest bucket
// again until one fits in a run. Times cluster far from the range start
// (2^30 + 12,345 ns and up, 300 distinct times, ties in push order).
TEST(RadixEventQueue, RepeatedSpreadsUntilARunFits) {
  RadixEventQueue q;
  EventQueue heap;
  std::uint64_t seq = 0;
  const auto push = [&](std::int64_t t) {
    const Event e{SimTime(t), seq++, static_cast<std::uint32_t>(seq)};
    q.Push(e);
    heap.Push(e);
  };
  push(0);
  for (std::int64_t i = 0; i < 5000; ++i) push((std::int64_t{1} << 30) + 12345 + (i * 7919) % 300);
  while (!heap.Empty()) {
    const Event a = q.Pop(), b = heap.Pop();
    ASSERT_EQ(a.seq, b.seq);
    ASSERT_EQ(a.time, b.time);
    if (a.seq % 500 == 0) push(a.time.ns() + 1 + static_cast<std::int64_t>(a.seq % 4096));
  }
  EXPECT_TRUE(q.Empty());
}

// The radix queue's segment pool grows with the events pending, not with
// every bucket's peak: in a hold model whose pending events cross many
// power-of-two boundaries (at each, one high bucket holds nearly all), the
// pool never carves more than one segment per kEventsPerSegment pending
// events, plus a partly filled one per bucket and the one being spread by a
// refill.
TEST(RadixEventQueue, SegmentPoolFollowsThePendingEvents) {
  constexpr std::size_t kPending = 200000;
  RadixEventQueue q;
  RandomStream rng(5);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < kPending; ++i)
    q.Push({SimTime(static_cast<std::int64_t>(rng.Below(2000))), seq++});
  for (std::size_t i = 0; i < 20 * kPending; ++i) {  // time advances about 40 us
    const Event e = q.Pop();
    q.Push({e.time + Duration(static_cast<std::int64_t>(rng.Below(4000))), seq++});
  }
  const std::size_t bound = kPending / RadixEventQueue::kEventsPerSegment + 1 + 64 + 1;
  EXPECT_LE(q.SegmentsCarved(), bound);
  EXPECT_GE(q.SegmentsCarved(), kPending / RadixEventQueue::kEventsPerSegment - 1);
}

// Two radix queues sharing a segment pool, one emptied into the other (as
// WindowEventQueue does with its queue of far events at a change of width):
// the second takes the segments the first releases, so the pool ends near
// one queue's peak, not two (with a pool each, the second would carve about
// as many again), and the events come out in order.
TEST(RadixEventQueue, QueuesSharingAPoolReuseEachOthersSegments) {
  constexpr std::size_t kPending = 1'000'000;
  RadixEventQueue::SegmentPool pool;
  auto first = std::make_unique<RadixEventQueue>(pool);
  RandomStream rng(6);
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < kPending; ++i)
    first->Push({SimTime(static_cast<std::int64_t>(rng.Below(1'000'000))), seq++});
  const std::size_t carved = pool.Carved();
  ASSERT_GE(carved, kPending / RadixEventQueue::kEventsPerSegment);
  RadixEventQueue second(pool);
  while (!first->Empty()) {
    Event e = first->Pop();
    e.seq = seq++;  // popped in (time, seq) order: the new seqs rise
    second.Push(e);
  }
  first.reset();
  // The second took what the first released (a queue with a pool of its own
  // would leave all of them free here and carve about `carved` again)...
  EXPECT_LE(pool.FreeCount(RadixEventQueue::SegmentPool::ClassOf(1)), 2 * 64 + 1);
  // ...and needed few new ones: both queues' partly filled tails (64 buckets
  // each) and the segment a spread is emptying.
  EXPECT_LE(pool.Carved(), carved + 2 * 64 + 1);
  SimTime last(0);
  for (std::size_t i = 0; i < kPending; ++i) {
    const Event e = second.Pop();
    ASSERT_GE(e.time, last);
    last = e.time;
  }
  EXPECT_TRUE(second.Empty());
}

// The ladder queues (benchmark only) pop exactly the 4-ary heap's sequence
// under interleaved pushes: ties, short and very long delays, bursts, a
// drifting size, and pushes earlier than the last pop (a ladder queue
// accepts any time).
template <typename Q>
class Ladder : public ::testing::Test {};
using Ladders = ::testing::Types<LadderQueue, ArrayLadderQueue>;
TYPED_TEST_SUITE(Ladder, Ladders);

TYPED_TEST(Ladder, InterleavedWorkloadPopsLikeTheHeap) {
  ExpectPopsLikeTheHeap<TypeParam>(/*earlier=*/true, /*initial=*/2000, /*steps=*/40000);
}

}  // namespace
}  // namespace snapsim
