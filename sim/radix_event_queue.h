// RadixEventQueue: a monotone pending-event set (a radix heap on the 64-bit
// event time), with the same (time, seq) order as EventQueue.
//
// The engine never schedules an event before the last one popped, so times
// are monotone, and a radix heap applies. The next events to pop form a
// sorted run: the pending events at or before last_, by (time, seq), but for
// those pushed before the run's last event, which wait in a small 4-ary heap
// beside it (SortedRun; Pop takes the lesser of the two). The others sit in
// buckets 1..64, bucket k holding those whose time first differs from last_
// in bit k-1; every event of a bucket is earlier than every event of the
// buckets above it. When the run is used up, Refill takes
// the lowest buckets whole while they fit in kSortedRun events, sorts them,
// and makes their latest time the new last_ (the buckets above stay valid:
// their events differ from it in the same bit). A lowest bucket larger than
// that is first spread into the buckets below it, around the start of its
// range of times (a radix heap spreads around the least time, which takes
// one more pass to find). Each event moves a few times, mostly by sequential
// scans, so the cost per event hardly grows with the number pending
// (benchmarks in docs/performance.md).
//
// The run exists for the engine's look-ahead: Ahead(d) is exactly the event
// d places after the next one while the run holds it. When the run held only
// the events at one nanosecond (the plain radix heap), an event rarely
// shared its time with another, and Ahead read unsorted buckets: on the
// issue-7 scenario 18 % of the events popped exactly where Ahead(4) had
// shown them and a third were never shown; with the run, 88 % pop where
// shown (docs/performance.md).
//
// Storage: the run is a vector. Buckets 1..64 are lists of segments of
// about 64 KiB drawn from one pool carved from 2 MiB huge-page chunks (31 to
// a chunk); a refill hands each segment back to the pool as soon as it has
// been moved, so the pool holds about the events pending (plus one partly
// filled segment per bucket), not every bucket's peak. With one vector per
// bucket, each bucket kept its own peak capacity and grew by reallocation:
// more memory, and at 10^7 pending, page faults and copies of whole buckets
// for many passes.
//
// Ties: a bucket keeps its events in push order, which is seq order (every
// push has a larger seq than any pending event: REQUIRES seq to increase
// with every push, as Engine::Schedule assigns it), and events at one time
// always share a bucket, so the run sorts by (time, position). A push at or
// before last_ goes to the run's end or, when it is earlier than the run's
// last event, to the heap beside it. No allocation once the pool and the
// run (with its heap) have grown to their peak sizes.
//
// Exceptions: Push and Pop throw std::bad_alloc when the pool, the run or
// its heap cannot grow. Nothing leaks (segments belong to the pool's chunks),
// but a refill that throws may have dropped the events it was moving, so a
// queue that threw must only be destroyed. The engine's run ends on any
// exception (a sweep reports that run as failed and drops its engine).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "sim/block_arena.h"
#include "sim/event_queue.h"
#include "sim/huge_pages.h"
#include "sim/sorted_run.h"

namespace snapsim {

class RadixEventQueue {
 private:
  struct Segment;

 public:
  // Where a queue's segments come from: 2 MiB huge-page chunks, 31 segments
  // each, and a list of released ones, reused last released first (still in
  // the cache). A queue has a pool of its own, or shares one that outlives
  // it: WindowEventQueue builds a new queue for its far events at every
  // change of width, and the queue it empties into the new one hands its
  // segments over as it goes, instead of both holding their peak at once.
  // Memory goes back to the system when the pool is destroyed.
  using SegmentPool = BlockArena<Segment>;

  // A queue with a segment pool of its own.
  RadixEventQueue() = default;
  // A queue whose segments come from `pool`, which must outlive it. (A queue
  // destroyed before it is empty leaves its segments in use until the pool
  // goes.)
  explicit RadixEventQueue(SegmentPool& pool) : pool_(&pool) {}
  RadixEventQueue(const RadixEventQueue&) = delete;
  RadixEventQueue& operator=(const RadixEventQueue&) = delete;

  bool Empty() const { return size_ == 0; }
  std::size_t Size() const { return size_; }

  // Segments carved from the queue's pool so far (in use or free, by any
  // queue that shares it).
  std::size_t SegmentsCarved() const { return pool_->Carved(); }
  static constexpr std::size_t kEventsPerSegment = 2049;

