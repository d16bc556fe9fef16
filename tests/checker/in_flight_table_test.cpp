// InFlightTable against a std::map on random sequences, with places as the
// engine gives them (pool slots reused last-freed first, a lost message's
// slot reused while the table still holds it) and as a caller with ids only
// gives them (an id's low 32 bits: ids 2^32 apart share a place), with some
// messages that stay long, some never received, repeats, and places far
// above the messages in flight.
#include "checker/in_flight_table.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

namespace snapsim::checker {
namespace {

enum class Places { kPoolSlots, kIdBits };

void RunRandomSequence(std::uint64_t seed, Places places) {
  std::mt19937_64 rng(seed);
  InFlightTable table;
  std::map<std::uint64_t, std::pair<ActorId, std::uint32_t>> model;  // id -> next_hop, place
  std::vector<std::uint64_t> live;                                   // received some day
  std::vector<std::uint32_t> free_slots;
  std::uint32_t slots = 0;
  std::uint64_t next_id = 1;
  std::size_t max_overflow = 0;
  auto new_place = [&](std::uint64_t id) -> std::uint32_t {
    if (places == Places::kIdBits) return static_cast<std::uint32_t>(id);
    if (free_slots.empty()) return slots++;
    const std::uint32_t slot = free_slots.back();
    free_slots.pop_back();
    return slot;
  };
  auto insert = [&](std::uint64_t id, std::uint32_t place) {
    const auto hop = static_cast<ActorId>(rng() % 1000);
    InFlightMessage* m = table.Insert(id, place, {{}, hop, static_cast<std::uint32_t>(id)});
    const bool fresh = model.emplace(id, std::pair{hop, place}).second;
    EXPECT_EQ(m != nullptr, fresh) << "id " << id;
    if (fresh && m) {
      EXPECT_EQ(m->next_hop, hop);
    }
    return fresh;
  };
  for (int step = 0; step < 60000; ++step) {
    // The first third sends more than it receives: the messages in flight
    // grow past the first capacity, which must grow.
    const std::uint64_t r = rng() % 100;
    const std::uint64_t sends = step < 20000 ? 70 : 45;
    if (r < sends - 4) {
      const std::uint64_t id = next_id++;
      if (insert(id, new_place(id))) live.push_back(id);
    } else if (r < sends - 3 && !model.empty()) {
      // A repeat of an id in flight, at its place: refused.
      auto it = model.lower_bound(rng() % next_id);
      if (it == model.end()) it = model.begin();
      EXPECT_EQ(table.Insert(it->first, it->second.second, {{}, 1, 0}), nullptr);
    } else if (r < sends - 2) {
      // Ids out of order: with id bits, 2^32 above one in flight (so at
      // its place; sometimes a repeat); as slots, at a place far above the
      // messages in flight.
      const std::uint64_t high = std::uint64_t{1} << 32;
      const std::uint64_t id = places == Places::kIdBits && !live.empty()
                                   ? live[rng() % live.size()] % high + high
                                   : (next_id++) + high;
      const std::uint32_t place = places == Places::kIdBits
                                      ? static_cast<std::uint32_t>(id)
                                      : static_cast<std::uint32_t>(1'000'000 + rng() % 1000);
      if (insert(id, place)) live.push_back(id);
    } else if (r < sends) {
      // Lost: never received, and its slot goes back to the pool at once.
      const std::uint64_t id = next_id++;
      const std::uint32_t place = new_place(id);
      insert(id, place);
      if (places == Places::kPoolSlots) free_slots.push_back(place);
    } else if (!live.empty()) {
      // Mostly a recent message, sometimes one far back.
      const std::size_t back =
          r < 97 ? rng() % std::min<std::size_t>(live.size(), 64) : rng() % live.size();
      const std::size_t i = live.size() - 1 - back;
      const std::uint64_t id = live[i];
      live[i] = live.back();
      live.pop_back();
      const auto [hop, place] = model.at(id);
      InFlightMessage* m = table.Find(id, place);
      ASSERT_NE(m, nullptr) << "id " << id;
      EXPECT_EQ(m->next_hop, hop);
      EXPECT_EQ(m->msg_index, static_cast<std::uint32_t>(id));
      table.Erase(id, place);
      model.erase(id);
      EXPECT_EQ(table.Find(id, place), nullptr);
      if (places == Places::kPoolSlots && place < 1'000'000) free_slots.push_back(place);
    }
    max_overflow = std::max(max_overflow, table.OverflowSize());
    ASSERT_EQ(table.Size(), model.size());
  }
  for (const auto& [id, entry] : model) {
    InFlightMessage* m = table.Find(id, entry.second);
    ASSERT_NE(m, nullptr) << "id " << id;
    EXPECT_EQ(m->next_hop, entry.first);
  }
  EXPECT_EQ(table.Find(next_id + 5, 3), nullptr);
  EXPECT_GT(max_overflow, 0u);                        // the overflow was used
  EXPECT_GT(table.Capacity(), std::size_t{1024});     // and the array grew
  EXPECT_LT(table.Capacity(), std::size_t{1} << 20);  // but not to the far places
}

TEST(CheckerInFlightTable, RefusesASecondSendOfAnIdAtAnyPlaceAndChangesNothing) {
  InFlightTable table;
  ASSERT_NE(table.Insert(10, 3, {{}, 1, 0}), nullptr);
  ASSERT_NE(table.Insert(20, 4, {{}, 2, 0}), nullptr);
  const std::size_t capacity = table.Capacity();
  // Out of order (10 is not above every id so far), at other places: one
  // in the array, one that would grow it, one in the overflow.
  EXPECT_EQ(table.Insert(10, 7, {{}, 9, 0}), nullptr);
  EXPECT_EQ(table.Insert(10, 5000, {{}, 9, 0}), nullptr);
  EXPECT_EQ(table.Insert(10, 4'000'000'000u, {{}, 9, 0}), nullptr);
  EXPECT_EQ(table.Size(), 2u);
  EXPECT_EQ(table.Capacity(), capacity);
  EXPECT_EQ(table.Find(10, 3)->next_hop, 1u);
  EXPECT_EQ(table.Find(10, 7), nullptr);  // a lookup uses the place it was sent with
  // Evicted to the overflow (a lost message's reused place), then sent again.
  ASSERT_NE(table.Insert(30, 3, {{}, 3, 0}), nullptr);
  EXPECT_EQ(table.OverflowSize(), 1u);
  EXPECT_EQ(table.Insert(10, 8, {{}, 9, 0}), nullptr);
  EXPECT_EQ(table.Find(10, 3)->next_hop, 1u);
  EXPECT_EQ(table.Find(30, 3)->next_hop, 3u);
  EXPECT_EQ(table.Size(), 3u);
}

TEST(CheckerInFlightTable, GrowsPastAnOverflowEntrysPlaceAndKeepsTheView) {
  InFlightTable table;
  // Place 5000 is far above 1 message in flight: it goes to the overflow.
  ASSERT_NE(table.Insert(1, 5000, {{}, 1, 0}), nullptr);
  EXPECT_EQ(table.OverflowSize(), 1u);
  EXPECT_EQ(table.Capacity(), 0u);
  // 1,000 more messages in flight let the array grow past 5000; another
  // message then takes place 5000, and the first is still found.
  for (std::uint64_t id = 2; id <= 1001; ++id)
    ASSERT_NE(table.Insert(id, static_cast<std::uint32_t>(id), {{}, 2, 0}), nullptr);
  ASSERT_NE(table.Insert(2000, 5000, {{}, 3, 0}), nullptr);
  EXPECT_GT(table.Capacity(), 5000u);
  EXPECT_EQ(table.Find(1, 5000)->next_hop, 1u);
  EXPECT_EQ(table.Find(2000, 5000)->next_hop, 3u);
  table.Erase(1, 5000);  // from the overflow: the array's entry stays
  EXPECT_EQ(table.Find(1, 5000), nullptr);
  EXPECT_EQ(table.Find(2000, 5000)->next_hop, 3u);
  // The engine's view follows the array.
  const PlaceArray& view = table.Entries();
  EXPECT_EQ(view.size, table.Capacity());
  EXPECT_NE(view.base, nullptr);
  EXPECT_EQ(table.Size(), 1001u);
}

TEST(CheckerInFlightTable, AgreesWithAMapWithPoolSlotsAsPlaces) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) RunRandomSequence(seed, Places::kPoolSlots);
}

TEST(CheckerInFlightTable, AgreesWithAMapWithIdBitsAsPlaces) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) RunRandomSequence(seed, Places::kIdBits);
}

}  // namespace
}  // namespace snapsim::checker
