#include "checker/in_flight_table.h"

#include <algorithm>
#include <bit>

namespace snapsim::checker {

InFlightMessage* InFlightTable::Insert(std::uint64_t id, std::uint32_t place,
                                       const InFlightMessage& m) {
  if (place >= entries_.size() && CanGrowTo(place)) Grow(place);
  // An id above every id so far cannot be in flight: skip the overflow's
  // probe (a cache miss) for the engine's increasing ids.
  const bool above_all = !any_inserted_ || id > max_id_;
  InFlightMessage* added;
  if (place < entries_.size()) {
    Entry& e = entries_[place];
    const bool taken = e.m.next_hop != kNoActor;
    if (taken && e.id == id) return nullptr;
    if (!above_all && !overflow_.empty() && overflow_.count(id) > 0) return nullptr;
    if (taken) overflow_.emplace(e.id, e.m);
    e.id = id;
    e.m = m;
    added = &e.m;
  } else {
    if (!above_all && overflow_.count(id) > 0) return nullptr;
    added = &overflow_.emplace(id, m).first.value();
  }
  if (above_all) {
    max_id_ = id;
    any_inserted_ = true;
  }
  ++count_;
  return added;
}

void InFlightTable::Erase(std::uint64_t id, std::uint32_t place) {
  if (place < entries_.size()) {
    Entry& e = entries_[place];
    if (e.m.next_hop != kNoActor && e.id == id) {
      e.m.next_hop = kNoActor;
      --count_;
      return;
    }
  }
  overflow_.erase(id);
  --count_;
}

void InFlightTable::Grow(std::uint32_t place) {
  const std::size_t capacity = std::max(kFirstCapacity, std::bit_ceil(std::size_t{place} + 1));
  entries_.resize(capacity);  // new entries are free (next_hop == kNoActor)
  view_ = {reinterpret_cast<const std::byte*>(entries_.data()), capacity - 1, sizeof(Entry)};
}

}  // namespace snapsim::checker
