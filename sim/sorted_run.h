// SortedRun: the events a monotone pending-event set serves next
// (RadixEventQueue, WindowEventQueue): a vector sorted by (time, seq), read
// from its head, and a small 4-ary heap beside it (late) for the pushes that
// come before the vector's last event. Top and PopTop take the lesser of the
// two heads.
//
// The owner refills the vector when the run is empty (Events(), after
// Clear()) and sorts it; a push whose time is at or before the run's end
// goes through Insert, which keeps the vector sorted (appended when not
// before its last event: seq only increases) or sends it to the heap.
// Inserting it into the vector instead would move part of the vector for
// each such push.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/event_queue.h"

namespace snapsim {

class SortedRun {
 public:
  // Nothing left to serve, in the vector or the heap.
  bool Empty() const { return head_ == events_.size() && late_.Empty(); }
  // Events left in the vector (the heap not counted).
  std::size_t VectorRemaining() const { return events_.size() - head_; }
  // The vector's event d places after its next one. REQUIRES: d <
  // VectorRemaining().
  const Event& VectorAhead(std::size_t d) const { return events_[head_ + d]; }

  // The vector, for a refill to fill and sort. REQUIRES (to write): Empty(),
  // after Clear().
  std::vector<Event>& Events() { return events_; }
  const std::vector<Event>& Events() const { return events_; }
  void Clear() {
    events_.clear();
    head_ = 0;
  }

  // A push at or before the run's end. REQUIRES: e.seq larger than that of
  // every event inserted or refilled before.
  void Insert(const Event& e) {
    if (head_ == events_.size() || !(e.time < events_.back().time))
      events_.push_back(e);
    else
      late_.Push(e);
  }

  // REQUIRES: !Empty(). The least (time, seq) event of the vector's next and
  // the heap's least; PopTop takes it.
  const Event& Top() {
    top_is_late_ = NextIsLate();
    return top_is_late_ ? late_.Top() : events_[head_];
  }
  // REQUIRES: Top() was called, and no Insert, refill or PopTop since.
  Event PopTop() {
    Event e;
    if (top_is_late_) {
      e = late_.Top();
      late_.Pop();
    } else {
      e = events_[head_++];
      if (head_ == events_.size()) Clear();
    }
    return e;
  }

 private:
  bool NextIsLate() const {
    if (late_.Empty()) return false;
    if (head_ == events_.size()) return true;
    const Event& x = late_.Top();
    const Event& y = events_[head_];
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
  }

  std::vector<Event> events_;  // sorted by (time, seq)...
  std::size_t head_ = 0;       // its next event
  EventQueue late_;            // ...but for those inserted before its last event
  bool top_is_late_ = false;   // what the last Top found: the heap's least
};

}  // namespace snapsim
