#include "sim/workloads/tokens.h"

namespace snapsim {

namespace {
constexpr std::uint32_t kPassTimer = 1;
constexpr std::uint8_t kTokenMessage = 1;
}  // namespace

void TokensWorkload::OnStart(Context& ctx) {
  const World& w = ctx.world();
  peers_ = PeerTable(w, [&](ActorId, ActorId b) { return w.Group(b) == ActorGroup::kIn; });
  holders_.assign(w.ActorCount(), Holder{});
  for (ActorId a = 0; a < w.ActorCount(); ++a) {
    Holder& h = holders_[a];
    h.rng = ctx.WorkloadRng(a);
    h.peers = peers_.InlineRowOf(a);
  }
  peers_.DropRows();
  const auto in = w.InGroup();
  if (in.empty()) return;
  for (std::uint32_t i = 0; i < config_.tokens; ++i) {
    const ActorId holder = in[i % in.size()];
    ++holders_[holder].held;
    SchedulePass(ctx, holder);
  }
}

void TokensWorkload::SchedulePass(Context& ctx, ActorId at) {
  ctx.SetWorkloadTimer(at, Duration(config_.hold.Sample(holders_[at].rng)), kPassTimer);
}

void TokensWorkload::OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t) {
  Holder& h = holders_[at];
  if (kind != kPassTimer || h.held == 0) return;
  const ActorId to = peers_.Pick(h.peers, h.rng);
  if (to == kNoActor) return;  // an isolated holder keeps its token (no draw)
  --h.held;
  ctx.SendApp(at, to, AppPayload{kTokenMessage, 1, 0});
}

void TokensWorkload::OnDeliver(Context& ctx, ActorId at, const Message& m) {
  holders_[at].held += static_cast<std::uint32_t>(m.value);
  SchedulePass(ctx, at);
}

}  // namespace snapsim
