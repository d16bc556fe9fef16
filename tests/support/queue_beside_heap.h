// QueueBesideHeap: a monotone pending-event set (RadixEventQueue,
// WindowEventQueue) and the 4-ary heap, fed the same pushes (times given,
// seq in push order), so a test can check that they pop the same events.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>

#include "sim/event_queue.h"

namespace snapsim {

template <typename Queue>
struct QueueBesideHeap {
  Queue q;
  EventQueue heap;
  std::uint64_t seq = 0;
  void Push(std::int64_t t) {
    const Event e{SimTime(t), seq++, static_cast<std::uint32_t>(seq)};
    q.Push(e);
    heap.Push(e);
  }
  // Pops one from each; they must be the same event. Returns its time.
  std::int64_t PopBoth() {
    EXPECT_EQ(q.Size(), heap.Size());
    const Event a = q.Pop(), b = heap.Pop();
    EXPECT_EQ(a.seq, b.seq);
    EXPECT_EQ(a.time, b.time);
    return a.time.ns();
  }
  // Drains both, expecting the same events in the same order.
  void ExpectTheSamePops() {
    while (!heap.Empty()) {
      ASSERT_FALSE(q.Empty());
      const Event a = q.Pop(), b = heap.Pop();
      ASSERT_EQ(a.seq, b.seq);
      ASSERT_EQ(a.time, b.time);
    }
    EXPECT_TRUE(q.Empty());
  }
};

}  // namespace snapsim
