// PeerTable: for each actor, the topology neighbours that pass a filter,
// with uniform random choice. An actor whose peers are consecutive ids (a
// client of a dense cloud: every backend) keeps only the first and the
// count, so choosing one reads nothing beyond its row; the others share one
// CSR array (no per-actor vectors). A workload with a per-actor record of
// its own copies an actor's peers into it as an InlineRow (12 bytes, up to
// two peers held inline) and drops the table's rows.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/huge_pages.h"
#include "sim/ids.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace snapsim {

class PeerTable {
 public:
  // An actor's peers in 12 bytes, for a per-actor record of a workload's own
  // (InlineRowOf): a list of at most kInline peers (a ring's two
  // neighbours) is held in it, so that choosing one reads nothing beyond the
  // record; a longer one is where the table's row says (consecutive ids, or
  // the table's list).
  static constexpr std::uint32_t kInline = 2;
  struct InlineRow {
    std::uint32_t count : 31 = 0;
    std::uint32_t listed : 1 = 0;  // count > kInline: the peers are in the table's list
    // count <= kInline: the peers; else word[0] is the first peer's id, or
    // its index in the table's list when listed.
    std::array<ActorId, kInline> word{};
  };
  static_assert(sizeof(InlineRow) == 12);

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
  // a's peer i (i < Count(a)), in the topology's neighbour order.
  ActorId At(ActorId a, std::uint32_t i) const { return At(rows_[a], i); }
  // A uniformly chosen peer of a (one Below(Count(a)) draw), or kNoActor
  // when it has none.
  ActorId Pick(ActorId a, RandomStream& rng) const {
    const std::uint32_t n = rows_[a].count;
    return n == 0 ? kNoActor : At(a, static_cast<std::uint32_t>(rng.Below(n)));
  }

  // a's peers as an InlineRow (valid until DropRows).
  InlineRow InlineRowOf(ActorId a) const {
    const Row& row = rows_[a];
    InlineRow r;
    r.count = row.count;
    if (row.count <= kInline) {
      for (std::uint32_t i = 0; i < row.count; ++i) r.word[i] = At(row, i);
    } else {
      r.listed = row.listed;
      r.word[0] = row.first;
    }
    return r;
  }
  // Peer i (i < r.count) of the actor whose row r is, as At.
  ActorId At(const InlineRow& r, std::uint32_t i) const {
    if (r.count <= kInline) return r.word[i];
    return r.listed ? peers_[r.word[0] + i] : r.word[0] + i;
  }
  // A uniformly chosen peer of the actor whose row r is, with the same draw
  // as Pick(a, rng), or kNoActor.
  ActorId Pick(const InlineRow& r, RandomStream& rng) const {
    return r.count == 0 ? kNoActor : At(r, static_cast<std::uint32_t>(rng.Below(r.count)));
  }
  // Frees the per-actor rows, for a workload that keeps InlineRows of its
  // own: afterwards only the overloads taking an InlineRow may be called.
  void DropRows() { HugePageVector<Row>().swap(rows_); }

 private:
  struct Row {                // 8 bytes, as the CSR's begin index and one more word
    std::uint32_t first = 0;  // the first peer's id, or its index in peers_ when listed
    std::uint32_t count : 31 = 0;
    std::uint32_t listed : 1 = 0;  // peers not consecutive: they are in peers_
  };
  ActorId At(const Row& row, std::uint32_t i) const {
    return row.listed ? peers_[row.first + i] : row.first + i;
  }
  HugePageVector<Row> rows_;
  HugePageVector<ActorId> peers_;
};

}  // namespace snapsim
