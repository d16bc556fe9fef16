// InGroupChannels: each in-group process's in-group neighbours as one CSR
// array, with a per-(process, neighbour) slot for counters. Shared by the
// protocols that record channel states (only channels between two in-group
// processes have states, MODEL.md section 4).
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/ids.h"
#include "sim/world.h"

namespace snapsim {

class InGroupChannels {
 public:
  InGroupChannels() = default;
  explicit InGroupChannels(const World& w) {
    begin_.assign(w.ActorCount() + 1, 0);
    for (ActorId a = 0; a < w.ActorCount(); ++a) {
      if (w.Group(a) == ActorGroup::kIn)
        for (ActorId b : w.Neighbours(a))
          if (w.Group(b) == ActorGroup::kIn) peers_.push_back(b);
      begin_[a + 1] = static_cast<std::uint32_t>(peers_.size());
    }
  }
  // In-group neighbours of a (empty for other actors), sorted.
  std::span<const ActorId> Of(ActorId a) const {
    return {peers_.data() + begin_[a], begin_[a + 1] - begin_[a]};
  }
  // The slot of neighbour b in a's list (for per-channel arrays sized Slots()),
  // or -1 when b is not an in-group neighbour of a.
  std::int64_t Slot(ActorId a, ActorId b) const {
    auto first = peers_.begin() + begin_[a], last = peers_.begin() + begin_[a + 1];
    auto it = std::lower_bound(first, last, b);
    return it != last && *it == b ? it - peers_.begin() : -1;
  }
  // The slot of a's first neighbour: neighbour i of Of(a) has slot
  // FirstSlot(a) + i.
  std::size_t FirstSlot(ActorId a) const { return begin_[a]; }
  // Index of neighbour b within a's list (0-based), given its slot.
  std::uint32_t Local(ActorId a, std::int64_t slot) const {
    return static_cast<std::uint32_t>(slot - begin_[a]);
  }
  std::size_t Slots() const { return peers_.size(); }

 private:
  std::vector<std::uint32_t> begin_;
  std::vector<ActorId> peers_;
};

// The messages one snapshot recorded on one channel.
struct RecordedChannel {
  std::vector<MessageId> msgs;
  std::int64_t value = 0;
  std::uint64_t pre = 0;       // messages received on the channel before the cut
  std::int64_t reported = -1;  // messages the sender sent before its cut (-1: unknown)
  bool closed = false;
};

}  // namespace snapsim
