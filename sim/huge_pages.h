// HugePageAllocator: backs large arrays with transparent huge pages.
//
// An event reads a handful of per-actor and per-message records at random
// places in arrays of tens of MiB; with 4 KiB pages most of those reads also
// miss the TLB, and the page walk (two-dimensional in a virtual machine)
// blocks even a prefetch from retiring. Arrays of kHugePageBytes or more
// allocated here are 2 MiB aligned, rounded up to whole 2 MiB pages and
// marked MADV_HUGEPAGE, so the kernel backs them with huge pages when its
// transparent-huge-page mode is "always" or "madvise" (the default of most
// distributions) and with ordinary pages otherwise. Smaller requests go to
// the ordinary allocator unchanged. Nothing observable changes but speed and
// the rounding of large arrays' memory (at most 2 MiB each).
#pragma once

#include <cstddef>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace snapsim {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// The bytes a large request of `bytes` occupies: whole huge pages.
inline constexpr std::size_t HugePageRounded(std::size_t bytes) {
  return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
}

// Allocates `bytes` (>= kHugePageBytes) on huge-page boundaries and asks the
// kernel for huge pages there. Throws std::bad_alloc like operator new.
inline void* AllocateHugePages(std::size_t bytes) {
  const std::size_t rounded = HugePageRounded(bytes);
  void* p = ::operator new (rounded, std::align_val_t{kHugePageBytes});
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  madvise(p, rounded, MADV_HUGEPAGE);  // a hint: on failure the pages stay small
#endif
  return p;
}

// Frees what AllocateHugePages returned. (Unsized: clang before 19 does
// not declare the sized forms without -fsized-deallocation.)
inline void FreeHugePages(void* p) { ::operator delete (p, std::align_val_t{kHugePageBytes}); }

template <class T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return std::allocator<T>().allocate(n);
    return static_cast<T*>(AllocateHugePages(bytes));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes)
      std::allocator<T>().deallocate(p, n);
    else
      FreeHugePages(p);
  }

  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

// A vector whose storage, once 2 MiB or more, sits on huge pages: for the
// large per-actor, per-channel and per-message arrays an event reads at
// random.
template <class T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace snapsim
