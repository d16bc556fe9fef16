#include "sim/future_arrivals.h"

#include <algorithm>
#include <utility>

namespace snapsim {

void FutureArrivals::Reset(std::size_t channels) {
  channels_ = channels;
  bits_ = kMinBits;
  sets_.assign(std::size_t{1} << bits_, Set{});
  spill_bits_ = kMinBits;
  spill_table_.assign(std::size_t{1} << spill_bits_, Spill{});
  spill_entries_ = 0;
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
  if ((spill_entries_ + 1) * 2 > spill_table_.size()) RebuildSpills(now);
  const std::size_t mask = spill_table_.size() - 1;
  std::size_t i = SpillHome(c);
  while (spill_table_[i].channel != kNoChannel && spill_table_[i].channel != c) i = (i + 1) & mask;
  if (spill_table_[i].channel == kNoChannel) ++spill_entries_;
  spill_table_[i] = {c, latest};
}

SimTime FutureArrivals::TakeSpill(ChannelId c) {
  const std::size_t mask = spill_table_.size() - 1;
  std::size_t i = SpillHome(c);
  while (spill_table_[i].channel != c) {
    if (spill_table_[i].channel == kNoChannel) return SimTime(0);
    i = (i + 1) & mask;
  }
  const SimTime latest = spill_table_[i].latest;
  // Backward shift: each later entry of the probe run that may sit at i
  // (its home is not cyclically within (i, j]) moves there, until a hole.
  for (std::size_t j = (i + 1) & mask; spill_table_[j].channel != kNoChannel; j = (j + 1) & mask) {
    const std::size_t home = SpillHome(spill_table_[j].channel);
    const bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
    if (!stays) {
      spill_table_[i] = spill_table_[j];
      i = j;
    }
  }
  spill_table_[i].channel = kNoChannel;
  --spill_entries_;
  return latest;
}

void FutureArrivals::RebuildSpills(SimTime now) {
  // The old slots go to the scratch vector, whose storage (the table before
  // the last rebuild) then takes the new ones: no allocation once the
  // sizes settle.
  std::vector<Spill>& old = spill_scratch_;
  old.swap(spill_table_);
  std::size_t ahead = 0;
  for (const Spill& s : old) ahead += s.channel != kNoChannel && s.latest > now;
  // Room for twice as many again: a rebuild comes at most every `ahead`
  // puts, and the table stays at most a quarter full after it.
  spill_bits_ = kMinBits;
  while ((std::size_t{1} << spill_bits_) < 4 * (ahead + 1)) ++spill_bits_;
  spill_table_.assign(std::size_t{1} << spill_bits_, Spill{});
  spill_entries_ = 0;
  for (const Spill& s : old)
    if (s.channel != kNoChannel && s.latest > now) PutSpill(s.channel, s.latest, now);
}

}  // namespace snapsim
