// The `tokens` workload: N tokens passed between in-group processes.
//
// Tokens start spread round-robin over the in-group processes (token i at the
// i-th in-group process, modulo their number). A process holding tokens
// passes one of them, after a hold time drawn per token, to a uniformly
// chosen in-group neighbour. A process's state is the number of tokens it
// holds; the total is conserved (value 1 per token message).
#pragma once

#include <vector>

#include "sim/distribution.h"
#include "sim/workload.h"
#include "sim/workloads/peer_table.h"

namespace snapsim {

struct TokensConfig {
  std::uint32_t tokens = 1;                                 // Default: 1
  Distribution hold = Distribution::Exponential(10'000.0);  // Default: exponential, mean 10 us
};

class TokensWorkload : public Workload {
 public:
  explicit TokensWorkload(TokensConfig config) : config_(std::move(config)) {}
  std::string_view Name() const override { return "tokens"; }
  void OnStart(Context& ctx) override;
  void OnDeliver(Context& ctx, ActorId at, const Message& m) override;
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override;
  std::int64_t LocalState(ActorId a) const override { return held_[a]; }
  std::optional<std::int64_t> ConservedTotal() const override { return config_.tokens; }

 private:
  void SchedulePass(Context& ctx, ActorId at);
  TokensConfig config_;
  PeerTable peers_;
  std::vector<std::int64_t> held_;
};

}  // namespace snapsim
