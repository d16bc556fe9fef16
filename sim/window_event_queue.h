// WindowEventQueue: a monotone pending-event set with the same (time, seq)
// order as EventQueue, built for events that mostly fall within a bounded
// distance of the present (message latencies, timers). The engine's.
//
// Times are cut into buckets of 2^w ns. A window of the kBuckets - 1
// buckets after the one being served holds the near future: a push lands directly in its
// bucket, a list of 2 KiB blocks, in push order. Events past the window wait
// in a RadixEventQueue (far_) and move into their buckets as the window
// reaches them, before any push can land there. The bucket being served is
// the run: its events sorted by time (a stable counting sort by time
// offset: a bucket holds each time's events in seq order, the far ones,
// drained in (time, seq) order, before any direct push; a sparse bucket is
// counted in bins wider than 1 ns and then sorted within them). So a near event
// moves twice (into its bucket, then into the run), where the radix heap
// spread it down through several buckets first, and the cost per event
// hardly depends on how many are pending (docs/performance.md).
//
// The width adapts. Every kEpochBuckets buckets served (or sooner, when they
// served more than kManyPerBucket each), and once buckets have served at
// least Size() events since the last change (so that the O(Size())
// re-bucketing costs O(1) per event served), the epoch is judged:
// - more than kManyPerBucket events a bucket: narrow to about kNarrowTo;
// - else more than 1/kLateShare of the events pushed into the bucket being
//   served (the heap beside the run, O(log n) a push: the buckets are wide
//   against the delays): narrow by one bit, and do not widen to that width
//   again unless the buckets become far emptier (under a quarter of
//   kFewPerBucket);
// - else fewer than kFewPerBucket: widen to about kWidenTo.
// Every pending event is then re-bucketed (no sort). The range is wide on
// purpose: on the issue-7 scenario (about 150 events a bucket at the initial
// width) and at 10^6 processes (about 8,000 on the sparse cloud, 25,000 on
// the tokens ring) the initial width ran faster than narrower ones, which at
// 10^6 spread the pushes over thousands of bucket tails that no longer
// stayed in the cache; on the issue scenario, buckets of 8 us sent many of
// its 2-8 us delays into the bucket being served (docs/performance.md). A width too wide for a
// sudden burst only narrows at the next refill: until then the burst's pushes go to the heap beside
// the run (below).
//
// Ties: REQUIRES seq to increase with every push (Engine::Schedule assigns
// it so). A push into the bucket being served goes to the run's end when it
// is not before the run's last event, else into a small heap beside it
// (SortedRun, as in RadixEventQueue). No allocation once the block pool and
// the run have grown to their peak sizes (and far_ to its own), but for a
// change of width, which builds a new far_.
//
// Exceptions: Push and Pop throw std::bad_alloc when storage cannot grow; a
// queue that threw must only be destroyed.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/block_arena.h"
#include "sim/event_queue.h"
#include "sim/prefetch.h"
#include "sim/radix_event_queue.h"
#include "sim/sorted_run.h"

namespace snapsim {

class WindowEventQueue {
 public:
  WindowEventQueue() : far_(std::make_unique<RadixEventQueue>(far_segments_)) {}
  WindowEventQueue(const WindowEventQueue&) = delete;
  WindowEventQueue& operator=(const WindowEventQueue&) = delete;

  bool Empty() const { return size_ == 0; }
  std::size_t Size() const { return size_; }
  // The bucket width's exponent (buckets span 2^WidthBits() ns).
  unsigned WidthBits() const { return w_; }

  static constexpr std::size_t kBucketBits = 12;
  static constexpr std::size_t kBuckets = std::size_t{1} << kBucketBits;
  static constexpr std::size_t kFewPerBucket = 32;
  static constexpr std::size_t kManyPerBucket = 65536;
  static constexpr std::size_t kWidenTo = 64;      // events a bucket, widening
  static constexpr std::size_t kNarrowTo = 16384;  // events a bucket, narrowing
  static constexpr std::size_t kLateShare = 8;     // narrow when over 1/8 were late
  static constexpr std::size_t kEpochBuckets = 16;
  static constexpr unsigned kInitialWidthBits = 8;
  static constexpr unsigned kMaxWidthBits = 40;
  static constexpr std::size_t kAheadBuckets = 4;