  // REQUIRES: e.time >= the time of the last popped event; e.seq larger
  // than that of every event pushed before.
  void Push(const Event& e) {
    assert(e.time >= popped_);
    top_valid_ = false;
    if (e.time <= last_) {
      InsertNow(e);
    } else {
      Append(BucketOf(e.time), e);
    }
    ++size_;
  }

  // REQUIRES: !Empty(). The least (time, seq) event.
  const Event& Top() {
    if (run_.Empty()) Refill();
    top_valid_ = true;
    return run_.Top();
  }

  // For prefetching: a pending event that pops soon after the next one, or
  // nullptr. When the run holds d more events after the next, it is exactly
  // the one d places after the next (unless pushes come before it: those
  // wait in a small heap beside the run, which Ahead does not read).
  // Otherwise it is taken from buckets 1..kAheadBuckets in order: these hold
  // the pending times in the rest of the run's last event's 256-ns-aligned
  // block (so at most 255 ns after it, though not every event that close:
  // later blocks are not looked at). Each bucket holds later times than the
  // one before, but its own events are not sorted, so the event is only
  // about d places ahead.
  const Event* Ahead(std::size_t d) const {
    std::size_t i = d;
    if (i < run_.VectorRemaining()) return &run_.VectorAhead(i);
    i -= run_.VectorRemaining();
    for (std::size_t k = 1; k <= kAheadBuckets; ++k) {
      const List& list = lists_[k];
      const std::size_t size = list.Size();
      if (i < size) {
        const Segment* s = list.head;  // all of its segments but the tail are full
        for (; i >= kEventsPerSegment; s = s->next) i -= kEventsPerSegment;
        return &s->events[i];
      }
      i -= size;
    }
    return nullptr;
  }
  static constexpr std::size_t kAheadBuckets = 8;  // up to 255 ns after the run's end
  // The longest run Refill sorts from whole buckets (a spread's events at
  // one time may make it longer). On the issue-7 scenario 16 was slower
  // than 64 and 128, which were alike; in the hold model 64 costs 10 ns more
  // per hold than 16 at 10^4 pending (more pushes land inside the run).
  static constexpr std::size_t kSortedRun = 64;
  static_assert(kSortedRun < 256);  // SortRun: a run's positions and counts fit 8 bits
  // A run spanning fewer ns than this (and than 16 ns an event) is
  // counting-sorted by time, another sorted by (time, position) keys
  // (SortRun).
  static constexpr std::size_t kCountingSpan = 1024;
  static constexpr std::size_t kCountingSpanPerEvent = 16;  // ...and under 16 ns an event
  static_assert(kCountingSpanPerEvent * kSortedRun >= kCountingSpan);  // a full run may count

  // REQUIRES: !Empty(). Removes and returns the least (time, seq) event.
  Event Pop() {
    Top();
    return PopTop();
  }
  // REQUIRES: Top() was called, and no Push or Pop since. Removes and
  // returns the event Top returned, without Top's tests again (the engine
  // looks at the next event's time before taking it).
  Event PopTop() {
    assert(top_valid_);
    top_valid_ = false;
    const Event e = run_.PopTop();
    popped_ = e.time;
    --size_;
    return e;
  }

 private:
  // 65,600 bytes: a 32-byte header (alignas keeps the events on 32-byte
  // boundaries, two to a cache line) and 2,049 events. Large, because scans
  // restart their hardware prefetch at every segment: with 4 KiB segments a
  // hold cost 69 ns at 10^7 pending, with 64 KiB 44 (docs/performance-history.md).
  // One cache line over 64 KiB, so that the starts of a chunk's segments,
  // where a bucket with few events writes, fall in 31 different cache sets
  // rather than one.
  struct Segment {
    Segment* next = nullptr;
    alignas(32) Event events[kEventsPerSegment];
  };
  static_assert(sizeof(Segment) == 65600);
  // A pool (BlockArena) carves 31 of them from each 2 MiB chunk.
  static_assert((kHugePageBytes - SegmentPool::kUncarvedTail) / sizeof(Segment) == 31);

  // One bucket: its segments in push order, all full but the tail, which is
  // filled up to `end` (a push writes there, as into a vector, without
  // reading the segment first).
  struct List {
    Event* end = nullptr;
    Event* limit = nullptr;  // the tail's end of storage; end == limit when full or empty
    Segment* head = nullptr;
    Segment* tail = nullptr;
    std::size_t segments = 0;
    bool Empty() const { return head == nullptr; }
    std::size_t Size() const {
      return segments == 0 ? 0
                           : (segments - 1) * kEventsPerSegment +
                                 static_cast<std::size_t>(end - tail->events);
    }
  };

