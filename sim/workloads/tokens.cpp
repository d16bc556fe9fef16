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
    h.peer_count = peers_.Count(a);
    if (h.peer_count <= kInlinePeers)
      for (std::uint32_t i = 0; i < h.peer_count; ++i) h.peers[i] = peers_.At(a, i);
  }
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
  if (h.peer_count == 0) return;  // an isolated holder keeps its token
  // The same draw as PeerTable::Pick: one Below(peer_count).
  const auto i = static_cast<std::uint32_t>(h.rng.Below(h.peer_count));
  const ActorId to = h.peer_count <= kInlinePeers ? h.peers[i] : peers_.At(at, i);
  --h.held;
  ctx.SendApp(at, to, AppPayload{kTokenMessage, 1, 0});
}

void TokensWorkload::OnDeliver(Context& ctx, ActorId at, const Message& m) {
  holders_[at].held += static_cast<std::uint32_t>(m.value);
  SchedulePass(ctx, at);
}

}  // namespace snapsim