  // REQUIRES: e.time >= the time of the last popped event; e.seq larger
  // than that of every event pushed before.
  void Push(const Event& e) {
    assert(e.time >= popped_);
    top_valid_ = false;
    ++size_;
    const std::uint64_t abs = Abs(e.time);
    if (abs <= cursor_) {
      InsertNow(e);
    } else if (abs - cursor_ < kBuckets) {
      Append(Slot(abs), e);
    } else {
      far_->Push(e);
    }
  }

  // REQUIRES: !Empty(). The least (time, seq) event.
  const Event& Top() {
    if (run_.Empty()) Refill();
    top_valid_ = true;
    return run_.Top();
  }

  // For prefetching: a pending event that pops soon after the next one, or
  // nullptr. Exact while the run holds it (and no late push comes first);
  // otherwise read unsorted from the next kAheadBuckets buckets.
  const Event* Ahead(std::size_t d) const {
    std::size_t i = d;
    if (i < run_.VectorRemaining()) return &run_.VectorAhead(i);
    i -= run_.VectorRemaining();
    for (std::size_t k = 1; k <= kAheadBuckets; ++k) {
      const List& list = lists_[Slot(cursor_ + k)];
      if (i < list.count) {
        const Block* b = list.head;
        for (; i >= kEventsPerBlock; b = b->next) i -= kEventsPerBlock;
        return &b->events[i];
      }
      i -= list.count;
    }
    return nullptr;
  }

  // REQUIRES: !Empty(). Removes and returns the least (time, seq) event.
  Event Pop() {
    Top();
    return PopTop();
  }
  // REQUIRES: Top() was called, and no Push or Pop since.
  Event PopTop() {
    assert(top_valid_);
    top_valid_ = false;
    const Event e = run_.PopTop();
    popped_ = e.time;
    --size_;
    return e;
  }

 private:
  // 2 KiB, aligned to 2 KiB: a 32-byte header and 63 events, so that a list's
  // end pointer alone says when its block is full (it reaches the next
  // block's start) and which block is its tail.
  static constexpr std::size_t kBlockBytes = 2048;
  static constexpr std::size_t kEventsPerBlock = 63;
  struct alignas(kBlockBytes) Block {
    Block* next = nullptr;
    alignas(32) Event events[kEventsPerBlock];
  };
  // The events must end exactly at the block's end (alignas would pad a
  // smaller Event up to 2 KiB, and a full block's end pointer would no
  // longer be aligned).
  static_assert(offsetof(Block, events) + sizeof(Block::events) == kBlockBytes);

  // One bucket: its blocks in push order, all full but the tail, filled up
  // to `end` (nullptr when empty).
  struct List {
    Event* end = nullptr;
    Block* head = nullptr;
    std::uint32_t count = 0;
  };

  std::uint64_t Abs(SimTime t) const { return static_cast<std::uint64_t>(t.ns()) >> w_; }
  static std::size_t Slot(std::uint64_t abs) { return abs & (kBuckets - 1); }

  void Append(std::size_t slot, const Event& e) {
    List& list = lists_[slot];
    if ((reinterpret_cast<std::uintptr_t>(list.end) & (kBlockBytes - 1)) == 0) Grow(list, slot);
    *list.end++ = e;
    ++list.count;
  }

  // The list is empty or its tail is full: links a new block.
  [[gnu::noinline]] void Grow(List& list, std::size_t slot) {
    Block* b = TakeBlock();
    if (list.end == nullptr) {
      list.head = b;
      occupied_[slot / 64] |= std::uint64_t{1} << (slot % 64);
    } else {
      reinterpret_cast<Block*>(reinterpret_cast<std::uintptr_t>(list.end) - kBlockBytes)->next = b;
    }
    list.end = b->events;
  }

