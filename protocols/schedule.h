// SnapshotSchedule: initiates snapshots 1, 2, 3, ... at the configured times,
// at the configured initiators, through protocol timers.
//
// Snapshot ids increase with initiation time, so repeated snapshots never
// trigger spurious ones. The next snapshot's timers are set when the current
// one's first timer fires, so an unlimited schedule costs O(1) memory.
#pragma once

#include <cstdint>
#include <vector>

#include "protocols/registry.h"
#include "sim/context.h"

namespace snapsim {

// The k-th initiation time of a schedule (k = 1, 2, ...): fixed intervals,
// random intervals (drawn once, from a stream of the run's seed, so every
// user of the schedule sees the same times), or an explicit list. nullopt
// past the end of the schedule.
class ScheduleTimes {
 public:
  ScheduleTimes() = default;
  ScheduleTimes(const ScheduleOptions& options, std::uint64_t seed);
  std::optional<Duration> At(std::uint64_t k);

 private:
  ScheduleOptions options_;
  RandomStream rng_;
  std::vector<Duration> drawn_;  // random intervals: times 1..drawn_.size()
};

class SnapshotSchedule {
 public:
  // `timer_kind` is the protocol timer kind the owner reserves for initiations.
  SnapshotSchedule(ScheduleOptions options, std::uint32_t timer_kind);

  // Sets the timers of snapshot 1. Call from Protocol::OnStart.
  void Start(Context& ctx);
  // Call from Protocol::OnTimer for `timer_kind`: records the initiation time
  // and schedules the next snapshot. Returns the snapshot id to initiate at `at`.
  SnapshotId Fired(Context& ctx, std::uint32_t data);

 private:
  void Arm(Context& ctx, SnapshotId id);
  ScheduleOptions options_;
  ScheduleTimes times_;
  std::uint32_t timer_kind_;
  SnapshotId armed_ = 0;  // highest id whose timers are set
  RandomStream rng_;
};

}  // namespace snapsim
