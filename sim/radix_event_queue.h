// RadixEventQueue: a monotone pending-event set (a radix heap on the 64-bit
// event time), with the same (time, seq) order as EventQueue.
//
// The engine never schedules an event before the last one popped, so times
// are monotone, and a radix heap applies: bucket 0 holds the events at
// exactly the last popped time, bucket k (1..64) those whose time first
// differs from it in bit k-1. Popping takes from bucket 0; when it is empty,
// the lowest non-empty bucket is scanned for its least time, which becomes
// the new reference, and its events are spread into lower buckets. Each event
// moves at most 64 times, in practice a few times, always by sequential scans
// of contiguous vectors, so the cost per event hardly grows with the number
// pending (benchmarks in docs/performance.md).
//
// Ties: bucket 0 is a FIFO ordered by seq. Events spread into it are sorted
// by seq, and every later push has a larger seq than any pending event
// (REQUIRES: seq increases with every push, as Engine::Schedule assigns it).
// No allocation once the buckets have grown to their peak sizes.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/event_queue.h"

namespace snapsim {

class RadixEventQueue {
 public:
  bool Empty() const { return size_ == 0; }
  std::size_t Size() const { return size_; }
  void Reserve(std::size_t n) { buckets_[0].reserve(n); }

  // REQUIRES: e.time >= the time of the last popped event; e.seq larger
  // than that of every event pushed before.
  void Push(const Event& e) {
    assert(e.time >= last_);
    buckets_[BucketOf(e.time)].push_back(e);
    ++size_;
  }

  // REQUIRES: !Empty(). The least (time, seq) event.
  const Event& Top() {
    if (head_ == buckets_[0].size()) Refill();
    return buckets_[0][head_];
  }

  // For prefetching: a pending event that pops soon after the next one, or
  // nullptr. When the current instant (bucket 0) holds d more events after
  // the next, it is exactly the one d places after the next. Otherwise it is
  // taken from the following buckets 1..kAheadBuckets in order: these hold
  // the pending times in the rest of the last pop's 256-ns-aligned block
  // (so at most 255 ns later, though not every event that close: later
  // blocks are not looked at). Each bucket holds later times than the one
  // before, but its own events are not sorted, so the event is only about d
  // places ahead.
  const Event* Ahead(std::size_t d) const {
    std::size_t i = head_ + d;
    for (std::size_t k = 0; k <= kAheadBuckets; ++k) {
      if (i < buckets_[k].size()) return &buckets_[k][i];
      i -= buckets_[k].size();
    }
    return nullptr;
  }
  static constexpr std::size_t kAheadBuckets = 8;  // times up to 255 ns after the last pop

  // REQUIRES: !Empty(). Removes and returns the least (time, seq) event.
  Event Pop() {
    if (head_ == buckets_[0].size()) Refill();
    Event e = buckets_[0][head_++];
    --size_;
    if (head_ == buckets_[0].size()) {
      buckets_[0].clear();
      head_ = 0;
    }
    return e;
  }

 private:
  std::size_t BucketOf(SimTime t) const {
    const auto diff = static_cast<std::uint64_t>(t.ns() ^ last_.ns());
    return diff == 0 ? 0 : 64 - static_cast<std::size_t>(std::countl_zero(diff));
  }

  // Bucket 0 is empty: moves the events of the lowest non-empty bucket down,
  // taking their least time as the new reference.
  void Refill() {
    buckets_[0].clear();
    head_ = 0;
    std::size_t k = 1;
    while (buckets_[k].empty()) ++k;  // REQUIRES: !Empty()
    std::vector<Event>& from = buckets_[k];
    SimTime least = from.front().time;
    for (const Event& e : from) least = std::min(least, e.time);
    last_ = least;
    for (const Event& e : from) buckets_[BucketOf(e.time)].push_back(e);
    from.clear();
    std::vector<Event>& now = buckets_[0];
    std::sort(now.begin(), now.end(), [](const Event& x, const Event& y) { return x.seq < y.seq; });
  }

  std::array<std::vector<Event>, 65> buckets_;
  std::size_t head_ = 0;  // next event of bucket 0
  std::size_t size_ = 0;
  SimTime last_{0};
};

}  // namespace snapsim
