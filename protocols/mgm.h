// mgm: monolithic gateway marking (MODEL.md section 5). One logical gateway
// carries all inbound traffic; to start snapshot n it switches its id to n
// and every message it forwards afterwards carries n. With several gateway
// actors in the topology they act as one: all switch at the same instant
// (the idealisation that makes MGM always consistent, and impractical).
#pragma once

#include "protocols/gateway_protocol.h"

namespace snapsim {

class MgmProtocol : public GatewayProtocol {
 public:
  using GatewayProtocol::GatewayProtocol;
  std::string_view Name() const override { return "mgm"; }

 protected:
  void StartTick(Context& ctx) override {
    if (!HasCapacity()) return;
    const SnapshotId n = BeginSnapshot(ctx);
    for (ActorId g : gateways_) MarkGateway(ctx, g, n);
    SnapshotRecord& r = ctx.Snapshot(n);
    r.t0_ns = r.t1_ns = ctx.LocalTime(Controller(ctx)).ns();
    ctx.Verdict(n, true);
  }
};

}  // namespace snapsim
