#include "protocols/physical_clock.h"

namespace snapsim {

void PhysicalClockProtocol::OnStart(Context& ctx) {
  const World& w = ctx.world();
  channels_ = InGroupChannels(w);
  open_.resize(w.ActorCount());
  times_ = ScheduleTimes(schedule_, w.Seed());
  for (ActorId p : w.InGroup()) Arm(ctx, p, 1);
}

void PhysicalClockProtocol::Arm(Context& ctx, ActorId a, SnapshotId k) {
  const std::int64_t t = LocalTimeOf(k);
  if (t < 0) return;
  ctx.SetProtocolTimerAtLocal(a, SimTime(t), kRecordTimer, static_cast<std::uint32_t>(k));
}

void PhysicalClockProtocol::OnSend(Context& ctx, ActorId from, Message& m) {
  m.stamp_ns = ctx.LocalTime(from).ns();
}

void PhysicalClockProtocol::OnTimer(Context& ctx, ActorId at, std::uint32_t kind,
                                    std::uint32_t data) {
  if (kind != kRecordTimer) return;
  const SnapshotId k = data;
  if (initiated_.size() <= k) initiated_.resize(k + 1, false);
  if (!initiated_[k]) {
    initiated_[k] = true;
    ctx.SnapshotInitiated(k);
    ctx.Snapshot(k).channels_expected = static_cast<std::uint32_t>(channels_.Slots());
  }
  ctx.RecordSnapshot(at, k);
  open_[at][k].resize(channels_.Of(at).size());
  Arm(ctx, at, k + 1);
}

void PhysicalClockProtocol::OnArrival(Context& ctx, ActorId at, Message& m) {
  if (m.kind != MessageKind::kApp || ctx.world().Group(at) != ActorGroup::kIn) return;
  const std::int64_t slot = channels_.Slot(at, m.src);
  if (slot < 0) return;
  const std::uint32_t local = channels_.Local(at, slot);
  for (auto& [k, chans] : open_[at]) {
    if (m.stamp_ns < LocalTimeOf(k)) {
      chans[local].msgs.push_back(m.id);
      chans[local].value += m.value;
    }
  }
}

void PhysicalClockProtocol::OnFinish(Context& ctx) {
  for (ActorId p : ctx.world().InGroup()) {
    const auto peers = channels_.Of(p);
    for (auto& [k, chans] : open_[p])
      for (std::size_t i = 0; i < peers.size(); ++i)
        ctx.RecordChannelState(k, peers[i], p, chans[i].msgs, chans[i].value);
  }
}

}  // namespace snapsim
