#include "protocols/schedule.h"

namespace snapsim {

SnapshotSchedule::SnapshotSchedule(ScheduleOptions options, std::uint32_t timer_kind)
    : options_(std::move(options)), timer_kind_(timer_kind) {}

ScheduleTimes::ScheduleTimes(const ScheduleOptions& options, std::uint64_t seed)
    : options_(options), rng_(seed, "protocol-schedule", "intervals") {}

std::optional<Duration> ScheduleTimes::At(std::uint64_t k) {
  if (!options_.times.empty()) {
    if (k > options_.times.size()) return std::nullopt;
    return options_.times[k - 1];
  }
  if (options_.count != 0 && k > options_.count) return std::nullopt;
  if (options_.interval_max <= options_.interval)
    return options_.start + Duration(options_.interval.ns() * static_cast<std::int64_t>(k - 1));
  while (drawn_.size() < k) {
    const std::int64_t span = options_.interval_max.ns() - options_.interval.ns() + 1;
    const Duration gap(options_.interval.ns() + static_cast<std::int64_t>(rng_.Below(span)));
    drawn_.push_back(drawn_.empty() ? options_.start : drawn_.back() + gap);
  }
  return drawn_[k - 1];
}

void SnapshotSchedule::Start(Context& ctx) {
  rng_ = RandomStream(ctx.world().Seed(), "protocol-schedule", "initiators");
  times_ = ScheduleTimes(options_, ctx.world().Seed());
  Arm(ctx, 1);
}

void SnapshotSchedule::Arm(Context& ctx, SnapshotId id) {
  const std::optional<Duration> at = times_.At(id);
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
