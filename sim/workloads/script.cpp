#include "sim/workloads/script.h"

namespace snapsim {

namespace {
constexpr std::uint32_t kSendTimer = 1;
constexpr std::uint8_t kScriptMessage = 1;
}  // namespace

void ScriptWorkload::OnStart(Context& ctx) {
  amount_.assign(ctx.world().ActorCount(), 0);
  for (std::size_t a = 0; a < config_.initial.size() && a < amount_.size(); ++a) {
    amount_[a] = config_.initial[a];
    total_ += config_.initial[a];
  }
  for (std::uint32_t i = 0; i < config_.sends.size(); ++i) {
    const ScriptedSend& s = config_.sends[i];
    ctx.SetWorkloadTimer(s.from, s.at, kSendTimer, i);
  }
}

void ScriptWorkload::OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) {
  if (kind != kSendTimer) return;
  const ScriptedSend& s = config_.sends[data];
  amount_[at] -= s.value;
  ctx.SendApp(at, s.to, AppPayload{kScriptMessage, s.value, 0});
}

}  // namespace snapsim
