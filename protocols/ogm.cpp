#include "protocols/ogm.h"

namespace snapsim {

void OgmProtocol::StartTick(Context& ctx) {
  if (!HasCapacity()) return;
  const SnapshotId n = BeginSnapshot(ctx);
  const ActorId ctl = Controller(ctx);
  Pending& p = pending_.Push(n);
  p.t0 = ctx.LocalTime(ctl).ns();
  p.acks = 0;
  p.open = true;
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
  Pending* const p = pending_.Find(m.aux);
  if (p == nullptr || ++p->acks < gateways_.size()) return;
  const SnapshotId n = m.aux;
  const std::int64_t t0 = p->t0;
  p->open = false;  // p is not used past here
  pending_.DropRetired();
  const std::int64_t t1 = ctx.LocalTime(Controller(ctx)).ns();
  SnapshotRecord& r = ctx.Snapshot(n);
  r.t0_ns = t0;
  r.t1_ns = t1;
  ctx.Verdict(n, t1 - t0 < options_.tau.ns());
}

void OgmProtocol::OnFinish(Context& ctx) {
  for (std::size_t i = 0; i < pending_.Size(); ++i) {
    if (!pending_[i].open) continue;
    const SnapshotId n = pending_.First() + i;
    ctx.Snapshot(n).t0_ns = pending_[i].t0;
    ctx.Unfinished(n);  // its acks were still due: no verdict either way
  }
  pending_.Clear();
}

}  // namespace snapsim
