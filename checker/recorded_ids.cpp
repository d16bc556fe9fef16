#include "checker/recorded_ids.h"

#include <iterator>

namespace snapsim::checker {

SnapshotId RecordedIds::AddSlow(std::uint32_t channel, Latest& latest, SnapshotId first,
                                SnapshotId last) {
  if (latest.hi == 0) {  // the channel's first record (older_ has none either)
    latest.lo = first;
    latest.hi = last;
    return 0;
  }
  if (first <= latest.hi) {
    if (first >= latest.lo) return first;  // in the latest interval
    return AddViaMap(channel, latest, first, last);
  }
  const SnapshotId offset = first - latest.hi - 1;  // the window bit of `first`
  if (offset >= kWindow || last - first >= kWindow - offset)
    return AddViaMap(channel, latest, first, last);
  const auto n = static_cast<int>(last - first + 1);
  const std::uint64_t run = (n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1) << offset;
  SnapshotId present = 0;
  std::uint64_t added = run;
  if (const std::uint64_t hit = latest.above & run; hit != 0) {
    const int bit = std::countr_zero(hit);
    present = latest.hi + 1 + static_cast<SnapshotId>(bit);
    added = run & ((std::uint64_t{1} << bit) - 1);  // the ids before it
  }
  latest.above |= added;
  if (latest.above & 1) {  // the gap above hi filled: move hi over the ids recorded
    const int k = std::countr_one(latest.above);
    latest.hi += static_cast<SnapshotId>(k);
    latest.above = k >= 64 ? 0 : latest.above >> k;
  }
  return present;
}

SnapshotId RecordedIds::AddViaMap(std::uint32_t channel, Latest& latest, SnapshotId first,
                                  SnapshotId last) {
  // latest.hi != 0 here. The latest interval and the window's runs touch
  // neither each other nor the older intervals, so they go in as they are.
  older_.emplace(Key{channel, latest.lo}, latest.hi);
  ForEachWindowRun(latest, [&](SnapshotId a, SnapshotId b) { older_.emplace(Key{channel, a}, b); });
  const SnapshotId present = FirstPresentOlder(channel, first, last);
  if (present != first) InsertOlder(channel, first, present != 0 ? present - 1 : last);
  const auto highest = std::prev(older_.upper_bound({channel, ~SnapshotId{0}}));
  latest = {highest->first.second, highest->second, 0};
  older_.erase(highest);
  return present;
}

SnapshotId RecordedIds::FirstPresentOlder(std::uint32_t channel, SnapshotId first,
                                          SnapshotId last) const {
  auto next = older_.upper_bound({channel, first});
  if (next != older_.begin()) {
    const auto prev = std::prev(next);
    if (prev->first.first == channel && prev->second >= first) return first;
  }
  if (next != older_.end() && next->first.first == channel && next->first.second <= last)
    return next->first.second;
  return 0;
}

void RecordedIds::InsertOlder(std::uint32_t channel, SnapshotId a, SnapshotId b) {
  auto next = older_.lower_bound({channel, a});
  SnapshotId lo = a, hi = b;
  if (next != older_.end() && next->first.first == channel && next->first.second == b + 1) {
    hi = next->second;
    next = older_.erase(next);
  }
  if (next != older_.begin()) {
    const auto prev = std::prev(next);
    if (prev->first.first == channel && prev->second + 1 == a) {
      lo = prev->first.second;
      older_.erase(prev);
    }
  }
  older_.emplace(Key{channel, lo}, hi);
}

bool RecordedIds::Contains(std::uint32_t channel, const Latest& latest, SnapshotId id) const {
  if (latest.hi == 0) return false;
  if (id > latest.hi) {
    const SnapshotId offset = id - latest.hi - 1;
    return offset < kWindow && (latest.above >> offset) & 1;
  }
  return id >= latest.lo || FirstPresentOlder(channel, id, id) != 0;
}

}  // namespace snapsim::checker
