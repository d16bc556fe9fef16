// The pending-event set.
//
// Events are ordered by (time, seq): equal times run in insertion order, which
// makes every run deterministic. The implementation is an implicit 4-ary
// min-heap in one vector: Push and Pop are O(log4 n) moves of 32-byte events,
// with no allocation once the vector has grown to the peak pending count.
// The interface is kept narrow (Push, Pop, Top, Size) so that another
// structure (radix or ladder queue) can replace it after benchmarking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/time.h"

namespace snapsim {

enum class EventKind : std::uint8_t {
  // The next two carry the actor too (b), so handling them need not wait for
  // the message to load before it can load the actor's state.
  kArrival,        // a: pool slot of a message reaching the end of a hop, b: that end,
                   //    c: kControlArrival for a control message (for prefetching), else 0
  kServiceDone,    // a: pool slot of a message whose service at a gateway or the
                   //    controller has finished, b: that gateway or controller
  kWorkloadTimer,  // a: actor, b: timer kind, c: data
  kProtocolTimer,  // a: actor, b: timer kind, c: data
};

// Event::c of an arrival of a control message.
inline constexpr std::uint32_t kControlArrival = 1;

struct Event {
  SimTime time;
  std::uint64_t seq = 0;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::uint32_t c = 0;
  EventKind kind = EventKind::kArrival;
};

class EventQueue {
 public:
  bool Empty() const { return heap_.empty(); }
  std::size_t Size() const { return heap_.size(); }
  void Reserve(std::size_t n) { heap_.reserve(n); }
  // REQUIRES: !Empty().
  const Event& Top() const { return heap_.front(); }

  void Push(const Event& e) {
    heap_.push_back(e);
    SiftUp(heap_.size() - 1);
  }

  // REQUIRES: !Empty(). Removes and returns the least (time, seq) event.
  Event Pop() {
    Event top = heap_.front();
    Event last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) SiftDown(std::move(last));
    return top;
  }

 private:
  static constexpr std::size_t kArity = 4;
  static bool Less(const Event& x, const Event& y) {
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
  }
  void SiftUp(std::size_t i) {
    Event e = heap_[i];
    while (i > 0) {
      std::size_t parent = (i - 1) / kArity;
      if (!Less(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }
  // Places `e` (the former last element) starting from the root.
  void SiftDown(Event e) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      std::size_t first = i * kArity + 1;
      if (first >= n) break;
      std::size_t best = first;
      std::size_t end = first + kArity < n ? first + kArity : n;
      for (std::size_t c = first + 1; c < end; ++c)
        if (Less(heap_[c], heap_[best])) best = c;
      if (!Less(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }
  std::vector<Event> heap_;
};

}  // namespace snapsim
