#include "checker/in_flight_table.h"

#include <algorithm>
#include <bit>

namespace snapsim::checker {

InFlightMessage* InFlightTable::Insert(std::uint64_t id, std::uint32_t place,
                                       const InFlightMessage& m) {
  // An id above every id so far cannot be in flight: skip the duplicate
  // checks (the overflow's probe is a cache miss) for the engine's
  // increasing ids.
  const bool above_all = !any_inserted_ || id > max_id_;
  if (!above_all && InFlight(id, place)) return nullptr;  // nothing changed
  if (place >= entries_.size() && CanGrowTo(place)) Grow(place);
  InFlightMessage* added;
  if (place < entries_.size()) {
    Entry& e = entries_[place];
    if (e.m.next_hop != kNoActor) overflow_.emplace(e.id, e.m);  // another message
    e.id = id;
    e.m = m;
    added = &e.m;
  } else {
    added = &overflow_.emplace(id, m).first.value();
  }
  if (above_all) {
    max_id_ = id;
    any_inserted_ = true;
  }
  if (place != static_cast<std::uint32_t>(id)) other_places_ = true;
  ++count_;
  return added;
}

bool InFlightTable::InFlight(std::uint64_t id, std::uint32_t place) {
  if (AtPlace(id, place) || (!overflow_.empty() && overflow_.count(id) > 0)) return true;
  // When places other than ids' low 32 bits are in use, the id may have
  // been sent with another place (a malformed call sequence): look
  // everywhere, so that a second send of one id is refused whatever its
  // place. Only ids out of order come here, never the engine's (which
  // increase); callers with ids only never scan.
  if (place == static_cast<std::uint32_t>(id) && !other_places_) return false;
  for (const Entry& e : entries_)
    if (e.m.next_hop != kNoActor && e.id == id) return true;
  return false;
}

void InFlightTable::Erase(std::uint64_t id, std::uint32_t place) {
  if (Entry* e = AtPlace(id, place))
    e->m.next_hop = kNoActor;
  else
    overflow_.erase(id);
  --count_;
}

void InFlightTable::Grow(std::uint32_t place) {
  const std::size_t capacity = std::max(kFirstCapacity, std::bit_ceil(std::size_t{place} + 1));
  entries_.resize(capacity);  // new entries are free (next_hop == kNoActor)
  view_ = {reinterpret_cast<const std::byte*>(entries_.data()), capacity, sizeof(Entry)};
}

}  // namespace snapsim::checker
