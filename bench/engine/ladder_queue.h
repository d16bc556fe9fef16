// LadderQueue (and ArrayLadderQueue): the ladder queue of Tang, Goh and Thng ("Ladder Queue: An
// O(1) Priority Queue Structure for Large-Scale Discrete Event Simulation", ACM TOMACS 15(3),
// 2005), written for the hold-model comparison of the pending-event sets (event_queue_bench.cpp);
// the engine does not use it. Same (time, seq) order as EventQueue and RadixEventQueue; any push
// time (not only monotone ones), as long as the times pending span less than 2^62 ns.
//
// Three tiers. Top: an unsorted list of the events at or after top_start_.
// Ladder: rungs of buckets; rung 0 spreads Top over buckets of width about
// (max - min) / count, and a bucket of more than kThreshold events, not all
// at one time, spawns a finer rung below (kMaxRungs at most). Bottom: sorted,
// the events of the earliest bucket that was not split, and pushes earlier
// than every rung's current bucket. A pop takes from Bottom; when it is empty, the
// earliest non-empty bucket of the deepest rung is split or sorted into it,
// and when the ladder is empty Top moves to rung 0. A push goes to Top, to
// the first rung whose current bucket starts at or before its time, or is
// inserted into Bottom.
//
// The bucket store is a parameter. LadderQueue's buckets are linked lists,
// as in the paper: nodes in one pool (indices, with a free list), so nothing
// is allocated once the pool, the rungs' bucket arrays, Bottom and the
// scratch vector have grown to their peak sizes. ArrayLadderQueue's are
// vectors, a variant. Two simplifications: Bottom is a sorted vector, not a
// list, and an oversized Bottom is never moved back into a rung.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/event_queue.h"

namespace snapsim {

// Buckets as linked lists, as in the paper: nodes in one pool, by index, with
// a free list.
class LinkedBuckets {
 public:
  using Bucket = std::uint32_t;  // the first node, or kEmpty
  static constexpr Bucket kEmpty = std::numeric_limits<std::uint32_t>::max();
  static Bucket NewBucket() { return kEmpty; }

  static bool IsEmpty(Bucket b) { return b == kEmpty; }

  void Add(Bucket& head, const Event& e) {
    std::uint32_t n;
    if (free_ != kEmpty) {
      n = free_;
      free_ = nodes_[n].next;
    } else {
      n = static_cast<std::uint32_t>(nodes_.size());
      nodes_.push_back({});
    }
    nodes_[n] = {e, head};
    head = n;
  }

  // Moves the bucket's events into `out` (cleared first) and empties it,
  // returning its nodes to the pool.
  void TakeAll(Bucket& head, std::vector<Event>& out) {
    out.clear();
    for (std::uint32_t n = head; n != kEmpty;) {
      out.push_back(nodes_[n].event);
      const std::uint32_t next = nodes_[n].next;
      nodes_[n].next = free_;
      free_ = n;
      n = next;
    }
    head = kEmpty;
  }

  // Makes `buckets` n empty buckets.
  static void Reset(std::vector<Bucket>& buckets, std::size_t n) { buckets.assign(n, kEmpty); }

 private:
  struct Node {
    Event event;
    std::uint32_t next;
  };
  std::vector<Node> nodes_;
  std::uint32_t free_ = kEmpty;
};

// Buckets as arrays (a vector each, kept with its capacity across spawns): a
// variant, not the paper's, to see what the lists cost.
class ArrayBuckets {
 public:
  using Bucket = std::vector<Event>;
  static Bucket NewBucket() { return {}; }
  static bool IsEmpty(const Bucket& b) { return b.empty(); }
  static void Add(Bucket& b, const Event& e) { b.push_back(e); }
  static void TakeAll(Bucket& b, std::vector<Event>& out) {
    out.clear();
    out.swap(b);
  }
  static void Reset(std::vector<Bucket>& buckets, std::size_t n) {
    if (buckets.size() < n) buckets.resize(n);
    for (std::size_t i = 0; i < n; ++i) buckets[i].clear();
  }
};

template <class Store>
class LadderQueueOf {
 public:
  bool Empty() const { return size_ == 0; }
  std::size_t Size() const { return size_; }

  void Push(const Event& e) {
    ++size_;
    const std::int64_t t = e.time.ns();
    if (t >= top_start_) {
      store_.Add(top_, e);
      top_min_ = std::min(top_min_, t);
      top_max_ = std::max(top_max_, t);
      return;
    }
    for (std::size_t r = 0; r < rungs_used_; ++r) {
      Rung& rung = rungs_[r];
      if (t >= rung.start + static_cast<std::int64_t>(rung.current) * rung.width) {
        store_.Add(rung.buckets[static_cast<std::size_t>((t - rung.start) / rung.width)], e);
        ++rung.count;
        return;
      }
    }
    // Earlier than every rung's current bucket: into Bottom, kept sorted
    // (descending, so that the least event is at the back).
    bottom_.insert(std::upper_bound(bottom_.begin(), bottom_.end(), e, Later), e);
  }

