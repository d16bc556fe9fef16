// PeerTable: for each actor, the topology neighbours that pass a filter,
// with uniform random choice. An actor whose peers are consecutive ids (a
// client of a dense cloud: every backend) keeps only the first and the
// count, so choosing one reads nothing beyond its row; the others share one
// CSR array (no per-actor vectors).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/huge_pages.h"
#include "sim/ids.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace snapsim {

class PeerTable {
 public:
  // Where one actor's peers are: 8 bytes, which a workload may copy into a
  // per-actor record of its own (RowOf) and then choose from (At, Pick with
  // a row) without reading this table's rows.
  struct Row {                // 8 bytes, as the CSR's begin index and one more word
    std::uint32_t first = 0;  // the first peer's id, or its index in peers_ when listed
    std::uint32_t count : 31 = 0;
    std::uint32_t listed : 1 = 0;  // peers not consecutive: they are in peers_
  };

  PeerTable() = default;
  // Keeps neighbour b of a when keep(a, b) is true (called twice per pair:
  // once to size the table, once to fill it, so the array is allocated once;
  // growing it by doubling faulted in and copied about twice its size, which
  // on a dense cloud's 10^7 client-service pairs was a quarter of a second).
  template <typename Keep>
  PeerTable(const World& world, Keep keep) {
    const std::size_t n = world.ActorCount();
    rows_.assign(n, Row{});
    std::uint32_t listed = 0;
    for (ActorId a = 0; a < n; ++a) {
      Row& row = rows_[a];
      bool consecutive = true;
      for (ActorId b : world.Neighbours(a)) {
        if (!keep(a, b)) continue;
        if (row.count == 0) row.first = b;
        consecutive = consecutive && b == row.first + row.count;
        ++row.count;
      }
      row.listed = consecutive ? 0 : 1;
      if (row.listed) {
        row.first = listed;
        listed += row.count;
      }
    }
    peers_.resize(listed);
    for (ActorId a = 0; a < n; ++a) {
      if (!rows_[a].listed) continue;
      std::uint32_t next = rows_[a].first;
      for (ActorId b : world.Neighbours(a))
        if (keep(a, b)) peers_[next++] = b;
    }
  }
  // How many peers a has.
  std::uint32_t Count(ActorId a) const { return rows_[a].count; }
  // a's row (valid until DropRows).
  const Row& RowOf(ActorId a) const { return rows_[a]; }
  // a's peer i (i < Count(a)), in the topology's neighbour order.
  ActorId At(ActorId a, std::uint32_t i) const { return At(rows_[a], i); }
  // Peer i (i < row.count) of the actor whose row this is.
  ActorId At(const Row& row, std::uint32_t i) const {
    return row.listed ? peers_[row.first + i] : row.first + i;
  }
  // A uniformly chosen peer of a (one Below(Count(a)) draw), or kNoActor
  // when it has none.
  ActorId Pick(ActorId a, RandomStream& rng) const { return Pick(rows_[a], rng); }
  // The same for the actor whose row this is.
  ActorId Pick(const Row& row, RandomStream& rng) const {
    const std::uint32_t n = row.count;
    return n == 0 ? kNoActor : At(row, static_cast<std::uint32_t>(rng.Below(n)));
  }
  // Frees the per-actor rows, for a workload that keeps copies of them:
  // afterwards only the overloads taking a Row may be called.
  void DropRows() { HugePageVector<Row>().swap(rows_); }

 private:
  HugePageVector<Row> rows_;
  HugePageVector<ActorId> peers_;
};

}  // namespace snapsim
