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

class SnapshotSchedule {
 public:
  // `timer_kind` is the protocol timer kind the owner reserves for initiations.
  SnapshotSchedule(ScheduleOptions options, std::uint32_t timer_kind);

  // Sets the timers of snapshot 1. Call from Protocol::OnStart.
  void Start(Context& ctx);
  // Call from Protocol::OnTimer for `timer_kind`: records the initiation time
  // and schedules the next snapshot. Returns the snapshot id to initiate at `at`.
  SnapshotId Fired(Context& ctx, std::uint32_t data);
  // The initiation time of snapshot `id` (1-based) or nullopt past the end.
  std::optional<Duration> TimeOf(SnapshotId id) const;

 private:
  void Arm(Context& ctx, SnapshotId id);
  ScheduleOptions options_;
  std::uint32_t timer_kind_;
  SnapshotId armed_ = 0;  // highest id whose timers are set
  RandomStream rng_;
};

}  // namespace snapsim