  // REQUIRES: !Empty(). The least (time, seq) event.
  const Event& Top() {
    if (bottom_.empty()) FillBottom();
    return bottom_.back();
  }

  // REQUIRES: !Empty(). Removes and returns the least (time, seq) event.
  Event Pop() {
    if (bottom_.empty()) FillBottom();
    const Event e = bottom_.back();
    bottom_.pop_back();
    --size_;
    return e;
  }

 private:
  static constexpr std::size_t kThreshold = 50;  // the paper's THRES
  static constexpr std::size_t kMaxRungs = 8;    // deeper buckets are sorted whatever their size
  struct Rung {
    std::int64_t start = 0;
    std::int64_t width = 1;
    std::size_t current = 0;                      // buckets before it are spent
    std::size_t count = 0;                        // events in its buckets
    std::vector<typename Store::Bucket> buckets;  // the first `n` are in use
  };

  // Descending (time, seq): Bottom's order.
  static bool Later(const Event& x, const Event& y) {
    return x.time > y.time || (x.time == y.time && x.seq > y.seq);
  }

  // Opens a rung below the used ones over [start, start + span) with about
  // one bucket per event of `events`, and spreads them into it.
  void Spawn(std::int64_t start, std::int64_t span, const std::vector<Event>& events) {
    if (rungs_used_ == rungs_.size()) rungs_.emplace_back();
    Rung& rung = rungs_[rungs_used_++];
    rung.start = start;
    rung.width = std::max<std::int64_t>(1, span / static_cast<std::int64_t>(events.size()));
    rung.current = 0;
    rung.count = events.size();
    const auto n = static_cast<std::size_t>((span + rung.width - 1) / rung.width);
    Store::Reset(rung.buckets, n);
    for (const Event& e : events)
      store_.Add(rung.buckets[static_cast<std::size_t>((e.time.ns() - start) / rung.width)], e);
  }

  // Bottom is empty and the queue is not: refills it from the ladder,
  // moving Top to a new rung 0 first when the ladder is empty.
  void FillBottom() {
    for (;;) {
      if (rungs_used_ == 0) {
        store_.TakeAll(top_, scratch_);
        const std::int64_t min = top_min_, max = top_max_;
        top_min_ = std::numeric_limits<std::int64_t>::max();
        top_max_ = std::numeric_limits<std::int64_t>::min();
        top_start_ = max + 1;
        Spawn(min, max - min + 1, scratch_);
      }
      Rung& rung = rungs_[rungs_used_ - 1];
      if (rung.count == 0) {  // spent: back to the rung above
        --rungs_used_;
        continue;
      }
      // count > 0, and every event sits at current or after: the scan stops.
      while (Store::IsEmpty(rung.buckets[rung.current])) ++rung.current;
      const std::size_t b = rung.current++;
      store_.TakeAll(rung.buckets[b], scratch_);
      rung.count -= scratch_.size();
      const std::int64_t start = rung.start + static_cast<std::int64_t>(b) * rung.width;
      const auto [lo, hi] =
          std::minmax_element(scratch_.begin(), scratch_.end(),
                              [](const Event& x, const Event& y) { return x.time < y.time; });
      if (scratch_.size() > kThreshold && lo->time != hi->time && rung.width > 1 &&
          rungs_used_ < kMaxRungs) {
        // rung.current has moved past b, so later pushes into b's span go to the new rung.
        Spawn(start, rung.width, scratch_);
        continue;
      }
      std::sort(scratch_.begin(), scratch_.end(), Later);
      bottom_.assign(scratch_.begin(), scratch_.end());
      return;
    }
  }

  Store store_;
  typename Store::Bucket top_ = Store::NewBucket();
  std::int64_t top_start_ = std::numeric_limits<std::int64_t>::min();  // empty ladder: all to Top
  std::int64_t top_min_ = std::numeric_limits<std::int64_t>::max();
  std::int64_t top_max_ = std::numeric_limits<std::int64_t>::min();
  std::vector<Rung> rungs_;
  std::size_t rungs_used_ = 0;
  std::vector<Event> bottom_;   // descending (time, seq)
  std::vector<Event> scratch_;  // a bucket being split or sorted
  std::size_t size_ = 0;
};

using LadderQueue = LadderQueueOf<LinkedBuckets>;      // the paper's
using ArrayLadderQueue = LadderQueueOf<ArrayBuckets>;  // the variant

}  // namespace snapsim
