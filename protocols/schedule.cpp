#include "protocols/schedule.h"

namespace snapsim {

SnapshotSchedule::SnapshotSchedule(ScheduleOptions options, std::uint32_t timer_kind)
    : options_(std::move(options)), timer_kind_(timer_kind) {}

std::optional<Duration> SnapshotSchedule::TimeOf(SnapshotId id) const {
  if (!options_.times.empty()) {
    if (id > options_.times.size()) return std::nullopt;
    return options_.times[id - 1];
  }
  if (options_.count != 0 && id > options_.count) return std::nullopt;
  return options_.start + Duration(options_.interval.ns() * static_cast<std::int64_t>(id - 1));
}

void SnapshotSchedule::Start(Context& ctx) {
  rng_ = RandomStream(ctx.world().Seed(), "protocol-schedule", "initiators");
  Arm(ctx, 1);
}

void SnapshotSchedule::Arm(Context& ctx, SnapshotId id) {
  const std::optional<Duration> at = TimeOf(id);
  if (!at) return;
  armed_ = id;
  const Duration delay = Duration(at->ns() - ctx.Now().ns());
  const auto in = ctx.world().InGroup();
  const auto data = static_cast<std::uint32_t>(id);
  switch (options_.initiators) {
    case ScheduleOptions::Initiators::kFirst:
      ctx.SetProtocolTimer(in.front(), delay, timer_kind_, data);
      break;
    case ScheduleOptions::Initiators::kRandom:
      ctx.SetProtocolTimer(in[rng_.Below(in.size())], delay, timer_kind_, data);
      break;
    case ScheduleOptions::Initiators::kListed:
      for (ActorId a : options_.listed) ctx.SetProtocolTimer(a, delay, timer_kind_, data);
      break;
  }
}

SnapshotId SnapshotSchedule::Fired(Context& ctx, std::uint32_t data) {
  const SnapshotId id = data;
  ctx.SnapshotInitiated(id);
  if (id == armed_) Arm(ctx, id + 1);
  return id;
}

}  // namespace snapsim
