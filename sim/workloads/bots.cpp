#include "sim/workloads/bots.h"

namespace snapsim {

namespace {
constexpr std::uint32_t kRequestTimer = 1;
}

void BotsWorkload::OnStart(Context& ctx) {
  const World& w = ctx.world();
  visits_.assign(w.ActorCount(), 0);
  service1_ = w.InGroup()[0];
  service2_ = w.InGroup()[1];
  client_ = w.OutGroup()[0];
  if (config_.requests > 0) ctx.SetWorkloadTimer(client_, config_.interval, kRequestTimer, 0);
}

void BotsWorkload::OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) {
  if (kind != kRequestTimer) return;
  if (ctx.WorkloadRng(at).Bernoulli(config_.bot_ratio))
    ctx.SendApp(at, service2_, AppPayload{kBotAccess, 0, data});
  else
    ctx.SendApp(at, service1_, AppPayload{kLogin, 0, data});
  if (data + 1 < config_.requests)
    ctx.SetWorkloadTimer(at, config_.interval, kRequestTimer, data + 1);
}

void BotsWorkload::OnDeliver(Context& ctx, ActorId at, const Message& m) {
  switch (m.type) {
    case kLogin:
      ++visits_[at];
      ctx.SendApp(at, m.src, AppPayload{kLoginOk, 0, m.aux});
      break;
    case kLoginOk:  // the client continues to service 2
      ctx.SendApp(at, service2_, AppPayload{kAccess, 0, m.aux});
      break;
    case kAccess:
      ++visits_[at];
      ctx.SendApp(at, m.src, AppPayload{kDone, 0, m.aux});
      break;
    case kBotAccess:
      ++visits_[at];
      ++bots_served_;
      ctx.SendApp(at, m.src, AppPayload{kDone, 0, m.aux});
      break;
    default:
      break;
  }
}

}  // namespace snapsim
