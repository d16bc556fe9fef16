#include "checker/in_flight_table.h"

#include <utility>

namespace snapsim::checker {

InFlightMessage* InFlightTable::Insert(std::uint64_t id, const InFlightMessage& m) {
  if (ring_.empty()) {
    ring_.resize(kFirstCapacity);
    mask_ = kFirstCapacity - 1;
    UpdateView();
  }
  if (lap_inserts_ == ring_.size()) EndLap();
  Entry& e = ring_[id & mask_];
  const bool taken = e.m.next_hop != kNoActor;
  if (taken && e.id == id) return nullptr;
  // An id above every id so far cannot be in flight: skip the overflow's
  // probe (a cache miss) for the engine's increasing ids.
  const bool above_all = !any_inserted_ || id > max_id_;
  if (!above_all && !overflow_.empty() && overflow_.count(id) > 0) return nullptr;
  if (above_all) {
    max_id_ = id;
    any_inserted_ = true;
  }
  if (taken) {
    overflow_.emplace(e.id, e.m);
    ++lap_evictions_;
  }
  e.id = id;
  e.m = m;
  ++count_;
  ++lap_inserts_;
  return &e.m;
}

void InFlightTable::Erase(std::uint64_t id) {
  Entry& e = ring_[id & mask_];
  if (e.m.next_hop != kNoActor && e.id == id) {
    e.m.next_hop = kNoActor;
  } else {
    overflow_.erase(id);
  }
  --count_;
}

void InFlightTable::EndLap() {
  if (lap_evictions_ * 64 > lap_inserts_ && ring_.size() <= 4 * count_) Grow();
  lap_inserts_ = 0;
  lap_evictions_ = 0;
}

void InFlightTable::Grow() {
  HugePageVector<Entry> old(ring_.size() * 2);
  old.swap(ring_);
  mask_ = ring_.size() - 1;
  UpdateView();
  // Ids at distinct places modulo the old capacity stay distinct modulo
  // twice it: the ring's entries move without collisions.
  for (const Entry& e : old)
    if (e.m.next_hop != kNoActor) ring_[e.id & mask_] = e;
  // Overflow entries come back where their place is free.
  decltype(overflow_) still;
  for (const auto& [id, m] : overflow_) {
    Entry& e = ring_[id & mask_];
    if (e.m.next_hop == kNoActor) {
      e.id = id;
      e.m = m;
    } else {
      still.emplace(id, m);
    }
  }
  overflow_ = std::move(still);
}

}  // namespace snapsim::checker
