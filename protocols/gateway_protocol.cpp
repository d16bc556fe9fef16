#include "protocols/gateway_protocol.h"

#include <algorithm>
#include <cassert>

#include "protocols/schedule.h"

namespace snapsim {

void GatewayProtocol::OnStart(Context& ctx) {
  ctx_ = &ctx;
  const World& w = ctx.world();
  core_.Init(ctx, /*out_group_participates=*/false);
  core_.AddGatewayParticipants(ctx);
  core_.on_advance = [this](ActorId a, SnapshotId from, SnapshotId to) {
    OnAdvance(*ctx_, a, from, to);
  };
  gateways_.assign(w.Gateways().begin(), w.Gateways().end());
  in_group_ = w.InGroup().size();
  processes_at_.assign(1, static_cast<std::uint32_t>(in_group_));  // all at id 0
  lowest_at_ = 0;
  lowest_ = 0;
  notify_.assign(gateways_.size(), {});
  if (options_.notify)
    for (std::size_t i = 0; i < w.InGroup().size(); ++i)
      notify_[i % gateways_.size()].push_back(w.InGroup()[i]);
  times_ = ScheduleTimes(options_.schedule, w.Seed());
  ArmTick(ctx, 0);
}

void GatewayProtocol::ArmTick(Context& ctx, std::uint64_t tick) {
  const std::optional<Duration> at = times_.At(tick + 1);
  if (!at) return;
  ctx.SetProtocolTimer(Controller(ctx), Duration(at->ns() - ctx.Now().ns()), kTickTimer,
                       static_cast<std::uint32_t>(tick));
}

void GatewayProtocol::OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) {
  if (kind != kTickTimer) return;
  ++figures_.ticks;
  const std::uint64_t started = figures_.started;
  StartTick(ctx);
  if (figures_.started == started) ++figures_.skipped;
  ArmTick(ctx, static_cast<std::uint64_t>(data) + 1);
}

SnapshotId GatewayProtocol::BeginSnapshot(Context& ctx) {
  const SnapshotId n = next_id_++;
  ++figures_.started;
  ctx.SnapshotInitiated(n);
  ctx.Snapshot(n).channels_expected = core_.ChannelCount();
  InFlight& f = in_flight_.Push(n);  // a retired slot, reset here
  f.active = true;
  f.marked.assign(gateways_.size(), -1);
  f.gateways_marked = 0;
  if (n <= highest_adopted_) {
    // Only after a wrapped tag was misread as a future id (id_aliases):
    // gateways already past n never advance through it, so count them now
    // (processes_at_ counts the in-group processes already).
    for (std::size_t i = 0; i < gateways_.size(); ++i)
      if (core_.Current(gateways_[i]) >= n) {
        f.marked[i] = ctx.Now().ns();
        ++f.gateways_marked;
      }
    if (Done(n, f)) f.active = false;
  }
  DropRetired();
  figures_.max_in_flight_reached =
      std::max<std::uint64_t>(figures_.max_in_flight_reached, in_flight_.Size());
  return n;
}

void GatewayProtocol::DropRetired() {
  in_flight_.DropRetired();
  // Ids finish in order, so the done ones were a prefix: all left are active.
  assert(in_flight_.Size() == 0 || in_flight_.Back().active);
}

std::size_t GatewayProtocol::GatewayIndex(ActorId g) const {
  return static_cast<std::size_t>(std::lower_bound(gateways_.begin(), gateways_.end(), g) -
                                  gateways_.begin());
}

void GatewayProtocol::MarkGateway(Context& ctx, ActorId g, SnapshotId n) {
  core_.AdvanceTo(ctx, g, n);  // OnAdvance sends the notices
}

void GatewayProtocol::Notify(Context& ctx, ActorId g, SnapshotId n) {
  for (ActorId p : notify_[GatewayIndex(g)]) {
    ControlPayload notice;
    notice.type = kNotice;
    notice.tag = static_cast<std::uint32_t>(n);
    notice.out_of_band = true;
    ctx.SendControl(g, p, notice);
    ++figures_.notices;
  }
}

void GatewayProtocol::OnAdvance(Context& ctx, ActorId a, SnapshotId from, SnapshotId to) {
  highest_adopted_ = std::max(highest_adopted_, to);
  if (ctx.world().Group(a) != ActorGroup::kGateway) {  // an in-group process
    MoveProcess(from, to);
    DropRetired();
    return;
  }
  // A gateway that adopts an id notifies its processes, whether the id came
  // from the controller's mark or from traffic it forwarded (in-group calls
  // through VIPs carry ids): otherwise an idle process would never take it.
  Notify(ctx, a, to);
  const std::size_t index = GatewayIndex(a);
  const SnapshotId last = std::min(to, next_id_ - 1);
  for (SnapshotId n = std::max<SnapshotId>(from + 1, in_flight_.First()); n <= last; ++n) {
    InFlight* const found = FindInFlight(n);
    if (!found) continue;
    InFlight& f = *found;
    std::int64_t& t = f.marked[index];
    if (t >= 0) continue;
    t = ctx.Now().ns();
    if (++f.gateways_marked == gateways_.size()) {
      auto [lo, hi] = std::minmax_element(f.marked.begin(), f.marked.end());
      ctx.Snapshot(n).true_spread_ns = *hi - *lo;
      if (Done(n, f)) f.active = false;
    }
  }
  DropRetired();
}

