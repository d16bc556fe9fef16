#include "protocols/ogm.h"

namespace snapsim {

void OgmProtocol::StartTick(Context& ctx) {
  if (!HasCapacity()) return;
  const SnapshotId n = BeginSnapshot(ctx);
  const ActorId ctl = Controller(ctx);
  pending_[n].t0 = ctx.LocalTime(ctl).ns();
  for (ActorId g : gateways_) {
    ControlPayload mark;
    mark.type = kMark;
    mark.aux = n;
    ctx.SendControl(ctl, g, mark);
  }
}

void OgmProtocol::OnGatewayControl(Context& ctx, ActorId g, const Message& m) {
  if (m.type != kMark) return;
  MarkGateway(ctx, g, m.aux);
  ControlPayload ack;
  ack.type = kAck;
  ack.aux = m.aux;
  ctx.SendControl(g, m.src, ack);
}

void OgmProtocol::OnControllerControl(Context& ctx, const Message& m) {
  if (m.type != kAck) return;
  auto it = pending_.find(m.aux);
  if (it == pending_.end() || ++it->second.acks < gateways_.size()) return;
  const SnapshotId n = m.aux;
  const std::int64_t t1 = ctx.LocalTime(Controller(ctx)).ns();
  SnapshotRecord& r = ctx.Snapshot(n);
  r.t0_ns = it->second.t0;
  r.t1_ns = t1;
  ctx.Verdict(n, t1 - it->second.t0 < options_.tau.ns());
  pending_.erase(it);
}

void OgmProtocol::OnFinish(Context& ctx) {
  for (const auto& [n, p] : pending_) {
    ctx.Snapshot(n).t0_ns = p.t0;
    ctx.Unfinished(n);  // its acks were still due: no verdict either way
  }
  pending_.clear();
}

}  // namespace snapsim
