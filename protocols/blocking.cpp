#include "protocols/blocking.h"

namespace snapsim {

void BlockingProtocol::OnStart(Context& ctx) {
  GatewayProtocol::OnStart(ctx);
  holding_.assign(gateways_.size(), false);
  held_.assign(gateways_.size(), {});
}

void BlockingProtocol::OnFinish(Context& ctx) {
  if (busy_) ctx.Unfinished(round_);
}

void BlockingProtocol::Broadcast(Context& ctx, std::uint8_t type, SnapshotId n) {
  for (ActorId g : gateways_) {
    ControlPayload p;
    p.type = type;
    p.aux = n;
    ctx.SendControl(Controller(ctx), g, p);
  }
}

void BlockingProtocol::StartTick(Context& ctx) {
  if (busy_ || !HasCapacity()) return;
  busy_ = true;
  acks_ = 0;
  round_ = BeginSnapshot(ctx);
  t0_ = ctx.LocalTime(Controller(ctx)).ns();
  Broadcast(ctx, kPrepare, round_);
}

ForwardAction BlockingProtocol::OnGatewayForward(Context& ctx, ActorId g, Message& m,
                                                 std::uint32_t slot) {
  const std::size_t i = GatewayIndex(g);
  if (holding_[i]) {
    held_[i].push_back(slot);
    return ForwardAction::kHold;
  }
  StampAtGateway(ctx, g, m);
  return ForwardAction::kForward;
}

void BlockingProtocol::OnGatewayControl(Context& ctx, ActorId g, const Message& m) {
  const std::size_t i = GatewayIndex(g);
  ControlPayload ack;
  ack.aux = m.aux;
  if (m.type == kPrepare) {
    holding_[i] = true;
    ack.type = kPrepareAck;
  } else if (m.type == kCommit) {
    MarkGateway(ctx, g, m.aux);
    holding_[i] = false;
    while (!held_[i].empty()) {
      const std::uint32_t slot = held_[i].front();
      held_[i].pop_front();
      StampAtGateway(ctx, g, ctx.MessageAt(slot));
      ctx.ReleaseHeld(slot);
    }
    ack.type = kCommitAck;
  } else {
    return;
  }
  ctx.SendControl(g, m.src, ack);
}

void BlockingProtocol::OnControllerControl(Context& ctx, const Message& m) {
  if (m.aux != round_ || ++acks_ < gateways_.size()) return;
  acks_ = 0;
  if (m.type == kPrepareAck) {
    Broadcast(ctx, kCommit, round_);
  } else if (m.type == kCommitAck) {
    SnapshotRecord& r = ctx.Snapshot(round_);
    r.t0_ns = t0_;
    r.t1_ns = ctx.LocalTime(Controller(ctx)).ns();
    ctx.Verdict(round_, true);
    busy_ = false;
  }
}

}  // namespace snapsim
