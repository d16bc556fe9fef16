// RecordedIds: for each declared channel, the set of snapshot ids whose
// channel state was recorded on it, kept as intervals of ids so that a
// protocol recording ids in increasing order (one run of ids at a time) costs
// one comparison and one store per run, however many ids the run covers.
//
// Each channel's highest interval [lo, hi] is its latest, and the ids just
// above it recorded ahead of a gap (hi + 2 .. hi + 64) are bits of a window,
// so that a run recorded before the run below it (which a protocol closing
// channels by counts often does) needs no lookup either: when the gap fills,
// hi moves over the window's bits. The latest interval and the window live
// with the caller, 24 bytes a channel (ChannelStateStream keeps them in the
// receiver's row, which the engine prefetched). Intervals below the latest
// (left by gaps wider than the window, or by records out of id order) sit
// here in an ordered map, merged with their neighbours when they touch, so a
// channel holds one interval per lasting gap in its records.
//
// Not thread-safe.
#pragma once

#include <bit>
#include <cstdint>
#include <map>
#include <utility>

#include "sim/ids.h"

namespace snapsim::checker {

class RecordedIds {
 public:
  // What the caller keeps of one channel: its latest interval [lo, hi]
  // (hi == 0: no record yet; ids start at 1) and the window above it (bit i:
  // id hi + 1 + i was recorded; bit 0 is always clear).
  struct Latest {
    SnapshotId lo = 0, hi = 0;
    std::uint64_t above = 0;
  };

  // Adds ids first..last (1 <= first <= last) to channel `channel`, whose
  // hot state is `latest`, in increasing order up to the first id already
  // present. Returns that id (neither it nor any id after it was added), or
  // 0 when every id was added.
  SnapshotId Add(std::uint32_t channel, Latest& latest, SnapshotId first, SnapshotId last) {
    if (first == latest.hi + 1 && latest.hi != 0 && latest.above == 0) {  // the next ids in order
      latest.hi = last;
      return 0;
    }
    return AddSlow(channel, latest, first, last);
  }

  // Whether `id` was recorded on `channel`, whose hot state is `latest`.
  bool Contains(std::uint32_t channel, const Latest& latest, SnapshotId id) const;

  // Calls visit(lo, hi) for intervals of recorded ids that together cover
  // every recorded id of every channel exactly once, given the channels'
  // hot state by index (latest_of(channel), channel < channels); in no
  // particular order.
  template <typename LatestOf, typename Visit>
  void ForEachInterval(std::uint32_t channels, LatestOf latest_of, Visit visit) const {
    for (std::uint32_t c = 0; c < channels; ++c) {
      const Latest& latest = latest_of(c);
      if (latest.hi == 0) continue;
      visit(latest.lo, latest.hi);
      ForEachWindowRun(latest, visit);
    }
    for (const auto& [key, hi] : older_) visit(key.second, hi);
  }

 private:
  using Key = std::pair<std::uint32_t, SnapshotId>;  // (channel, lo)
  static constexpr SnapshotId kWindow = 64;
  SnapshotId AddSlow(std::uint32_t channel, Latest& latest, SnapshotId first, SnapshotId last);
  // Calls visit(a, b) for each run of ids a..b in the window.
  template <typename Visit>
  static void ForEachWindowRun(const Latest& latest, Visit visit) {
    std::uint64_t bits = latest.above;
    while (bits != 0) {
      const int start = std::countr_zero(bits);
      const int end = start + std::countr_one(bits >> start);  // bits [start, end) set
      visit(latest.hi + 1 + start, latest.hi + end);
      bits = end >= 64 ? 0 : bits & (~std::uint64_t{0} << end);
    }
  }
  // The general case: moves the channel's latest interval and window into
  // older_, adds there, and takes the highest interval back as the latest.
  SnapshotId AddViaMap(std::uint32_t channel, Latest& latest, SnapshotId first, SnapshotId last);
  // The smallest id in first..last present in older_ for the channel, or 0.
  SnapshotId FirstPresentOlder(std::uint32_t channel, SnapshotId first, SnapshotId last) const;
  // Adds [a, b], which overlaps no interval of older_, to older_, merged
  // with the neighbours it touches.
  void InsertOlder(std::uint32_t channel, SnapshotId a, SnapshotId b);

  std::map<Key, SnapshotId> older_;  // (channel, lo) -> hi, below the latest
};

}  // namespace snapsim::checker