void GatewayProtocol::MoveProcess(SnapshotId from, SnapshotId to) {
  assert(from >= lowest_ && processes_at_[lowest_at_ + (from - lowest_)] > 0);
  --processes_at_[lowest_at_ + (from - lowest_)];
  const std::size_t to_at = lowest_at_ + (to - lowest_);
  if (to_at >= processes_at_.size()) processes_at_.resize(to_at + 1, 0);
  ++processes_at_[to_at];
  const SnapshotId before = lowest_;
  while (processes_at_[lowest_at_] == 0) {  // the counts add up to in_group_ > 0
    ++lowest_at_;
    ++lowest_;
  }
  // Drop the counts below the lowest id once they are half the vector (the
  // capacity stays: no allocation in the steady state).
  if (lowest_at_ >= 1024 && 2 * lowest_at_ >= processes_at_.size()) {
    processes_at_.erase(processes_at_.begin(),
                        processes_at_.begin() + static_cast<std::ptrdiff_t>(lowest_at_));
    lowest_at_ = 0;
  }
  // Snapshots before + 1..lowest_ have just been reached by the last process.
  const SnapshotId last = std::min(lowest_, next_id_ - 1);
  for (SnapshotId n = std::max<SnapshotId>(before + 1, in_flight_.First()); n <= last; ++n)
    if (InFlight* f = FindInFlight(n); f && Done(n, *f)) f->active = false;
}

std::vector<std::pair<std::string, double>> GatewayProtocol::Figures() const {
  return {{"ticks", static_cast<double>(figures_.ticks)},
          {"started", static_cast<double>(figures_.started)},
          {"skipped_ticks", static_cast<double>(figures_.skipped)},
          {"max_in_flight_reached", static_cast<double>(figures_.max_in_flight_reached)},
          {"notices", static_cast<double>(figures_.notices)},
          {"id_aliases", static_cast<double>(figures_.id_aliases)}};
}

std::uint32_t GatewayProtocol::Wrap(SnapshotId id) const {
  if (options_.id_bits >= 32) return static_cast<std::uint32_t>(id);
  return static_cast<std::uint32_t>(id & ((1ULL << options_.id_bits) - 1));
}

SnapshotId GatewayProtocol::Unwrap(std::uint32_t tag, SnapshotId local) const {
  if (options_.id_bits >= 32) return tag;
  // No id exists beyond local + max_in_flight (ids complete in order, and a
  // new one starts only while fewer than max_in_flight are in flight), so
  // the tag is the one id in (local + max_in_flight - 2^bits, local +
  // max_in_flight] with these low bits. A tag older than that window is
  // misread as a later id, as it would be on the wire (counted as an alias).
  const std::int64_t span = 1LL << options_.id_bits;
  const std::int64_t top = static_cast<std::int64_t>(local) + options_.max_in_flight;
  const std::int64_t cand = top - ((top - static_cast<std::int64_t>(tag)) & (span - 1));
  return cand < 0 ? 0 : static_cast<SnapshotId>(cand);
}

void GatewayProtocol::UnwrapTag(ActorId at, Message& m) {
  if (!(m.flags & kWrappedFlag)) return;
  m.tag = static_cast<std::uint32_t>(Unwrap(m.tag, core_.Current(at)));
  m.flags &= static_cast<std::uint8_t>(~kWrappedFlag);
  // The sender's id travels beside the tag in full (bookkeeping only).
  if (m.tag != m.sender_tag) ++figures_.id_aliases;
}

void GatewayProtocol::StampAtGateway(Context& ctx, ActorId g, Message& m) {
  UnwrapTag(g, m);
  core_.OnGatewayForward(ctx, g, m);  // adopt a higher id, stamp max: 32 bits onward
}

void GatewayProtocol::OnSend(Context& ctx, ActorId from, Message& m) {
  core_.OnSend(ctx, from, m);
  const World& w = ctx.world();
  if (options_.id_bits < 32 && w.Group(from) == ActorGroup::kIn &&
      w.Group(m.dst) == ActorGroup::kIn) {
    m.tag = Wrap(m.tag);
    m.flags |= kWrappedFlag;
  }
}

void GatewayProtocol::OnArrival(Context& ctx, ActorId at, Message& m) {
  UnwrapTag(at, m);
  core_.OnArrival(ctx, at, m);
}

ForwardAction GatewayProtocol::OnGatewayForward(Context& ctx, ActorId g, Message& m,
                                                std::uint32_t slot) {
  if (Holding(g)) return ForwardAction::kHold;
  StampAtGateway(ctx, g, m);
  return ForwardAction::kForward;
}

void GatewayProtocol::OnControl(Context& ctx, ActorId at, const Message& m) {
  if (core_.OnControl(ctx, at, m)) return;
  const ActorGroup group = ctx.world().Group(at);
  if (group == ActorGroup::kGateway) OnGatewayControl(ctx, at, m);
  if (group == ActorGroup::kController) OnControllerControl(ctx, m);
}

}  // namespace snapsim
