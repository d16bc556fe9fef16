// FutureArrivals: the latest arrival scheduled on each of many FIFO channels,
// kept only while it lies ahead of the clock.
//
// A FIFO channel holds a message back to the latest arrival scheduled on it
// (Engine::Transmit: arrival = max(arrival, latest)). A latest arrival at or
// before now can hold nothing back, since a send's arrival is never before
// now, so only a channel with a message still in flight needs its own. The
// channels beyond a source's first two are many and mostly idle: on the
// issue-7 cloud a gateway has one to every in-group process and a backend
// one to every client (10^7 channels, 80 MB of slots at 8 bytes each, read
// at random, one cache miss per send), yet a few thousand of them carry a
// message at any time. The table keeps those in sets of five (one cache line
// each) chosen by a hash of the channel; a set with no room spills the entry
// that is due first to a small hash map, which a miss reads only in a
// set with a spill still ahead of the clock. The table doubles when
// spills pass one in 64 misses over a window, so its size follows what is
// in flight; it never changes a result (FutureArrivalsTest checks every
// answer against a plain array).
#pragma once

#include <tsl/robin_map.h>

#include <cstddef>
#include <cstdint>

#include "sim/huge_pages.h"
#include "sim/id_hash.h"
#include "sim/ids.h"
#include "sim/prefetch.h"
#include "sim/time.h"

namespace snapsim {

class FutureArrivals {
 public:
  // Forgets everything: channels 0..channels-1, none with an arrival
  // scheduled; the table starts at its smallest size.
  void Reset(std::size_t channels);

  // Channel c's latest scheduled arrival, or a time no later than `now` when
  // none after `now` is scheduled: a slot the caller may raise to a new
  // arrival (never lower), valid until the next call. REQUIRES: c below the
  // Reset count; `now` no earlier than at any previous call, and no earlier
  // than 0.
  SimTime& At(ChannelId c, SimTime now) {
    Set& set = sets_[SetOf(c)];
    for (std::uint32_t w = 0; w < kWays; ++w)
      if (set.channel[w] == c) return set.latest[w];
    return Miss(set, c, now);
  }
  // Starts loading the cache line At(c, ...) reads first.
  void Prefetch(ChannelId c) const { PrefetchForRead(&sets_[SetOf(c)]); }

  // Channels the table has room for, entries spilled so far, and spilled
  // entries held now (for tests and reports).
  std::size_t Capacity() const { return sets_.size() * kWays; }
  std::uint64_t Spills() const { return spills_; }
  std::size_t SpilledHeld() const { return spilled_.size(); }

 private:
  static constexpr std::uint32_t kWays = 5;
  // A set: up to kWays channels and their latest arrivals, and a bound on
  // the entries it has spilled, so that a miss looks for a spill only in a
  // set with a spill still in flight (a channel always maps to the same
  // set, between two Grows). A global bound made nearly every miss look:
  // with a spill every few microseconds of simulated time, some spill was
  // always ahead.
  struct alignas(64) Set {
    ChannelId channel[kWays] = {kNoChannel, kNoChannel, kNoChannel, kNoChannel, kNoChannel};
    // No entry spilled from here arrives after this (Coarse), or kAlways.
    std::uint32_t spilled_until = 0;
    SimTime latest[kWays] = {};
  };
  static_assert(sizeof(Set) == 64, "one cache line per set");
  static constexpr std::uint32_t kMinBits = 6;  // 64 sets, 4 KiB

  // A time in the sets' 32-bit bounds: rounded up to units of 4,096 ns;
  // kAlways from about 4.9 hours of simulated time on, when every miss in
  // a set that has spilled looks for a spill (slower, as exact).
  static constexpr std::uint32_t kCoarseShift = 12;
  static constexpr std::uint32_t kAlways = 0xffffffffu;
  static std::uint32_t Coarse(SimTime t) {
    const std::uint64_t units =
        (static_cast<std::uint64_t>(t.ns()) + (std::uint64_t{1} << kCoarseShift) - 1) >>
        kCoarseShift;
    return units < kAlways ? static_cast<std::uint32_t>(units) : kAlways;
  }
  // Whether an entry spilled from `set` may still be ahead of `now`. Never
  // false when one is: a spilled arrival L > now has Coarse(L) > now / 4096.
  static bool MayHaveSpilled(const Set& set, SimTime now) {
    return set.spilled_until == kAlways ||
           (static_cast<std::uint64_t>(now.ns()) >> kCoarseShift) < set.spilled_until;
  }

  std::size_t SetOf(ChannelId c) const {
    return static_cast<std::size_t>((c * 0x9e3779b97f4a7c15ULL) >> (64 - bits_));
  }
  // At for a channel not in its set: takes the way due first (an empty or
  // expired one if any, else spills it), loads c there, and may grow.
  SimTime& Miss(Set& set, ChannelId c, SimTime now);
  // Puts c, with latest arrival `latest`, into the way of its set `set` that
  // is due first, spilling that way's entry if it is still ahead of `now`;
  // returns c's slot.
  SimTime& Insert(Set& set, ChannelId c, SimTime latest, SimTime now);
  // Doubles the sets and moves every entry still ahead of `now` over.
  void Grow(SimTime now);
  // Records c's latest arrival `latest` (after `now`) among the spilled
  // entries, replacing any earlier one of c; may first prune those due by
  // `now`.
  void PutSpill(ChannelId c, SimTime latest, SimTime now);
  // c's spilled latest arrival, which leaves the spilled entries, or time 0
  // when it has none.
  SimTime TakeSpill(ChannelId c);

  HugePageVector<Set> sets_;
  std::size_t channels_ = 0;
  std::uint32_t bits_ = kMinBits;
  // Spilled entries, by channel: the channels whose latest arrival was
  // still ahead when their set had no room. An entry read back leaves; one
  // never read back is dropped by a prune once it is due, so the map holds
  // about what is spilled and in flight, and it keeps its buckets when
  // entries leave (no allocation once its size settles). (A first version
  // kept a per-channel array, which spills spread over: by the end of the
  // issue-7 run they had touched all of its 80 MB.)
  tsl::robin_map<ChannelId, SimTime, IdHash> spilled_;
  static constexpr std::size_t kMinPruneAt = 64;
  std::size_t prune_at_ = kMinPruneAt;  // PutSpill prunes when the map reaches this size
  SimTime spilled_until_;               // no spilled arrival is later than this (for Grow)
  std::uint64_t spills_ = 0;
  // The growth window: misses and spills since the window began.
  std::uint64_t window_misses_ = 0, window_spills_ = 0;
};

}  // namespace snapsim
