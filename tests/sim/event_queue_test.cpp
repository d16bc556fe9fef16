#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "sim/rng.h"

namespace snapsim {
namespace {

TEST(EventQueue, PopsInTimeThenInsertionOrder) {
  EventQueue q;
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

}  // namespace
}  // namespace snapsim
