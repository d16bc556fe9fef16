// Compressed rows (CSR) built without sorting everything at once.
//
// Row r of a CSR holds items[begin[r] .. begin[r + 1]). Building a table of
// adjacency or channels by pushing (row, item) pairs into one vector and
// std::sort-ing it costs O(E log E) and a second copy of every entry; on a
// dense cloud (10^7 edges) that sort was most of the set-up time. Here the
// entries are generated twice instead, once to count each row and once to
// place every item at its row's next free slot, and then each row alone is
// sorted (rows are short, and often already in order). The result is the
// same as sorting the (row, item) pairs, so runs do not change.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace snapsim {

// Fills `begin` (rows + 1 offsets) and `items` from a generator. `generate`
// is called twice with a callable `add(row, item)` and must add the same
// entries in the same order both times; row < rows.
template <typename T, typename Generate>
void BuildRows(std::size_t rows, Generate&& generate, std::vector<std::uint32_t>& begin,
               std::vector<T>& items) {
  begin.assign(rows + 1, 0);
  generate([&](std::size_t row, const T&) { ++begin[row + 1]; });
  for (std::size_t r = 1; r <= rows; ++r) begin[r] += begin[r - 1];
  items.assign(begin[rows], T{});
  std::vector<std::uint32_t> next(begin.begin(), begin.end() - 1);
  generate([&](std::size_t row, const T& item) { items[next[row]++] = item; });
}

// Sorts each row by operator< and keeps the first of each run of items that
// `same` calls equal (for a sorted row: the least), compacting in place.
template <typename T, typename Same>
void SortRowsUnique(std::vector<std::uint32_t>& begin, std::vector<T>& items, Same same) {
  const std::size_t rows = begin.size() - 1;
  std::uint32_t out = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const std::uint32_t first = begin[r], last = begin[r + 1];
    const auto f = items.begin() + first, l = items.begin() + last;
    if (!std::is_sorted(f, l)) std::sort(f, l);
    begin[r] = out;
    for (std::uint32_t i = first; i < last; ++i)
      if (out == begin[r] || !same(items[out - 1], items[i])) items[out++] = items[i];
  }
  begin[rows] = out;
  items.resize(out);
  items.shrink_to_fit();
}

}  // namespace snapsim
