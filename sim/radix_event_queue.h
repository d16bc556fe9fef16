// RadixEventQueue: a monotone pending-event set (a radix heap on the 64-bit
// event time), with the same (time, seq) order as EventQueue.
//
// The engine never schedules an event before the last one popped, so times
// are monotone, and a radix heap applies: bucket 0 holds the events at
// exactly the last popped time, bucket k (1..64) those whose time first
// differs from it in bit k-1. Popping takes from bucket 0; when it is empty,
// the lowest non-empty bucket is scanned for its least time, which becomes
// the new reference, and its events are spread into lower buckets. Each event
// moves at most 64 times, in practice a few times, always by sequential scans,
// so the cost per event hardly grows with the number pending (benchmarks in
// docs/performance.md).
//
// Storage: bucket 0 is a vector (sorted, indexed). Buckets 1..64 are lists of
// segments of about 64 KiB drawn from one pool carved from 2 MiB huge-page
// chunks (31 to a chunk); a refill hands each segment back to the pool as
// soon as it has been spread, so the pool holds about the events pending
// (plus one partly filled segment per bucket), not every bucket's peak.
// With one vector per bucket, each bucket kept its own peak capacity and
// grew by reallocation: more memory, and at 10^7 pending, page faults and
// copies of whole buckets for many passes.
//
// Ties: bucket 0 is a FIFO ordered by seq. Events spread into it are sorted
// by seq, and every later push has a larger seq than any pending event
// (REQUIRES: seq increases with every push, as Engine::Schedule assigns it).
// No allocation once the pool and bucket 0 have grown to their peak sizes.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "sim/event_queue.h"
#include "sim/huge_pages.h"

namespace snapsim {

class RadixEventQueue {
 public:
  RadixEventQueue() = default;
  RadixEventQueue(const RadixEventQueue&) = delete;
  RadixEventQueue& operator=(const RadixEventQueue&) = delete;
  ~RadixEventQueue() {
    for (void* chunk : chunks_) FreeHugePages(chunk);
  }

  bool Empty() const { return size_ == 0; }
  std::size_t Size() const { return size_; }

  // Segments carved from the pool so far (in use or free). The pool's
  // memory is its 2 MiB chunks, 31 segments each: this / 31, rounded up.
  std::size_t SegmentsCarved() const {
    return chunks_.empty() ? 0 : (chunks_.size() - 1) * kSegmentsPerChunk + carved_;
  }
  static constexpr std::size_t kEventsPerSegment = 2049;

  // REQUIRES: e.time >= the time of the last popped event; e.seq larger
  // than that of every event pushed before.
  void Push(const Event& e) {
    assert(e.time >= last_);
    const std::size_t k = BucketOf(e.time);
    if (k == 0)
      now_.push_back(e);
    else
      Append(lists_[k], e);
    ++size_;
  }

  // REQUIRES: !Empty(). The least (time, seq) event.
  const Event& Top() {
    if (head_ == now_.size()) Refill();
    return now_[head_];
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
    if (i < now_.size()) return &now_[i];
    i -= now_.size();
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
  static constexpr std::size_t kAheadBuckets = 8;  // times up to 255 ns after the last pop

  // REQUIRES: !Empty(). Removes and returns the least (time, seq) event.
  Event Pop() {
    if (head_ == now_.size()) Refill();
    Event e = now_[head_++];
    --size_;
    if (head_ == now_.size()) {
      now_.clear();
      head_ = 0;
    }
    return e;
  }

 private:
  // 65,600 bytes: a 32-byte header (alignas keeps the events on 32-byte
  // boundaries, two to a cache line) and 2,049 events. Large, because scans
  // restart their hardware prefetch at every segment: with 4 KiB segments a
  // hold cost 69 ns at 10^7 pending, with 64 KiB 44 (docs/performance.md).
  // One cache line over 64 KiB, so that the starts of a chunk's segments,
  // where a bucket with few events writes, fall in 31 different cache sets
  // rather than one.
  struct Segment {
    Segment* next = nullptr;
    alignas(32) Event events[kEventsPerSegment];
  };
  static_assert(sizeof(Segment) == 65600);
  static constexpr std::size_t kSegmentsPerChunk = kHugePageBytes / sizeof(Segment);

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

  void Append(List& list, const Event& e) {
    if (list.end == list.limit) Grow(list);
    *list.end++ = e;
  }

  // The tail is full (or there is none): links a new one.
  void Grow(List& list) {
    Segment* s = TakeSegment();
    if (list.tail == nullptr)
      list.head = s;
    else
      list.tail->next = s;
    list.tail = s;
    ++list.segments;
    list.end = s->events;
    list.limit = s->events + kEventsPerSegment;
  }

  // An empty segment: the most recently released one (still in the cache),
  // or a new one carved from the current chunk.
  Segment* TakeSegment() {
    if (Segment* s = free_) {
      free_ = s->next;
      s->next = nullptr;
      return s;
    }
    if (carved_ == kSegmentsPerChunk) {
      chunks_.reserve(chunks_.size() + 1);
      chunks_.push_back(AllocateHugePages(kHugePageBytes));
      carved_ = 0;
    }
    return new (static_cast<Segment*>(chunks_.back()) + carved_++) Segment;
  }

  void ReleaseSegment(Segment* s) {
    s->next = free_;
    free_ = s;
  }

  // Bucket 0 is empty: moves the events of the lowest non-empty bucket down,
  // taking their least time as the new reference.
  void Refill() {
    now_.clear();
    head_ = 0;
    std::size_t k = 1;
    while (lists_[k].Empty()) ++k;  // REQUIRES: !Empty()
    const List from = lists_[k];
    lists_[k] = List{};
    // Every segment of `from` is full but the tail, which ends at from.end.
    const auto end_of = [&](const Segment* s) {
      return s == from.tail ? static_cast<const Event*>(from.end) : s->events + kEventsPerSegment;
    };
    SimTime least = from.head->events[0].time;
    for (const Segment* s = from.head; s != nullptr; s = s->next) {
      const Event* stop = end_of(s);
      for (const Event* e = s->events; e != stop; ++e) least = std::min(least, e->time);
    }
    last_ = least;
    for (Segment* s = from.head; s != nullptr;) {
      const Event* stop = end_of(s);
      for (const Event* e = s->events; e != stop; ++e) {
        const std::size_t to = BucketOf(e->time);  // < k
        if (to == 0)
          now_.push_back(*e);
        else
          Append(lists_[to], *e);
      }
      Segment* next = s->next;
      ReleaseSegment(s);  // spread: reusable by the next Append
      s = next;
    }
    std::sort(now_.begin(), now_.end(),
              [](const Event& x, const Event& y) { return x.seq < y.seq; });
  }

  std::vector<Event> now_;        // bucket 0: the events at time last_, by seq
  std::size_t head_ = 0;          // next event of bucket 0
  std::array<List, 65> lists_{};  // buckets 1..64 (index 0 unused)
  std::size_t size_ = 0;
  SimTime last_{0};
  Segment* free_ = nullptr;                 // released segments, linked by next
  std::vector<void*> chunks_;               // 2 MiB each, freed with the queue
  std::size_t carved_ = kSegmentsPerChunk;  // segments handed out of chunks_.back()
};

}  // namespace snapsim
