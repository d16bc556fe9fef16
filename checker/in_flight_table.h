// InFlightTable: the online checker's messages in flight, by id and place.
//
// A message's entry lives at its place (MessageRef::place, sim/trace_sink.h)
// in an array: the engine gives its pool slot, so the entries are laid out
// as the engine's messages are. A slot is reused as soon as its message is
// received, so a send writes an entry that was in the cache a moment
// before, and the engine can prefetch a hop's entry from the arrival event
// alone, in the same step as the message. (Until the twenty-fourth pass the
// entries were in a ring by id modulo its size: a send wrote where the ring
// had last been a lap before, a hop's entry could be found only once the
// message, with its id, was loaded, and messages slower than a lap of sends
// went to the overflow table: docs/performance.md.)
//
// A place that holds another message in flight (a lost message's slot,
// which the engine reuses; or, from a caller that gives ids only, an id
// 2^32 away) pushes the older message into an overflow hash table; a place
// far above the messages in flight (from 1,024 and eight times their number)
// goes there itself, so the array stays below 16 times the peak number in
// flight (a power of two). Any ids and places work, as long as each message
// keeps its place at every hop; only the speed depends on them. A second
// send of an id in flight is refused at any place: in O(1) for an id above
// every id so far (the engine's) or when every place so far was its id's
// low 32 bits (callers with ids only), by a probe of its place and the
// overflow and then a scan of the array otherwise.
#pragma once

#include <tsl/robin_map.h>

#include <cstdint>

#include "checker/cut_pass.h"
#include "sim/huge_pages.h"
#include "sim/id_hash.h"
#include "sim/ids.h"
#include "sim/state_array.h"

namespace snapsim::checker {

// One message in flight: all a hop reads, in one entry.
struct InFlightMessage {
  CutPass::MessageCut cut;
  ActorId next_hop = kNoActor;  // the actor it was sent or forwarded to
  std::uint32_t msg_index = 0;  // in the recorded trace
};

class InFlightTable {
 public:
  // Adds message `id` at `place`; returns its entry, or nullptr when `id`
  // is in flight already, at any place (then nothing changes). REQUIRES:
  // m.next_hop != kNoActor.
  InFlightMessage* Insert(std::uint64_t id, std::uint32_t place, const InFlightMessage& m);
  // The entry of `id` (at `place`, the one it was inserted with), or
  // nullptr. Valid until the next Insert or Erase.
  InFlightMessage* Find(std::uint64_t id, std::uint32_t place) {
    if (Entry* e = AtPlace(id, place)) return &e->m;
    if (overflow_.empty()) return nullptr;
    auto it = overflow_.find(id);
    return it == overflow_.end() ? nullptr : &it.value();
  }
  // Removes `id` (at `place`). REQUIRES: it is in flight.
  void Erase(std::uint64_t id, std::uint32_t place);
  std::size_t Size() const { return count_; }
  std::size_t Capacity() const { return entries_.size(); }
  std::size_t OverflowSize() const { return overflow_.size(); }
  // Where the entry at each place is, kept current as the array grows.
  const PlaceArray& Entries() const { return view_; }

 private:
  struct Entry {
    std::uint64_t id = 0;
    InFlightMessage m;  // free while m.next_hop == kNoActor
  };
  static_assert(sizeof(Entry) == 32, "two entries per cache line");
  static constexpr std::size_t kFirstCapacity = 1024;

  // The array's entry at `place` when it holds `id` in flight, or nullptr.
  Entry* AtPlace(std::uint64_t id, std::uint32_t place) {
    if (place >= entries_.size()) return nullptr;
    Entry& e = entries_[place];
    return e.m.next_hop != kNoActor && e.id == id ? &e : nullptr;
  }
  // Whether `id` is in flight (at `place`, or anywhere: see the header).
  bool InFlight(std::uint64_t id, std::uint32_t place);
  // Whether `place`, above the array, is near enough to grow it to.
  bool CanGrowTo(std::uint32_t place) const {
    return place < kFirstCapacity || place / 8 <= count_;
  }
  // Grows the array (a power of two) to hold `place`; entries keep theirs.
  void Grow(std::uint32_t place);

  HugePageVector<Entry> entries_;
  PlaceArray view_;
  tsl::robin_map<std::uint64_t, InFlightMessage, IdHash> overflow_;
  std::size_t count_ = 0;
  std::uint64_t max_id_ = 0;  // the largest id inserted (any_inserted_)
  bool any_inserted_ = false;
  bool other_places_ = false;  // some place was not its id's low 32 bits
};

}  // namespace snapsim::checker