  std::size_t BucketOf(SimTime t) const {
    const auto diff = static_cast<std::uint64_t>(t.ns() ^ last_.ns());
    return diff == 0 ? 0 : 64 - static_cast<std::size_t>(std::countl_zero(diff));
  }

  // Bucket k's bit in occupied_, and the lowest bucket whose bit is set.
  static std::uint64_t Bit(std::size_t k) { return std::uint64_t{1} << (k - 1); }
  static std::size_t Lowest(std::uint64_t bits) {
    return static_cast<std::size_t>(std::countr_zero(bits)) + 1;
  }

  void Append(std::size_t k, const Event& e) {
    occupied_ |= Bit(k);
    AppendUnmarked(lists_[k], e);
  }
  // Append without marking the bucket occupied (Spread marks them after).
  void AppendUnmarked(List& list, const Event& e) {
    if (list.end == list.limit) Grow(list);
    *list.end++ = e;
  }

  // The tail is full (or there is none): links a new one.
  [[gnu::noinline]] void Grow(List& list) {
    Segment* s = pool_->Allocate(1);
    s->next = nullptr;
    if (list.tail == nullptr)
      list.head = s;
    else
      list.tail->next = s;
    list.tail = s;
    ++list.segments;
    list.end = s->events;
    list.limit = s->events + kEventsPerSegment;
  }

  // (time, seq) as one number: times are never negative.
  static unsigned __int128 Key(const Event& e) {
    return (static_cast<unsigned __int128>(static_cast<std::uint64_t>(e.time.ns())) << 64) | e.seq;
  }

  // A push at or before last_: at the run's end when it is not before the
  // run's last event (its seq is the largest, so it goes after any tie),
  // else into the heap beside it (SortedRun). Inserting it into the run
  // instead would move part of the run, and a burst of such pushes (one
  // event scheduling many arrivals inside a run that spans a long time)
  // would cost quadratic time.
  [[gnu::noinline]] void InsertNow(const Event& e) { run_.Insert(e); }  // rare: kept out of Push

  // Moves bucket k's events to the end of the run and empties it.
  void TakeBucket(std::size_t k) {
    std::vector<Event>& now = run_.Events();
    const List from = lists_[k];
    lists_[k] = List{};
    occupied_ &= ~Bit(k);
    for (Segment* s = from.head; s != nullptr;) {
      const Event* stop = s == from.tail ? from.end : s->events + kEventsPerSegment;
      now.insert(now.end(), static_cast<const Event*>(s->events), stop);
      Segment* next = s->next;
      pool_->Free(s, 1);
      s = next;
    }
  }

  // The run (with its heap) is empty: refills the run with the next pending
  // events. While the run is empty and the lowest bucket is large, that
  // bucket is spread around the start of its range, which puts the events
  // at that time in the run; then the lowest buckets are taken whole while
  // the run stays within kSortedRun events, the run is sorted by (time,
  // seq), and last_ becomes its latest time.
  void Refill() {
    run_.Clear();
    std::vector<Event>& now = run_.Events();
    // REQUIRES: !Empty(). Each spread empties the lowest bucket into lower
    // ones (and the run), so this ends within 64 spreads.
    for (std::size_t k = Lowest(occupied_); now.empty() && lists_[k].Size() > kSortedRun;
         k = Lowest(occupied_))
      Spread(k);
    for (std::uint64_t left = occupied_; left != 0; left &= left - 1) {
      const std::size_t j = Lowest(left);
      if (!now.empty() && now.size() + lists_[j].Size() > kSortedRun) break;
      TakeBucket(j);
    }
    SortRun();
    last_ = now.back().time;
  }

