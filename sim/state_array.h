// StateArray and PlaceArray: where a plug-in keeps one fixed-size record per
// actor, or per message in flight, so the engine can prefetch the record an
// event will read a few events ahead with no call per event
// (Workload::PrefetchTarget, Protocol::PrefetchTarget,
// TraceSink::MessagePrefetchTarget).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "sim/ids.h"
#include "sim/prefetch.h"

namespace snapsim {

// Actor a's record starts at `base + a * stride` bytes. An empty array
// (base null) means the plug-in has no such record. When base is set it holds
// one record per actor id below World::ActorCount(), gateways and the
// controller included, and must not move until the run ends.
struct StateArray {
  static constexpr std::size_t kNoFollow = ~std::size_t{0};
  const std::byte* base = nullptr;
  std::size_t stride = 0;
  // When set, each record holds at this byte offset a pointer (possibly
  // null) to more of the actor's state, which the engine prefetches one
  // stage later, once the record itself is in cache (PrefetchFollow).
  std::size_t follow = kNoFollow;
  // How many cache lines PrefetchFollow loads from where the pointer points
  // (all of them must lie in memory the plug-in owns, even past the state
  // itself).
  std::size_t follow_lines = 1;

  // Prefetches actor a's record (its first cache line), if there is one.
  void Prefetch(ActorId a) const {
    if (base) PrefetchForRead(base + a * stride);
  }
  // Prefetches what the pointer at `follow` in a's record points to (its
  // first follow_lines cache lines), if there is one. Reads the record: best
  // after Prefetch(a) had time.
  void PrefetchFollow(ActorId a) const {
    if (!base || follow == kNoFollow) return;
    const void* p = nullptr;
    std::memcpy(&p, base + a * stride + follow, sizeof p);
    if (!p) return;
    for (std::size_t line = 0; line < follow_lines; ++line)
      PrefetchForRead(static_cast<const std::byte*>(p) + 64 * line);
  }
};

// Up to two record arrays a plug-in names for the same actor (unused ones
// empty).
using StateArrays = std::array<StateArray, 2>;

// Message records by place (MessageRef::place, sim/trace_sink.h): places
// below `size` have a record each, at `base + place * stride` bytes (a
// message at a larger place has its record elsewhere, or none). Its owner
// keeps the struct current when the array moves or grows (the engine reads
// it through a pointer at every prefetch). An empty array has no records.
struct PlaceArray {
  const std::byte* base = nullptr;
  std::size_t size = 0;
  std::size_t stride = 0;

  // Prefetches the first cache line of the record at `place`, if the array
  // has one.
  void Prefetch(std::uint32_t place) const {
    if (place < size) PrefetchForRead(base + place * stride);
  }
};

}  // namespace snapsim
