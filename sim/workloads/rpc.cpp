#include "sim/workloads/rpc.h"

namespace snapsim {

namespace {
constexpr std::uint32_t kClientTimer = 1;
constexpr std::uint32_t kExternalReplyTimer = 2;
constexpr std::uint32_t kExternalCallbackTimer = 3;

bool IsClient(const World& w, ActorId a) {
  return w.Group(a) == ActorGroup::kOut &&
         (w.Role(a) == ProcessRole::kClient || w.Role(a) == ProcessRole::kPlain);
}
bool IsExternal(const World& w, ActorId a) {
  return w.Group(a) == ActorGroup::kOut &&
         (w.Role(a) == ProcessRole::kExternal || w.Role(a) == ProcessRole::kPlain);
}
}  // namespace

void RpcWorkload::OnStart(Context& ctx) {
  const World& w = ctx.world();
  // One table's rows at a time beside the records: each is copied and
  // dropped before the next is built.
  actors_.assign(w.ActorCount(), ActorRecord{});
  services_ = PeerTable(w, [&](ActorId, ActorId b) { return w.Group(b) == ActorGroup::kIn; });
  for (ActorId a = 0; a < w.ActorCount(); ++a) actors_[a].services = services_.InlineRowOf(a);
  services_.DropRows();
  externals_ = PeerTable(w, [&](ActorId, ActorId b) { return IsExternal(w, b); });
  for (ActorId a = 0; a < w.ActorCount(); ++a) actors_[a].externals = externals_.InlineRowOf(a);
  externals_.DropRows();
  for (ActorId c : w.OutGroup()) {
    if (!IsClient(w, c) || actors_[c].services.count == 0) continue;
    ctx.SetWorkloadTimer(c, Duration(config_.request_interval.Sample(ctx.WorkloadRng(c))),
                         kClientTimer);
  }
}

void RpcWorkload::OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) {
  RandomStream& rng = ctx.WorkloadRng(at);
  switch (kind) {
    case kClientTimer: {
      const ActorId service = services_.Pick(actors_[at].services, rng);
      ctx.SendApp(at, service, AppPayload{kRequest, 0, 0});
      ctx.SetWorkloadTimer(at, Duration(config_.request_interval.Sample(rng)), kClientTimer);
      break;
    }
    case kExternalReplyTimer:
      ctx.SendApp(at, data, AppPayload{kExternalReply, 0, 0});
      break;
    case kExternalCallbackTimer:
      ctx.SendApp(at, data, AppPayload{kCallback, 0, 0});
      break;
  }
}

// A service handles a request: maybe call a peer, maybe call an external.
void RpcWorkload::Serve(Context& ctx, ActorId at) {
  ActorRecord& r = actors_[at];
  ++r.served;
  RandomStream& rng = ctx.WorkloadRng(at);
  if (rng.Bernoulli(config_.p_internal)) {
    const ActorId peer = services_.Pick(r.services, rng);
    if (peer != kNoActor) ctx.SendApp(at, peer, AppPayload{kCall, 0, 0});
  }
  if (rng.Bernoulli(config_.p_external)) {
    const ActorId ext = externals_.Pick(r.externals, rng);
    if (ext != kNoActor) ctx.SendApp(at, ext, AppPayload{kExternalCall, 0, 0});
  }
}

void RpcWorkload::OnDeliver(Context& ctx, ActorId at, const Message& m) {
  RandomStream& rng = ctx.WorkloadRng(at);
  switch (m.type) {
    case kRequest:
      Serve(ctx, at);
      ctx.SendApp(at, m.src, AppPayload{kReply, 0, 0});
      break;
    case kCallback:
      Serve(ctx, at);
      break;
    case kCall:
      ++actors_[at].served;
      ctx.SendApp(at, m.src, AppPayload{kCallReply, 0, 0});
      break;
    case kExternalCall: {
      const Duration delay(config_.external_delay.Sample(rng));
      ctx.SetWorkloadTimer(at, delay, kExternalReplyTimer, m.src);
      if (rng.Bernoulli(config_.p_callback)) {
        const ActorId target = services_.Pick(actors_[at].services, rng);
        if (target != kNoActor) ctx.SetWorkloadTimer(at, delay, kExternalCallbackTimer, target);
      }
      break;
    }
    default:  // replies end a call
      break;
  }
}

}  // namespace snapsim