  // Sorts the run by (time, seq). Events at one time always share a bucket,
  // and a bucket keeps its events in seq order (pushes append, and a spread
  // fills empty buckets in its source's order), so sorting (time, position)
  // stably is enough. A run spanning fewer than kCountingSpan ns (nearly
  // all: a run of 64 events on the issue-7 scenario spans about 100 ns) is
  // counting-sorted by time offset, which is stable and has no data-dependent
  // branch; std::sort's comparisons of random times mispredicted about half
  // the time. Longer spans, and short runs spanning 16 ns an event or more,
  // sort 8-byte (offset, position) keys.
  void SortRun() {
    std::vector<Event>& now = run_.Events();
    const std::size_t n = now.size();
    SimTime least = now[0].time, most = least;
    for (const Event& e : now) {
      least = std::min(least, e.time);
      most = std::max(most, e.time);
    }
    if (least == most) return;  // one time: already in seq order
    const std::int64_t span = (most - least).ns();
    // Counts and keys hold a position below 2^8, keys a time offset below
    // 2^56 (a run longer than kSortedRun has one time and returned above).
    if (n > kSortedRun || span >= (std::int64_t{1} << 56)) {
      std::sort(now.begin(), now.end(),
                [](const Event& x, const Event& y) { return Key(x) < Key(y); });
      return;
    }
    sorted_.resize(n);
    // Counting costs a pass over the span, so a few events far apart sort
    // by keys instead.
    if (static_cast<std::uint64_t>(span) < std::min(kCountingSpan, kCountingSpanPerEvent * n)) {
      // starts_[t + 1] counts the events at offset t, then becomes where
      // offset t + 1's events start.
      const auto width = static_cast<std::size_t>(span) + 2;
      std::fill_n(starts_.begin(), width, std::uint8_t{0});
      for (const Event& e : now) ++starts_[static_cast<std::size_t>((e.time - least).ns()) + 1];
      for (std::size_t t = 1; t < width; ++t) starts_[t] += starts_[t - 1];
      for (const Event& e : now)
        sorted_[starts_[static_cast<std::size_t>((e.time - least).ns())]++] = e;
    } else {
      keys_.resize(n);
      for (std::size_t i = 0; i < n; ++i)
        keys_[i] = (static_cast<std::uint64_t>((now[i].time - least).ns()) << 8) | i;
      std::sort(keys_.begin(), keys_.end());
      for (std::size_t i = 0; i < n; ++i) sorted_[i] = now[keys_[i] & 0xff];
    }
    // Copied back rather than swapped: now may have grown large for a burst
    // at one time, and swapping would keep a second buffer of that size.
    std::copy(sorted_.begin(), sorted_.end(), now.begin());
  }

  // Spreads bucket k around the start of its range of times, which becomes
  // last_: the events at that time go to the (empty) run, the others to
  // buckets below k. Bucket k holds the times that agree with last_ above
  // bit k - 1 and have that bit set (it is clear in last_, which is below
  // them), so its range starts at last_ with bit k - 1 set and the bits
  // below clear; no event is earlier, every bucket above stays valid, and
  // each event differs from the start only in bits below k - 1. Starting
  // there rather than at the bucket's least time saves a pass over its
  // events; the run may come out empty (Refill then spreads again).
  // Buckets are marked occupied once, after the events are moved.
  void Spread(std::size_t k) {
    std::vector<Event>& now = run_.Events();
    const List from = lists_[k];
    lists_[k] = List{};
    occupied_ &= ~Bit(k);
    const std::uint64_t above = ~std::uint64_t{0} << (k - 1);  // bits k-1 and up
    last_ = SimTime(
        static_cast<std::int64_t>((static_cast<std::uint64_t>(last_.ns()) & above) | Bit(k)));
    for (Segment* s = from.head; s != nullptr;) {
      const Event* stop =
          s == from.tail ? static_cast<const Event*>(from.end) : s->events + kEventsPerSegment;
      for (const Event* e = s->events; e != stop; ++e) {
        const std::size_t to = BucketOf(e->time);  // < k
        if (to == 0)
          now.push_back(*e);
        else
          AppendUnmarked(lists_[to], *e);
      }
      Segment* next = s->next;
      pool_->Free(s, 1);  // spread: reusable by the next Append
      s = next;
    }
    for (std::size_t j = 1; j < k; ++j)
      if (!lists_[j].Empty()) occupied_ |= Bit(j);
  }

  SortedRun run_;                    // pending events at or before last_, sorted, and pushes there
  std::array<List, 65> lists_{};     // buckets 1..64 (index 0 unused)
  std::vector<std::uint64_t> keys_;  // SortRun's scratch
  std::vector<Event> sorted_;        // SortRun's scratch
  std::array<std::uint8_t, kCountingSpan + 1> starts_{};  // SortRun's counts
  std::uint64_t occupied_ = 0;                            // bit k-1 set: bucket k is not empty
  std::size_t size_ = 0;
  SimTime last_{0};
  SimTime popped_{0};       // the last popped event's time (checks Push's precondition)
  bool top_valid_ = false;  // Top ran, and nothing was pushed or popped since (checks PopTop)
  SegmentPool own_pool_;    // unused when the queue shares a pool
  SegmentPool* pool_ = &own_pool_;  // where segments come from and go back to
};

}  // namespace snapsim
