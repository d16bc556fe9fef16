#include "sim/future_arrivals.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

namespace snapsim {
namespace {

struct Traffic {
  std::uint32_t channels;    // channel ids 0..channels-1
  std::uint32_t hot;         // half the sends go to channels 0..hot-1
  std::int64_t max_step;     // the clock moves 0..max_step ns between sends
  std::int64_t max_latency;  // a send's latency is 0..max_latency ns
  SimTime start{0};          // the clock at the first send
};

// Sends `sends` messages as Engine::Transmit does (arrival = max(now +
// latency, latest); latest = arrival) through a FutureArrivals and through a
// plain array of every channel's latest arrival, and checks each answer: the
// exact latest arrival while it is ahead of the clock, else a time no later
// than now. Returns the table, for its spills and size.
FutureArrivals RunAgainstArray(const Traffic& t, int sends, std::uint64_t seed) {
  FutureArrivals table;
  table.Reset(t.channels);
  std::vector<SimTime> latest(t.channels, SimTime(0));
  std::mt19937_64 rng(seed);
  SimTime now = t.start;
  for (int i = 0; i < sends; ++i) {
    now = now + Duration(std::uniform_int_distribution<std::int64_t>(0, t.max_step)(rng));
    const bool to_hot = rng() % 2 == 0;
    const auto c = static_cast<ChannelId>(rng() % (to_hot ? t.hot : t.channels));
    SimTime& slot = table.At(c, now);
    if (latest[c] > now)
      EXPECT_EQ(slot, latest[c]) << "send " << i << ", channel " << c;
    else
      EXPECT_LE(slot, now) << "send " << i << ", channel " << c;
    const SimTime arrival =
        now + Duration(std::uniform_int_distribution<std::int64_t>(0, t.max_latency)(rng));
    slot = std::max(slot, arrival);
    latest[c] = std::max(latest[c], arrival);
    EXPECT_EQ(slot, latest[c]);
    if (::testing::Test::HasFailure()) break;
  }
  return table;
}

// Few channels in flight at once (about 20): the smallest table holds them
// but for a rare full set, and does not grow.
TEST(FutureArrivals, FewInFlightStayInTheSmallestTable) {
  const FutureArrivals table = RunAgainstArray({100000, 50, 1000, 20000}, 200000, 1);
  EXPECT_LT(table.Spills(), 200u);
  EXPECT_EQ(table.Capacity(), 64u * 5u);
}

// Thousands in flight: the table spills, reads spilled arrivals back, and
// grows, and every answer is still exact; the spilled entries held are
// only about those still ahead.
TEST(FutureArrivals, ManyInFlightSpillAndGrowExactly) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const FutureArrivals table = RunAgainstArray({200000, 3000, 10, 60000}, 300000, seed);
    EXPECT_GT(table.Spills(), 0u) << seed;
    EXPECT_GT(table.Capacity(), 64u * 5u) << seed;
    // Spills read back or due leave the spilled entries: far fewer are held
    // at the end than were ever spilled (about 5,000 spills here, of as many
    // channels; 7 to 63 held at the end).
    EXPECT_LT(table.SpilledHeld() * 20, table.Spills()) << seed;
  }
}

// More channels in flight than the table may ever hold (it stops growing at
// a way per channel, here 320 ways for 300 channels): it keeps spilling, and
// is exact.
TEST(FutureArrivals, StopsGrowingAtAWayPerChannel) {
  const FutureArrivals table = RunAgainstArray({300, 300, 1, 100000}, 100000, 7);
  EXPECT_GT(table.Spills(), 0u);
  EXPECT_EQ(table.Capacity(), 64u * 5u);
}

// Arrivals at the current time (zero latency, a clock that stands still)
// are kept like any other.
TEST(FutureArrivals, ZeroLatencyAndAStandingClock) {
  RunAgainstArray({1000, 10, 0, 0}, 20000, 3);
  RunAgainstArray({5000, 2000, 1, 3}, 50000, 4);
}

// From about 4.9 hours of simulated time on, a set's bound on its spills
// saturates (every miss in a set that has spilled reads the array): as exact.
TEST(FutureArrivals, ExactBeyondTheSetsBoundRange) {
  const FutureArrivals table =
      RunAgainstArray({200000, 3000, 10, 60000, SimTime(std::int64_t{1} << 45)}, 100000, 5);
  EXPECT_GT(table.Spills(), 0u);
}

}  // namespace
}  // namespace snapsim
