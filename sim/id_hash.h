// IdHash: the hash of integer ids (message keys, snapshot ids, channels) in
// the open-addressing tables of the checker and the engine.
//
// std::hash of an integer is the identity, and ids are mostly sequential:
// under a power-of-two mask the ids in flight fill long runs of adjacent
// buckets, and a robin-hood insertion that lands in such a run shifts the
// whole run (measured: 40% of a 10^6-process run in the checker's table).
// This mixer (the MurmurHash3 64-bit finalizer) spreads them uniformly.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snapsim {

struct IdHash {
  std::size_t operator()(std::uint64_t x) const {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return static_cast<std::size_t>(x ^ (x >> 33));
  }
};

}  // namespace snapsim
