// sim/huge_pages.h and sim/block_arena.h: large arrays sit on 2 MiB
// boundaries, small ones are ordinary; the arena's blocks never overlap,
// keep their contents, are reused after Free, and have the promised sizes.
#include "sim/huge_pages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <vector>

#include "sim/block_arena.h"

namespace snapsim {
namespace {

TEST(HugePageVector, LargeStorageIsHugePageAligned) {
  HugePageVector<std::uint64_t> large(kHugePageBytes / sizeof(std::uint64_t) + 1, 7);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large.data()) % kHugePageBytes, 0u);
  EXPECT_EQ(large.back(), 7u);
  large.resize(3 * large.size(), 9);  // grows through the allocator and keeps the contents
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large.data()) % kHugePageBytes, 0u);
  EXPECT_EQ(large.front(), 7u);
  EXPECT_EQ(large.back(), 9u);
  HugePageVector<std::uint64_t> small(10, 3);
  EXPECT_EQ(small[9], 3u);
  EXPECT_EQ(HugePageRounded(1), kHugePageBytes);
  EXPECT_EQ(HugePageRounded(kHugePageBytes), kHugePageBytes);
  EXPECT_EQ(HugePageRounded(kHugePageBytes + 1), 2 * kHugePageBytes);
}

TEST(BlockArena, CapacitiesArePowersOfTwoAndOneAndAHalfTimesThem) {
  const std::vector<std::size_t> sizes = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64};
  for (std::size_t n = 0; n <= 64; ++n) {
    const std::size_t want = n <= 1 ? 1 : *std::lower_bound(sizes.begin(), sizes.end(), n);
    EXPECT_EQ(BlockArena<std::uint64_t>::Capacity(n), want) << "n = " << n;
  }
  EXPECT_EQ(BlockArena<std::uint64_t>::Capacity((std::size_t{3} << 20) + 1), std::size_t{4} << 20);
}

// Random allocations and frees of blocks from 1 to 40,000 elements (past
// the largest block carved from a chunk, and large enough that chunks end
// with leftovers cut into free blocks): live blocks never overlap and keep
// the pattern written into them, blocks are aligned, and a freed block is
// handed out again for the next request of its size, whether blocks are
// asked for and returned by element count or by size class.
TEST(BlockArena, BlocksStayDisjointAndAreReused) {
  struct alignas(32) Cell {
    std::uint64_t owner, index, pad[2];
  };
  BlockArena<Cell> arena;
  std::mt19937_64 rng(11);
  struct Live {
    Cell* cells;
    std::size_t n;
  };
  std::map<std::uint64_t, Live> live;
  std::map<std::uintptr_t, std::uintptr_t> ranges;  // live blocks' [begin, end)
  auto overlaps = [&ranges](std::uintptr_t begin, std::uintptr_t end) {
    auto next = ranges.lower_bound(begin);
    if (next != ranges.end() && next->first < end) return true;
    return next != ranges.begin() && std::prev(next)->second > begin;
  };
  auto check = [](const Live& block, std::uint64_t owner) {
    for (std::size_t i = 0; i < block.n; ++i)
      if (block.cells[i].owner != owner || block.cells[i].index != i) return false;
    return true;
  };
  for (std::uint64_t step = 0; step < 2000; ++step) {
    if (!live.empty() && rng() % 3 == 0) {
      auto it = std::next(live.begin(), static_cast<long>(rng() % live.size()));
      ASSERT_TRUE(check(it->second, it->first)) << "block of " << it->first << " overwritten";
      ranges.erase(reinterpret_cast<std::uintptr_t>(it->second.cells));
      if (step % 2 == 0)  // by the element count or by the size class
        arena.Free(it->second.cells, it->second.n);
      else
        arena.FreeClass(it->second.cells, BlockArena<Cell>::ClassOf(it->second.n));
      if (BlockArena<Cell>::Capacity(it->second.n) * sizeof(Cell) <= kHugePageBytes / 2) {
        Cell* again = arena.Allocate(it->second.n);
        EXPECT_EQ(again, it->second.cells) << "a freed block is the next one of its size";
        arena.Free(again, it->second.n);
      }
      live.erase(it);
      continue;
    }
    const std::size_t n = rng() % 20 == 0 ? 1 + rng() % 40000 : 1 + rng() % 40;
    Cell* cells =
        step % 3 == 0 ? arena.AllocateClass(BlockArena<Cell>::ClassOf(n)) : arena.Allocate(n);
    const auto begin = reinterpret_cast<std::uintptr_t>(cells);
    ASSERT_EQ(begin % alignof(Cell), 0u);
    const std::uintptr_t end = begin + BlockArena<Cell>::Capacity(n) * sizeof(Cell);
    ASSERT_FALSE(overlaps(begin, end)) << "step " << step << ": a block of " << n << " overlaps";
    ranges[begin] = end;
    for (std::size_t i = 0; i < n; ++i) cells[i] = {step, i, {0, 0}};
    live[step] = {cells, n};
  }
  for (const auto& [owner, block] : live) EXPECT_TRUE(check(block, owner)) << owner;
}

// Carved() counts the T's carved from chunks, FreeCount() the blocks of a
// class on its free list: freeing moves blocks onto the list, and the next
// allocations take them back without carving more.
TEST(BlockArena, CountsCarvedAndFreeBlocks) {
  BlockArena<std::uint64_t> arena;
  EXPECT_EQ(arena.Carved(), 0u);
  std::uint64_t* a = arena.Allocate(1);
  std::uint64_t* b = arena.Allocate(1);
  std::uint64_t* c = arena.Allocate(4);
  EXPECT_EQ(arena.Carved(), 6u);
  const std::size_t one = BlockArena<std::uint64_t>::ClassOf(1);
  EXPECT_EQ(arena.FreeCount(one), 0u);
  arena.Free(a, 1);
  arena.Free(b, 1);
  arena.Free(c, 4);
  EXPECT_EQ(arena.FreeCount(one), 2u);
  EXPECT_EQ(arena.FreeCount(BlockArena<std::uint64_t>::ClassOf(4)), 1u);
  EXPECT_EQ(arena.Allocate(1), b);  // last freed first
  EXPECT_EQ(arena.FreeCount(one), 1u);
  EXPECT_EQ(arena.Carved(), 6u);
}

// Clear gives every block back at once, free lists and large blocks
// included, and the arena then works as a new one (OpenSnapshotTable::Reset
// relies on it: its old rows may be gone).
TEST(BlockArena, ClearStartsAfresh) {
  BlockArena<std::uint64_t> arena;
  const std::size_t one = BlockArena<std::uint64_t>::ClassOf(1);
  std::uint64_t* a = arena.Allocate(1);
  arena.Allocate(1);
  arena.Free(a, 1);
  std::uint64_t* large = arena.Allocate(kHugePageBytes / sizeof(std::uint64_t));  // its own pages
  large[0] = 1;
  ASSERT_EQ(arena.FreeCount(one), 1u);
  arena.Clear();
  EXPECT_EQ(arena.Carved(), 0u);
  EXPECT_EQ(arena.FreeCount(one), 0u);  // a kept list would hand out freed memory
  std::uint64_t* fresh = arena.Allocate(1);
  *fresh = 7;  // writable: carved from a new chunk
  EXPECT_EQ(arena.Carved(), 1u);
  EXPECT_EQ(arena.FreeCount(one), 0u);
  arena.Clear();
  arena.Clear();  // twice is fine
  EXPECT_EQ(arena.Carved(), 0u);
}

}  // namespace
}  // namespace snapsim
