// WindowEventQueue's own promises: the width follows the event density
// (narrower when buckets hold too many events, wider when too few; each
// change re-buckets what is pending, here in both directions) without
// changing the order; events past the window join their bucket before any
// later push at the same time; Ahead shows what pops next. The order against
// the 4-ary heap on random workloads is in event_queue_test.cpp.
#include "sim/window_event_queue.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>

#include "sim/event_queue.h"
#include "sim/rng.h"
#include "tests/support/queue_beside_heap.h"

namespace snapsim {
namespace {

using WindowBesideHeap = QueueBesideHeap<WindowEventQueue>;

// Runs `holds` pops, each followed by a push `delay()` after it, and
// returns the width at the end and the least and most seen.
struct Widths {
  unsigned end, least, most;
};
Widths Hold(WindowBesideHeap& both, int holds, const std::function<std::int64_t()>& delay) {
  Widths w{both.q.WidthBits(), both.q.WidthBits(), both.q.WidthBits()};
  for (int i = 0; i < holds && !testing::Test::HasFailure(); ++i) {
    const std::int64_t now = both.PopBoth();
    both.Push(now + delay());
    w.least = std::min(w.least, both.q.WidthBits());
    w.most = std::max(w.most, both.q.WidthBits());
  }
  w.end = both.q.WidthBits();
  return w;
}

TEST(WindowEventQueue, NarrowsForDenseEventsAndWidensForSparseOnesInOrder) {
  WindowBesideHeap both;
  RandomStream rng(5);
  const auto below = [&](std::uint64_t n) { return static_cast<std::int64_t>(rng.Below(n)); };
  for (int i = 0; i < 80000; ++i) both.Push(300 + below(100));
  // Dense: 80,000 events within 100 ns (about 500 an ns), more than
  // kManyPerBucket in a bucket of the initial width.
  const Widths dense = Hold(both, 300000, [&] { return 100 + below(100); });
  EXPECT_LT(dense.end, WindowEventQueue::kInitialWidthBits);
  // Sparse: the same number spread over 2 ms, fewer than kFewPerBucket in a
  // bucket of that width: widens.
  const Widths sparse = Hold(both, 200000, [&] { return below(2'000'000); });
  EXPECT_GT(sparse.end, dense.end);
  while (!both.heap.Empty() && !HasFailure()) both.PopBoth();
  EXPECT_TRUE(both.q.Empty());
}

// Few events with delays shorter than a bucket of the initial width: the
// buckets are not full, but most pushes land in the bucket being served
// (the heap beside the run). The width narrows a bit at a time until few do,
// and does not widen back.
TEST(WindowEventQueue, NarrowsWhenPushesLandInTheBucketBeingServed) {
  WindowBesideHeap both;
  RandomStream rng(9);
  const auto below = [&](std::uint64_t n) { return static_cast<std::int64_t>(rng.Below(n)); };
  for (int i = 0; i < 200; ++i) both.Push(below(200));
  const Widths w = Hold(both, 50000, [&] { return below(200); });
  EXPECT_LT(w.end, WindowEventQueue::kInitialWidthBits);
  EXPECT_EQ(w.most, WindowEventQueue::kInitialWidthBits);
  while (!both.heap.Empty() && !HasFailure()) both.PopBoth();
  EXPECT_TRUE(both.q.Empty());
}

// An event pushed past the window joins its bucket when the window reaches
// it, before a later push at the same time, which then pops after it.
TEST(WindowEventQueue, AFarEventPopsBeforeALaterPushAtItsTime) {
  WindowBesideHeap both;
  const std::int64_t window_ns =
      std::int64_t{1} << (WindowEventQueue::kInitialWidthBits + WindowEventQueue::kBucketBits);
  const std::int64_t far = 5 * window_ns;
  both.Push(0);
  both.Push(far);                  // past the window
  both.Push(far - window_ns / 2);  // past it too
  EXPECT_EQ(both.PopBoth(), 0);
  EXPECT_EQ(both.PopBoth(), far - window_ns / 2);  // the window jumped here
  both.Push(far);                                  // inside it now: after the far one
  both.Push(far - 1);
  EXPECT_EQ(both.PopBoth(), far - 1);
  EXPECT_EQ(both.PopBoth(), far);
  EXPECT_EQ(both.PopBoth(), far);
  EXPECT_TRUE(both.q.Empty());
}

// Times at both ends of the range: the window jumps from 0 to the last
// representable nanoseconds (through far_), and a push at a far event's
// time after the jump pops after it.
TEST(WindowEventQueue, TimesUpToTheLargest) {
  WindowBesideHeap both;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  both.Push(0);
  both.Push(kMax);
  both.Push(kMax - 1);
  both.Push(kMax - 300);
  EXPECT_EQ(both.PopBoth(), 0);
  EXPECT_EQ(both.PopBoth(), kMax - 300);
  both.Push(kMax);
  both.Push(kMax - 1);
  EXPECT_EQ(both.PopBoth(), kMax - 1);
  EXPECT_EQ(both.PopBoth(), kMax - 1);
  EXPECT_EQ(both.PopBoth(), kMax);
  EXPECT_EQ(both.PopBoth(), kMax);
  EXPECT_TRUE(both.q.Empty());
}

// After Top() has refilled the run from a later bucket, a push between the
// last popped time and that bucket pops first.
TEST(WindowEventQueue, APushBeforeARefilledRunPopsFirst) {
  WindowBesideHeap both;
  both.Push(0);
  both.Push(1'000'000'000);
  EXPECT_EQ(both.PopBoth(), 0);
  EXPECT_EQ(both.q.Top().time, SimTime(1'000'000'000));  // the window jumped there
  both.Push(5);
  both.Push(1'000'000'000);
  EXPECT_EQ(both.PopBoth(), 5);
  EXPECT_EQ(both.PopBoth(), 1'000'000'000);
  EXPECT_EQ(both.PopBoth(), 1'000'000'000);
  EXPECT_TRUE(both.q.Empty());
}

// A push before the end of the bucket being served joins the run (at its
// end, or beside it when earlier than its last event); ties keep push order.
TEST(WindowEventQueue, PushesIntoTheServedBucketKeepTheOrder) {
  WindowBesideHeap both;
  for (std::int64_t t = 0; t <= 100; t += 10) both.Push(t);
  EXPECT_EQ(both.PopBoth(), 0);  // the run holds 10..100 (one bucket)
  both.Push(50);
  both.Push(10);
  both.Push(100);
  both.Push(5);
  both.Push(200);
  while (!both.heap.Empty() && !HasFailure()) both.PopBoth();
  EXPECT_TRUE(both.q.Empty());
}

// Widens the queue with sparse events (up to 1 ms apart, about eight
// pending) and returns the width's exponent.
unsigned WidenWithSparseEvents(WindowBesideHeap& both, RandomStream& rng) {
  for (int i = 0; i < 8; ++i) both.Push(static_cast<std::int64_t>(rng.Below(1'000'000)));
  return Hold(both, 20'000, [&] { return 1 + static_cast<std::int64_t>(rng.Below(1'000'000)); })
      .end;
}

// Sparse buckets (wide against their events) are counted in bins wider than
// 1 ns and sorted within them: a bucket of events scattered over it, and
// 300 more crowded into its first bin (fewer than 4,096 bins a bucket: the
// first 2^-12 of its width), whose insertion would take far more than 8
// moves an event, so the run is sorted whole by (time, seq) instead. Both
// pop like the heap.
TEST(WindowEventQueue, SparseBucketsSortWithinTheirBinsInOrder) {
  WindowBesideHeap both;
  RandomStream rng(11);
  const unsigned w = WidenWithSparseEvents(both, rng);
  ASSERT_GE(w, 15u);  // bins of 8 ns or more for the crowd
  const std::int64_t width = std::int64_t{1} << w;
  const std::int64_t now = both.PopBoth();
  const std::int64_t base = (now / width + 2) * width;  // a bucket after the one being served
  for (int i = 0; i < 300; ++i)
    both.Push(base + static_cast<std::int64_t>(rng.Below(static_cast<std::uint64_t>(width))));
  for (int i = 0; i < 300; ++i)
    both.Push(base + static_cast<std::int64_t>(rng.Below(static_cast<std::uint64_t>(width >> 12))));
  both.ExpectTheSamePops();
}

// Ties within a bin of a sparse bucket keep their push order through the
// insertion sort (a few events: no fallback to the full sort), and the bin
// after holds a tie too.
TEST(WindowEventQueue, TiesInASparseBinKeepPushOrder) {
  WindowBesideHeap both;
  RandomStream rng(12);
  const unsigned w = WidenWithSparseEvents(both, rng);
  ASSERT_GE(w, 12u);  // at most 4n + 64 bins: 64 ns or wider here
  const std::int64_t width = std::int64_t{1} << w;
  const std::int64_t now = both.PopBoth();
  const std::int64_t base = (now / width + 2) * width;
  for (const std::int64_t t : {7, 5, 7, 5, 5, 3, 7, 100, 90, 100}) both.Push(base + t);
  both.ExpectTheSamePops();
}

// Ahead(d) is exactly the event d places after the next one while the run
// holds it; past the run it reads the next buckets (later times, unsorted);
// nothing pending, nothing shown.
TEST(WindowEventQueue, AheadShowsWhatPopsNext) {
  WindowEventQueue q;
  const std::int64_t bucket = std::int64_t{1} << WindowEventQueue::kInitialWidthBits;
  std::uint64_t seq = 0;
  q.Push({SimTime(0), seq++, 100});
  for (std::uint32_t i = 0; i < 5; ++i)  // the next bucket, pushed latest first
    q.Push({SimTime(bucket + 50 - 10 * static_cast<std::int64_t>(i)), seq++, 4 - i});
  q.Push({SimTime(2 * bucket + 7), seq++, 200});  // the one after
  q.Push({SimTime(4 * bucket + 1), seq++, 300});  // two more on
  EXPECT_EQ(q.Pop().a, 100u);                     // the run is used up: Ahead reads the buckets
  ASSERT_NE(q.Ahead(0), nullptr);
  EXPECT_EQ(q.Ahead(0)->a, 4u);  // in push order
  EXPECT_EQ(q.Top().a, 0u);      // refilled: the bucket is the run, sorted
  for (std::uint32_t d = 0; d < 5; ++d) {
    ASSERT_NE(q.Ahead(d), nullptr);
    EXPECT_EQ(q.Ahead(d)->a, d);
  }
  ASSERT_NE(q.Ahead(5), nullptr);
  EXPECT_EQ(q.Ahead(5)->a, 200u);
  ASSERT_NE(q.Ahead(6), nullptr);
  EXPECT_EQ(q.Ahead(6)->a, 300u);
  EXPECT_EQ(q.Ahead(7), nullptr);
  for (const std::uint32_t expected : {0u, 1u, 2u, 3u, 4u, 200u, 300u})
    EXPECT_EQ(q.Pop().a, expected);
  EXPECT_TRUE(q.Empty());
  EXPECT_EQ(q.Ahead(0), nullptr);
}

}  // namespace
}  // namespace snapsim
