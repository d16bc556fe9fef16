// SortedRun's promises: Insert keeps the vector sorted or sends the event to
// the heap beside it; Top and PopTop take the lesser (time, seq) of the two
// heads; the vector empties itself when its last event is taken.
#include "sim/sorted_run.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "sim/event_queue.h"

namespace snapsim {
namespace {

Event At(std::int64_t t, std::uint64_t seq) {
  return Event{SimTime(t), seq, static_cast<std::uint32_t>(seq)};
}

std::vector<std::uint64_t> DrainSeqs(SortedRun& run) {
  std::vector<std::uint64_t> seqs;
  while (!run.Empty()) {
    run.Top();
    seqs.push_back(run.PopTop().seq);
  }
  return seqs;
}

TEST(SortedRun, InsertsBeforeTheLastEventGoToTheHeapAndPopInOrder) {
  SortedRun run;
  for (std::uint64_t s = 0; s < 4; ++s) run.Events().push_back(At(10 * (s + 1), s));  // 10..40
  run.Insert(At(40, 4));  // a tie with the last event: appended (larger seq)
  run.Insert(At(25, 5));  // before the last: the heap
  run.Insert(At(10, 6));  // ties the first, later seq
  run.Insert(At(5, 7));   // before everything
  EXPECT_EQ(run.VectorRemaining(), 5u);
  EXPECT_EQ(run.VectorAhead(4).seq, 4u);
  EXPECT_EQ(DrainSeqs(run), (std::vector<std::uint64_t>{7, 0, 6, 1, 5, 2, 3, 4}));
  EXPECT_TRUE(run.Events().empty());  // cleared when its last event went
}

TEST(SortedRun, AnEmptyVectorTakesInsertsAndTheHeapStillServesFirst) {
  SortedRun run;
  run.Events().push_back(At(50, 0));
  run.Insert(At(20, 1));  // heap
  run.Top();
  EXPECT_EQ(run.PopTop().seq, 1u);
  run.Top();
  EXPECT_EQ(run.PopTop().seq, 0u);
  EXPECT_TRUE(run.Empty());
  run.Insert(At(60, 2));  // an empty vector takes any time
  run.Insert(At(55, 3));  // before its last: the heap
  EXPECT_EQ(DrainSeqs(run), (std::vector<std::uint64_t>{3, 2}));
}

}  // namespace
}  // namespace snapsim
