#include "sim/snapshot_log.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace snapsim {
namespace {

// The tallied fields of a record, to compare a flushed log with a model.
struct Tallied {
  std::optional<SimTime> first_local, last_local;
  std::uint32_t processes_recorded = 0, channels_recorded = 0;
  std::int64_t state_sum = 0;
  bool operator==(const Tallied&) const = default;
};

Tallied Of(const SnapshotRecord& r) {
  return {r.first_local, r.last_local, r.processes_recorded, r.channels_recorded, r.state_sum};
}

// Local snapshots and channel states at random ids, dense from 1 and far
// beyond the index (sparse records), tallied through SnapshotLog::Tally and
// added to a model directly: after FlushTallies every record agrees.
TEST(SnapshotLog, FlushedTalliesEqualDirectUpdates) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    SnapshotLog log;
    std::map<SnapshotId, Tallied> model;
    std::size_t sparse = 0;
    for (std::int64_t now = 0; now < 2000; ++now) {
      const SnapshotId id = rng() % 4 == 0 ? 1'000'000 + rng() % 50 : 1 + rng() % 200;
      log.Get(id);
      sparse += log.IndexedTally(id) == nullptr;
      Tallied& m = model[id];
      if (rng() % 2) {
        const std::int64_t state = static_cast<std::int64_t>(rng() % 100) - 50;
        log.Tally(id).AddLocal(SimTime(now), state);
        if (!m.first_local) m.first_local = SimTime(now);
        m.last_local = SimTime(now);
        ++m.processes_recorded;
        m.state_sum += state;
      } else {
        ++log.Tally(id).channels_recorded;
        ++m.channels_recorded;
      }
    }
    EXPECT_GT(sparse, 100u) << "seed " << seed << ": the sparse path was not exercised";
    const SnapshotLog copy = log;  // a copy comes flushed
    log.FlushTallies();
    ASSERT_EQ(log.All().size(), model.size());
    for (const auto& [id, r] : log.All()) {
      EXPECT_EQ(Of(r), model[id]) << "seed " << seed << " id " << id;
      EXPECT_EQ(Of(copy.All().at(id)), model[id]) << "copy, seed " << seed << " id " << id;
    }
    // Flushing again adds nothing.
    log.FlushTallies();
    for (const auto& [id, r] : log.All()) EXPECT_EQ(Of(r), model[id]) << "second flush";
  }
}

}  // namespace
}  // namespace snapsim
