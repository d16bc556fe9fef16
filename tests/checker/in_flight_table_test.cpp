// InFlightTable against a std::map on random sequences: mostly increasing
// ids with short lives, some that stay long (they are pushed to the
// overflow table), some never received, and ids out of any order.
#include "checker/in_flight_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <vector>

namespace snapsim::checker {
namespace {

TEST(CheckerInFlightTable, AgreesWithAMapOnRandomSequences) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::mt19937_64 rng(seed);
    InFlightTable table;
    std::map<std::uint64_t, std::uint32_t> model;  // id -> next_hop
    std::vector<std::uint64_t> live;
    std::uint64_t next_id = 0;
    std::size_t max_overflow = 0;
    auto insert = [&](std::uint64_t id) {
      const auto hop = static_cast<ActorId>(rng() % 1000);
      InFlightMessage* m = table.Insert(id, {{}, hop, static_cast<std::uint32_t>(id)});
      const bool fresh = model.emplace(id, hop).second;
      ASSERT_EQ(m != nullptr, fresh) << "id " << id;
      if (fresh) {
        EXPECT_EQ(m->next_hop, hop);
        live.push_back(id);
      }
    };
    for (int step = 0; step < 60000; ++step) {
      // The first third sends more than it receives: the window of ids in
      // flight widens past the ring, which must grow.
      const std::uint64_t r = rng() % 100;
      const std::uint64_t sends = step < 20000 ? 70 : 45;
      if (r < sends - 3) {
        insert(next_id++);
      } else if (r < sends - 1) {
        insert(rng() % (next_id + 10));  // out of order, sometimes a repeat
      } else if (r < sends) {
        // Never received: stays in flight (when next_id was taken out of
        // order already, the insert is a repeat and some other id stays).
        insert(next_id++);
        live.pop_back();
      } else if (!live.empty()) {
        // Mostly a recent message, sometimes one far back.
        const std::size_t back =
            r < 97 ? rng() % std::min<std::size_t>(live.size(), 64) : rng() % live.size();
        const std::size_t i = live.size() - 1 - back;
        const std::uint64_t id = live[i];
        live[i] = live.back();
        live.pop_back();
        InFlightMessage* m = table.Find(id);
        ASSERT_NE(m, nullptr) << "id " << id;
        EXPECT_EQ(m->next_hop, model.at(id));
        EXPECT_EQ(m->msg_index, static_cast<std::uint32_t>(id));
        table.Erase(id);
        model.erase(id);
        EXPECT_EQ(table.Find(id), nullptr);
      }
      max_overflow = std::max(max_overflow, table.OverflowSize());
      ASSERT_EQ(table.Size(), model.size());
    }
    for (const auto& [id, hop] : model) {
      InFlightMessage* m = table.Find(id);
      ASSERT_NE(m, nullptr) << "id " << id;
      EXPECT_EQ(m->next_hop, hop);
    }
    EXPECT_EQ(table.Find(next_id + 5), nullptr);
    EXPECT_GT(max_overflow, 0u);                         // the overflow was used
    EXPECT_GT(table.RingCapacity(), std::size_t{1024});  // and the ring grew
  }
}

}  // namespace
}  // namespace snapsim::checker
