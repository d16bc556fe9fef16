// sim/csr.h: building rows by counting and sorting each row gives exactly
// what sorting all (row, item) pairs and removing duplicates gives.
#include "sim/csr.h"

#include <gtest/gtest.h>

#include <random>
#include <utility>
#include <vector>

namespace snapsim {
namespace {

TEST(Csr, RowsEqualOneSortOfAllPairs) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 50; ++round) {
    const std::size_t rows = 1 + rng() % 40;
    const std::size_t n = rng() % 400;
    // (row, (item, tiebreak)): duplicates of item with other tiebreaks, so
    // "keep the least" is observable.
    std::vector<std::pair<std::uint32_t, std::pair<std::uint32_t, std::uint8_t>>> pairs;
    for (std::size_t i = 0; i < n; ++i)
      pairs.push_back(
          {static_cast<std::uint32_t>(rng() % rows),
           {static_cast<std::uint32_t>(rng() % 30), static_cast<std::uint8_t>(rng() % 3)}});
    using Item = std::pair<std::uint32_t, std::uint8_t>;
    std::vector<std::uint32_t> begin;
    std::vector<Item> items;
    BuildRows<Item>(
        rows,
        [&](auto&& add) {
          for (const auto& [r, item] : pairs) add(r, item);
        },
        begin, items);
    SortRowsUnique(begin, items, [](const Item& x, const Item& y) { return x.first == y.first; });

    auto want = pairs;
    std::sort(want.begin(), want.end());
    want.erase(std::unique(want.begin(), want.end(),
                           [](const auto& x, const auto& y) {
                             return x.first == y.first && x.second.first == y.second.first;
                           }),
               want.end());
    ASSERT_EQ(begin.size(), rows + 1);
    ASSERT_EQ(begin[rows], want.size());
    ASSERT_EQ(items.size(), want.size());
    for (std::uint32_t r = 0; r < rows; ++r)
      for (std::uint32_t i = begin[r]; i < begin[r + 1]; ++i) {
        EXPECT_EQ(want[i].first, r) << "round " << round;
        EXPECT_EQ(want[i].second, items[i]) << "round " << round << " row " << r;
      }
  }
}

}  // namespace
}  // namespace snapsim
