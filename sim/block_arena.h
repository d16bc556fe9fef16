// BlockArena: many small arrays, one per actor, packed on huge pages.
//
// Hands out blocks of 1, 2, 3, 4, 6, 8, 12, ... T's (powers of two and
// one and a half times them, so a block wastes at most a third of itself),
// carved from 2 MiB chunks allocated with AllocateHugePages
// (sim/huge_pages.h), and keeps freed blocks on one free list per size for
// reuse. For per-actor arrays that grow and
// shrink during a run and are read at random (OpenSnapshotTable's entries):
// from the ordinary heap they would scatter over small pages, and a read of
// one would often miss the TLB as well as the cache. Blocks of more than half
// a chunk get huge pages of their own. Memory goes back to the system only
// when the arena is destroyed or cleared (Clear).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "sim/huge_pages.h"
#include "sim/prefetch.h"

namespace snapsim {

template <class T>
class BlockArena {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "blocks move by plain copies and are never destroyed element by element");
  static_assert(sizeof(T) >= sizeof(void*), "a free block holds the link to the next one");
  static_assert(sizeof(T) <= kHugePageBytes / 2);

 public:
  // Left at the end of every chunk and of every large block, so that memory
  // up to this many bytes past any T of a block is the arena's own (the
  // engine prefetches a few cache lines from an open-snapshot row's first
  // entry: StateArray::follow_lines).
  static constexpr std::size_t kUncarvedTail = 256;

  BlockArena() = default;
  BlockArena(const BlockArena&) = delete;
  BlockArena& operator=(const BlockArena&) = delete;
  ~BlockArena() { Clear(); }

  // Frees every block at once (memory goes back to the system) and starts
  // afresh; blocks handed out before are invalid.
  void Clear() {
    for (void* block : large_) FreeHugePages(block);
    for (std::byte* chunk : chunks_) FreeHugePages(chunk);
    large_.clear();
    chunks_.clear();
    free_.fill(nullptr);
    next_ = end_ = nullptr;
    carved_ = 0;
  }

  // The number of T's a block allocated for n holds: the smallest block size
  // of at least n (and 1).
  static std::size_t Capacity(std::size_t n) { return SizeOf(ClassOf(n)); }

  // An uninitialised block of Capacity(n) T's, aligned like T.
  T* Allocate(std::size_t n) { return AllocateClass(ClassOf(n)); }
  // The same for a block of size class cls (SizeOf(cls) T's), for callers
  // that keep the class.
  T* AllocateClass(std::size_t cls) {
    assert(cls < kClasses);
    const std::size_t bytes = sizeof(T) * SizeOf(cls);
    if (IsLarge(cls)) {
      large_.reserve(large_.size() + 1);
      void* p = AllocateHugePages(bytes + kUncarvedTail);
      large_.push_back(p);
      return static_cast<T*>(p);
    }
    if (free_[cls]) return static_cast<T*>(Pop(cls));
    if (static_cast<std::size_t>(end_ - next_) < bytes) NewChunk();
    std::byte* p = next_;
    next_ += bytes;
    carved_ += SizeOf(cls);
    return reinterpret_cast<T*>(p);
  }

  // Returns a block from Allocate(n) (same n, or any n with the same
  // capacity) for reuse.
  void Free(T* block, std::size_t n) { FreeClass(block, ClassOf(n)); }
  // Returns a block of size class cls (AllocateClass(cls), or Allocate(n)
  // with ClassOf(n) == cls) for reuse.
  void FreeClass(T* block, std::size_t cls) {
    if (IsLarge(cls)) {
      const auto it = std::find(large_.begin(), large_.end(), static_cast<void*>(block));
      assert(it != large_.end() && "BlockArena::Free: not a block of this arena");
      FreeHugePages(*it);
      *it = large_.back();
      large_.pop_back();
      return;
    }
    Push(cls, block);
  }

  // T's carved from chunks so far (in blocks in use or free; large blocks
  // not counted).
  std::size_t Carved() const { return carved_; }
  // Blocks of class cls on the free list. O(their number): for tests and
  // reports.
  std::size_t FreeCount(std::size_t cls) const {
    std::size_t n = 0;
    for (void* block = free_[cls]; block != nullptr; ++n) std::memcpy(&block, block, sizeof(void*));
    return n;
  }

  // Size classes: class 0 holds blocks of one T, class 2j+1 of 2^(j+1) and
  // class 2j+2 of 3 * 2^j (1, 2, 3, 4, 6, 8, 12, ...). A caller may keep a
  // block's class (6 bits) instead of its capacity: SizeOf(ClassOf(n)) ==
  // Capacity(n).
  static constexpr std::size_t kClasses = 64;
  static constexpr std::size_t SizeOf(std::size_t cls) {
    if (cls == 0) return 1;
    const std::size_t j = (cls - 1) / 2;
    return (cls % 2 == 1 ? std::size_t{2} : std::size_t{3}) << j;
  }
  static std::size_t ClassOf(std::size_t n) {
    if (n <= 1) return 0;
    const std::size_t pow2 = std::bit_ceil(n);  // 2^k, k >= 1: class 2k - 1
    const std::size_t k = std::bit_width(pow2) - 1;
    if (pow2 >= 4 && n <= pow2 / 4 * 3) return 2 * (k - 1);  // 3 * 2^(k-2): class 2(k-1)
    return 2 * k - 1;
  }

 private:
  // Blocks of more than half a chunk get huge pages of their own.
  static constexpr bool IsLarge(std::size_t cls) {
    return sizeof(T) * SizeOf(cls) > kHugePageBytes / 2;
  }

  void Push(std::size_t cls, void* block) {
    std::memcpy(block, &free_[cls], sizeof(void*));
    free_[cls] = block;
  }
  void* Pop(std::size_t cls) {
    void* block = free_[cls];
    std::memcpy(&free_[cls], block, sizeof(void*));
    // The next Pop reads the new head (its link), and its new owner writes
    // it: start loading it now, not when it is needed (it was freed before
    // the block just taken, often long ago).
    if (free_[cls]) PrefetchForRead(free_[cls]);
    return block;
  }
  // Starts a new chunk; what was left of the current one goes to the free
  // lists, cut into the largest blocks that fit.
  void NewChunk() {
    std::size_t left = static_cast<std::size_t>(end_ - next_) / sizeof(T);
    for (std::size_t cls = kClasses; cls-- > 0;)
      while (left >= SizeOf(cls) && !IsLarge(cls)) {
        Push(cls, next_);
        next_ += sizeof(T) * SizeOf(cls);
        left -= SizeOf(cls);
        carved_ += SizeOf(cls);
      }
    chunks_.reserve(chunks_.size() + 1);
    next_ = static_cast<std::byte*>(AllocateHugePages(kHugePageBytes));
    end_ = next_ + kHugePageBytes - kUncarvedTail;
    chunks_.push_back(next_);
  }

  std::array<void*, kClasses> free_{};
  std::byte* next_ = nullptr;
  std::byte* end_ = nullptr;
  std::vector<std::byte*> chunks_;
  std::vector<void*> large_;  // blocks of more than half a chunk
  std::size_t carved_ = 0;
};

}  // namespace snapsim
