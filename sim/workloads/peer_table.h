// PeerTable: for each actor, the topology neighbours that pass a filter,
// stored as one CSR array (no per-actor vectors), with uniform random choice.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/huge_pages.h"
#include "sim/ids.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace snapsim {

class PeerTable {
 public:
  PeerTable() = default;
  // Keeps neighbour b of a when keep(a, b) is true (called twice per pair:
  // once to size the table, once to fill it, so the array is allocated once;
  // growing it by doubling faulted in and copied about twice its size, which
  // on a dense cloud's 10^7 client-service pairs was a quarter of a second).
  template <typename Keep>
  PeerTable(const World& world, Keep keep) {
    const std::size_t n = world.ActorCount();
    begin_.assign(n + 1, 0);
    for (ActorId a = 0; a < n; ++a) {
      std::uint32_t kept = 0;
      for (ActorId b : world.Neighbours(a)) kept += keep(a, b) ? 1 : 0;
      begin_[a + 1] = begin_[a] + kept;
    }
    peers_.resize(begin_[n]);
    for (ActorId a = 0; a < n; ++a) {
      std::uint32_t next = begin_[a];
      for (ActorId b : world.Neighbours(a))
        if (keep(a, b)) peers_[next++] = b;
    }
  }
  std::span<const ActorId> Of(ActorId a) const {
    return {peers_.data() + begin_[a], begin_[a + 1] - begin_[a]};
  }
  // A uniformly chosen peer of a, or kNoActor when it has none.
  ActorId Pick(ActorId a, RandomStream& rng) const {
    const std::uint32_t n = begin_[a + 1] - begin_[a];
    return n == 0 ? kNoActor : peers_[begin_[a] + rng.Below(n)];
  }

 private:
  HugePageVector<std::uint32_t> begin_;
  HugePageVector<ActorId> peers_;
};

}  // namespace snapsim
