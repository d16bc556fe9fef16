#include "sim/future_arrivals.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace snapsim {

void FutureArrivals::Reset(std::size_t channels) {
  channels_ = channels;
  bits_ = kMinBits;
  sets_.assign(std::size_t{1} << bits_, Set{});
  spilled_.clear();
  prune_at_ = kMinPruneAt;
  spilled_until_ = SimTime(0);
  spills_ = 0;
  window_misses_ = window_spills_ = 0;
}

SimTime& FutureArrivals::Miss(Set& set, ChannelId c, SimTime now) {
  // c's latest arrival is in the spill table if it was spilled and is still ahead.
  const SimTime latest = MayHaveSpilled(set, now) ? TakeSpill(c) : SimTime(0);
  // Grow at most once a window of Capacity() misses, when more than one in
  // 64 of them spilled (the table then holds most of what is in flight), and
  // not beyond a way per channel.
  if (++window_misses_ >= Capacity()) {
    const bool grow = window_spills_ * 64 > window_misses_ && Capacity() < channels_;
    window_misses_ = window_spills_ = 0;
    if (grow) {
      Grow(now);
      return Insert(sets_[SetOf(c)], c, latest, now);
    }
  }
  return Insert(set, c, latest, now);
}

SimTime& FutureArrivals::Insert(Set& set, ChannelId c, SimTime latest, SimTime now) {
  std::uint32_t way = 0;
  for (std::uint32_t w = 1; w < kWays; ++w)
    if (set.latest[w] < set.latest[way]) way = w;
  if (set.latest[way] > now) {  // every way is still in flight: spill the one due first
    PutSpill(set.channel[way], set.latest[way], now);
    spilled_until_ = std::max(spilled_until_, set.latest[way]);
    set.spilled_until = std::max(set.spilled_until, Coarse(set.latest[way]));
    ++spills_;
    ++window_spills_;
  }
  set.channel[way] = c;
  set.latest[way] = latest;
  return set.latest[way];
}

void FutureArrivals::Grow(SimTime now) {
  // A channel's spill came from its old set: every new set may hold one
  // until the latest spill is due.
  Set fresh;
  if (spilled_until_ > now) fresh.spilled_until = Coarse(spilled_until_);
  HugePageVector<Set> old(std::size_t{2} << bits_, fresh);
  old.swap(sets_);
  ++bits_;
  for (const Set& set : old)
    for (std::uint32_t w = 0; w < kWays; ++w)
      if (set.channel[w] != kNoChannel && set.latest[w] > now)
        Insert(sets_[SetOf(set.channel[w])], set.channel[w], set.latest[w], now);
}

void FutureArrivals::PutSpill(ChannelId c, SimTime latest, SimTime now) {
  if (spilled_.size() >= prune_at_) {
    for (auto it = spilled_.begin(); it != spilled_.end();)
      it = it->second > now ? std::next(it) : spilled_.erase(it);
    // The next prune comes after as many puts again as are left ahead.
    prune_at_ = std::max(kMinPruneAt, 2 * (spilled_.size() + 1));
  }
  spilled_.insert_or_assign(c, latest);
}

SimTime FutureArrivals::TakeSpill(ChannelId c) {
  const auto it = spilled_.find(c);
  if (it == spilled_.end()) return SimTime(0);
  const SimTime latest = it->second;
  spilled_.erase(it);
  return latest;
}

}  // namespace snapsim