  // An empty block from the arena: the most recently freed one (still in
  // the cache), or a new one carved from a huge-page chunk.
  Block* TakeBlock() {
    Block* b = blocks_.Allocate(1);
    b->next = nullptr;
    return b;
  }

  // Moves bucket `slot`'s events to the end of `out` and empties it.
  void TakeBucket(std::size_t slot, std::vector<Event>& out) {
    const List list = lists_[slot];
    lists_[slot] = List{};
    occupied_[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
    MoveList(list, out);
  }
  // Starts loading a block's events (they were written long ago: at 10^6
  // processes, from beyond the L2 cache).
  static void PrefetchBlock(const Block* b) {
    const char* p = reinterpret_cast<const char*>(b->events);
    for (std::size_t i = 0; i < sizeof(b->events); i += 64) PrefetchForRead(p + i);
  }
  // Appends a detached list's events to `out` and frees its blocks.
  void MoveList(const List& list, std::vector<Event>& out) {
    for (Block* b = list.head; b != nullptr;) {
      Block* next = b->next;
      if (next != nullptr) PrefetchBlock(next);
      const Event* stop = next == nullptr ? list.end : b->events + kEventsPerBlock;
      out.insert(out.end(), static_cast<const Event*>(b->events), stop);
      blocks_.Free(b, 1);
      b = next;
    }
  }

  // A push into the bucket being served (or, after a refill and before its
  // first pop, between the last popped event and the run); it counts as
  // served by the bucket, for the width.
  [[gnu::noinline]] void InsertNow(const Event& e) {
    ++taken_events_;
    ++late_events_;
    run_.Insert(e);
  }

  // How many buckets after the cursor the first occupied one within the
  // window is, or 0 when there is none.
  std::uint64_t NextOccupied() const {
    const std::size_t start = Slot(cursor_ + 1);
    std::size_t word = start / 64;
    std::uint64_t bits = occupied_[word] & (~std::uint64_t{0} << (start % 64));
    for (std::size_t n = 0; n <= kBuckets / 64; ++n) {
      if (bits != 0) {
        const std::size_t slot = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
        return 1 + ((slot - start) & (kBuckets - 1));
      }
      word = (word + 1) % (kBuckets / 64);
      bits = occupied_[word];
    }
    return 0;
  }

  // Moves the far events that the window now reaches into their buckets.
  void Drain() {
    while (!far_->Empty()) {
      const Event& e = far_->Top();
      const std::uint64_t abs = Abs(e.time);
      if (abs - cursor_ >= kBuckets) break;
      Append(Slot(abs), far_->PopTop());
    }
  }

  // The run (with its heap) is empty: serves the next occupied bucket.
  void Refill() {
    run_.Clear();
    if (taken_buckets_ >= kEpochBuckets ||
        (taken_buckets_ > 0 && taken_events_ > kManyPerBucket * taken_buckets_)) {
      MaybeRewiden();
      if (lists_[Slot(cursor_)].count != 0) {  // the last popped event's bucket, re-bucketed
        TakeSortedBucket(Slot(cursor_));
        ++taken_buckets_;
        taken_events_ += run_.Events().size();
        return;
      }
    }
    const std::uint64_t ahead = NextOccupied();
    cursor_ = ahead != 0 ? cursor_ + ahead : Abs(far_->Top().time);
    Drain();
    TakeSortedBucket(Slot(cursor_));
    ++taken_buckets_;
    taken_events_ += run_.Events().size();
    if (const std::uint64_t ahead = NextOccupied(); ahead != 0)
      PrefetchBlock(lists_[Slot(cursor_ + ahead)].head);
  }

  // Makes the (empty) run bucket `slot`'s events sorted by time, stably, and
  // empties the bucket. It counts and then places the events straight from
  // the blocks into the run, by bin of 2^BinShift ns (a stable counting
  // sort), and then sorts within bins if they are wider than 1 ns. At 10^6
  // processes a bucket holds thousands of events, and copying them into the
  // run, sorting into scratch and copying back went three times more
  // through memory beyond the L2 cache.
  void TakeSortedBucket(std::size_t slot) {
    std::vector<Event>& run = run_.Events();
    const List list = lists_[slot];
    if (list.count < 2) {
      TakeBucket(slot, run);
      return;
    }
    lists_[slot] = List{};
    occupied_[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
    const std::uint64_t base = cursor_ << w_;
    const unsigned shift = BinShift(list.count);
    counts_.assign((std::uint64_t{1} << (w_ - shift)) + 1, 0);
    for (const Block* b = list.head; b != nullptr; b = b->next) {
      if (b->next != nullptr) PrefetchBlock(b->next);
      const Event* stop = b->next == nullptr ? list.end : b->events + kEventsPerBlock;
      for (const Event* e = b->events; e != stop; ++e)
        ++counts_[((static_cast<std::uint64_t>(e->time.ns()) - base) >> shift) + 1];
    }
    for (std::size_t t = 1; t < counts_.size(); ++t) counts_[t] += counts_[t - 1];
    run.resize(list.count);
    for (Block* b = list.head; b != nullptr;) {
      Block* next = b->next;
      const Event* stop = next == nullptr ? list.end : b->events + kEventsPerBlock;
      for (const Event* e = b->events; e != stop; ++e)
        run[counts_[(static_cast<std::uint64_t>(e->time.ns()) - base) >> shift]++] = *e;
      blocks_.Free(b, 1);
      b = next;
    }
    if (shift > 0) SortWithinBins(run);
  }

  // The bins a bucket of n events is counted in are 2^BinShift(n) ns wide:
  // the narrowest such that they number at most 4 n + 64, so that counting
  // is linear in n. At 1 ns (the engine's dense buckets) the count sorts
  // the events; wider bins hold about one event each on average. (A sort of
  // (offset, position) keys in sparse buckets, where comparisons of random
  // times mispredicted, drew 18 % of the samples of the issue scenario
  // without a protocol and 7 % of a figure sweep: docs/performance.md.)
  unsigned BinShift(std::size_t n) const {
    unsigned shift = 0;
    while ((std::uint64_t{1} << (w_ - shift)) > 4 * std::uint64_t{n} + 64) ++shift;
    return shift;
  }

  // Sorts a run that is in order of bin (and in which each time's events
  // are in seq order) by time, stably: an insertion sort, which moves each
  // event back past the later ones of its bin, a few at most unless the
  // events crowd into few bins. Past 8 moves an event on average (8n in
  // all) it sorts the whole run by (time, seq) instead.
  static void SortWithinBins(std::vector<Event>& run) {
    const std::size_t n = run.size();
    std::size_t budget = 8 * n;
    for (std::size_t i = 1; i < n; ++i) {
      if (!(run[i].time < run[i - 1].time)) continue;
      const Event e = run[i];
      std::size_t j = i;
      do {
        run[j] = run[j - 1];
        --j;
      } while (j > 0 && e.time < run[j - 1].time);
      run[j] = e;
      if (i - j > budget) {
        std::sort(run.begin(), run.end(), [](const Event& x, const Event& y) {
          return x.time < y.time || (x.time == y.time && x.seq < y.seq);
        });
        return;
      }
      budget -= i - j;
    }
  }

  // Ends an epoch: judges it (the header comment) and, when the width
  // changes, re-buckets every pending event: O(Size()), no sort. The events
  // of the last popped event's bucket (at the new width) go to the cursor's
  // slot, which Refill serves next.
  // REQUIRES: the run (with its heap) is empty, at least one bucket served.
  void MaybeRewiden() {
    const std::size_t mean = taken_events_ / taken_buckets_;
    const bool late = late_events_ * kLateShare > taken_events_;
    popped_since_change_ += taken_events_;
    taken_events_ = taken_buckets_ = late_events_ = 0;
    if (popped_since_change_ < size_) return;
    unsigned w = w_;
    if (mean > kManyPerBucket) {
      while (w > 0 && (mean >> (w_ - w)) > kNarrowTo) --w;
    } else if (late) {
      if (w > 0) --w;
      widest_ = w;  // never widen back to a width that was too wide
    } else if (mean < kFewPerBucket) {
      // Far fewer (a quarter): the load has changed since a width was too
      // wide, so that one may be right again.
      if (mean < kFewPerBucket / 4) widest_ = kMaxWidthBits;
      while (w < widest_ && (mean << (w - w_)) < kWidenTo) ++w;
    }
    if (w == w_) return;
    popped_since_change_ = 0;
    const std::array<List, kBuckets> old = lists_;
    const std::uint64_t old_cursor = cursor_;
    lists_ = {};
    occupied_ = {};
    w_ = w;
    cursor_ = Abs(popped_);
    // The new far_ gets the old buckets' events, then the old far_'s: seqs
    // do not rise overall, but they do among the events of each time, which
    // is what RadixEventQueue's order needs (its buckets keep push order).
    std::unique_ptr<RadixEventQueue> old_far = std::move(far_);
    far_ = std::make_unique<RadixEventQueue>(far_segments_);
    // Each time is in one old bucket, in seq order, so it comes out in seq
    // order wherever it lands (a new bucket may take several old ones: its
    // sort is by time and stable). An old block goes back to the arena once
    // read, for the new buckets to reuse.
    for (std::size_t k = 1; k < kBuckets; ++k) {
      const List& list = old[Slot(old_cursor + k)];
      for (Block* b = list.head; b != nullptr;) {
        Block* next = b->next;
        const Event* stop = next == nullptr ? list.end : b->events + kEventsPerBlock;
        for (const Event* e = b->events; e != stop; ++e) Place(*e);
        blocks_.Free(b, 1);
        b = next;
      }
    }
    while (!old_far->Empty()) Place(old_far->Pop());
  }
  // Rewiden's placement of an event at or after the cursor's bucket: the
  // cursor's own slot (empty since its bucket was served; Refill serves it
  // next) or a later one in the window, else far_.
  void Place(const Event& e) {
    if (const std::uint64_t ahead = Abs(e.time) - cursor_; ahead < kBuckets)
      Append(Slot(cursor_ + ahead), e);
    else
      far_->Push(e);
  }

  SortedRun run_;  // the bucket being served, and pushes into it
  std::array<List, kBuckets> lists_{};
  std::array<std::uint64_t, kBuckets / 64> occupied_{};
  // Past the window. Each far_ draws its segments from far_segments_, so a
  // change of width, which empties the old far_ into a new one, reuses the
  // old one's segments as they are emptied: one peak, not two (on 10^6
  // messages started at one instant, 26 MiB less peak RSS).
  RadixEventQueue::SegmentPool far_segments_;
  std::unique_ptr<RadixEventQueue> far_;
  std::vector<std::uint32_t> counts_;  // TakeSortedBucket's counts by bin
  unsigned w_ = kInitialWidthBits;
  std::uint64_t cursor_ = 0;  // the bucket being served (absolute number)
  std::size_t size_ = 0;
  // This epoch's buckets served, events they served, and how many of those
  // were pushed into the bucket being served (InsertNow); events served
  // since the width last changed.
  std::size_t taken_buckets_ = 0, taken_events_ = 0, late_events_ = 0;
  std::size_t popped_since_change_ = 0;
  unsigned widest_ = kMaxWidthBits;  // the widest width to widen to
  SimTime popped_{0};
  bool top_valid_ = false;    // Top ran, and nothing was pushed or popped since
  BlockArena<Block> blocks_;  // the buckets' blocks, on huge pages
};

}  // namespace snapsim
