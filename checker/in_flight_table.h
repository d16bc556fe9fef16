// InFlightTable: the online checker's messages in flight, by message id.
//
// The engine numbers messages as it creates them, so the ids in flight are
// mostly a recent window of consecutive numbers. They live in a ring indexed
// by id modulo its capacity: a send writes next to the previous send (where a
// hash table writes at a random place, a cache miss per message at scale),
// and a lookup is one probe. An id whose ring place still holds an older
// message in flight (a slow or a lost one) pushes that message into an
// overflow hash table. The ring doubles when more than a 64th of the sends
// of its last lap pushed one out, as long as it is at most four times the
// messages in flight (so it ends below eight times the peak; it never
// shrinks). Any ids work; only the speed depends on their order.
//
// The overflow is slow (an insert, a probe and an erase in a hash table,
// each a likely cache miss), so few messages should go there. With
// exponential latencies of mean 10 us, a ring of 16 Ki places (the largest
// the old rule, an eighth and twice the messages in flight, allowed on the
// issue-7 scenario) pushed out the 7 % of messages slower than 16 Ki sends;
// at 32 Ki places it is 0.4 %, and the event loop ran 0.978 of the time
// per event (docs/performance.md, twenty-third pass).
#pragma once

#include <tsl/robin_map.h>

#include <cstdint>
#include <vector>

#include "checker/cut_pass.h"
#include "checker/id_hash.h"
#include "sim/huge_pages.h"
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
  // Adds message `id`; returns its entry, or nullptr when `id` is in flight
  // already (its entry unchanged; the ring may still have grown).
  // REQUIRES: m.next_hop != kNoActor.
  InFlightMessage* Insert(std::uint64_t id, const InFlightMessage& m);
  // The entry of `id`, or nullptr. Valid until the next Insert or Erase.
  InFlightMessage* Find(std::uint64_t id) {
    if (!ring_.empty()) {
      Entry& e = ring_[id & mask_];
      if (e.m.next_hop != kNoActor && e.id == id) return &e.m;
    }
    if (overflow_.empty()) return nullptr;
    auto it = overflow_.find(id);
    return it == overflow_.end() ? nullptr : &it.value();
  }
  // Removes `id`. REQUIRES: it is in flight.
  void Erase(std::uint64_t id);
  std::size_t Size() const { return count_; }
  std::size_t RingCapacity() const { return ring_.size(); }
  std::size_t OverflowSize() const { return overflow_.size(); }
  // Where message id's place in the ring is, kept current as the ring grows.
  const IdRing& Ring() const { return view_; }

 private:
  struct Entry {
    std::uint64_t id = 0;
    InFlightMessage m;  // free while m.next_hop == kNoActor
  };
  static_assert(sizeof(Entry) == 32, "two entries per cache line");
  static constexpr std::size_t kFirstCapacity = 1024;

  // At the end of each lap of the ring: doubles it if sends pushed out many.
  void EndLap();
  void Grow();
  // Points view_ at ring_ after it was allocated or moved.
  void UpdateView() {
    view_ = {reinterpret_cast<const std::byte*>(ring_.data()), mask_, sizeof(Entry)};
  }

  HugePageVector<Entry> ring_;
  std::uint64_t mask_ = 0;
  IdRing view_;
  tsl::robin_map<std::uint64_t, InFlightMessage, IdHash> overflow_;
  std::size_t count_ = 0;
  std::size_t lap_inserts_ = 0, lap_evictions_ = 0;
  std::uint64_t max_id_ = 0;  // the largest id inserted (any_inserted_)
  bool any_inserted_ = false;
};

}  // namespace snapsim::checker
