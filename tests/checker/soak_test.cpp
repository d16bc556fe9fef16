// The soak: many larger random traces through every check (ctest label
// "soak", not part of the default cost). Seeds come from SNAPSIM_SOAK_SEED
// (default 1) so a failure can be replayed.
#include <gtest/gtest.h>

#include <cstdlib>

#include "agreement.h"

namespace snapsim::checker {
namespace {

using testing::GenParams;
using testing::SnapshotOrder;

TEST(CheckerSoak, LargeRandomTracesAgreeWithOracle) {
  const char* env = std::getenv("SNAPSIM_SOAK_SEED");
  const std::uint64_t base = env ? std::strtoull(env, nullptr, 10) : 1;
  for (std::uint64_t i = 0; i < 60; ++i) {
    GenParams p;
    p.seed = base * 100000 + i;
    p.in_procs = 2 + static_cast<int>(i % 7);
    p.out_procs = static_cast<int>(i % 4);
    p.gateways = static_cast<int>(i % 3);
    p.steps = 1500;
    p.snapshots = 4 + static_cast<int>(i % 9);
    p.order = static_cast<SnapshotOrder>(i % 3);
    p.loss_percent = static_cast<int>(i % 30);
    const auto lines = testing::GenerateTrace(p);
    ASSERT_EQ(testing::CheckAllWays(lines, p.seed), "") << "seed " << p.seed;
    if (p.in_procs >= 2 && (p.out_procs > 0 || i % 4 == 0)) {
      const auto planted = testing::GeneratePlanted(p, static_cast<int>(i % 4), 5000);
      ASSERT_EQ(testing::CheckAllWays(planted, p.seed), "") << "planted, seed " << p.seed;
    }
  }
}

}  // namespace
}  // namespace snapsim::checker
