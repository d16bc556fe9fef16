#include "sim/workloads/tokens.h"

namespace snapsim {

namespace {
constexpr std::uint32_t kPassTimer = 1;
constexpr std::uint8_t kTokenMessage = 1;
}  // namespace

void TokensWorkload::OnStart(Context& ctx) {
  const World& w = ctx.world();
  peers_ = PeerTable(w, [&](ActorId, ActorId b) { return w.Group(b) == ActorGroup::kIn; });
  held_.assign(w.ActorCount(), 0);
  const auto in = w.InGroup();
  if (in.empty()) return;
  for (std::uint32_t i = 0; i < config_.tokens; ++i) {
    const ActorId holder = in[i % in.size()];
    ++held_[holder];
    SchedulePass(ctx, holder);
  }
}

void TokensWorkload::SchedulePass(Context& ctx, ActorId at) {
  ctx.SetWorkloadTimer(at, Duration(config_.hold.Sample(ctx.WorkloadRng(at))), kPassTimer);
}

void TokensWorkload::OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t) {
  if (kind != kPassTimer || held_[at] == 0) return;
  const ActorId to = peers_.Pick(at, ctx.WorkloadRng(at));
  if (to == kNoActor) return;  // an isolated holder keeps its token
  --held_[at];
  ctx.SendApp(at, to, AppPayload{kTokenMessage, 1, 0});
}

void TokensWorkload::OnDeliver(Context& ctx, ActorId at, const Message& m) {
  held_[at] += m.value;
  SchedulePass(ctx, at);
}

}  // namespace snapsim
