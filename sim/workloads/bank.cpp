#include "sim/workloads/bank.h"

#include <algorithm>

namespace snapsim {

namespace {
constexpr std::uint32_t kTransferTimer = 1;
constexpr std::uint8_t kTransferMessage = 1;
}  // namespace

void BankWorkload::OnStart(Context& ctx) {
  const World& w = ctx.world();
  peers_ = PeerTable(w, [&](ActorId, ActorId b) { return w.Group(b) == ActorGroup::kIn; });
  balance_.assign(w.ActorCount(), 0);
  for (ActorId a : w.InGroup()) {
    balance_[a] = config_.initial_balance;
    total_ += config_.initial_balance;
    ctx.SetWorkloadTimer(a, Duration(config_.interval.Sample(ctx.WorkloadRng(a))), kTransferTimer);
  }
}

void BankWorkload::OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t) {
  if (kind != kTransferTimer) return;
  RandomStream& rng = ctx.WorkloadRng(at);
  const ActorId to = peers_.Pick(at, rng);
  const std::int64_t amount = std::min<std::int64_t>(
      1 + static_cast<std::int64_t>(rng.Below(config_.max_amount)), balance_[at]);
  if (to != kNoActor && amount > 0) {
    balance_[at] -= amount;
    ctx.SendApp(at, to, AppPayload{kTransferMessage, amount, 0});
  }
  ctx.SetWorkloadTimer(at, Duration(config_.interval.Sample(rng)), kTransferTimer);
}

void BankWorkload::OnDeliver(Context&, ActorId at, const Message& m) { balance_[at] += m.value; }

}  // namespace snapsim
