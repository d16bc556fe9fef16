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
#include "sim/rng.h"
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
  std::int64_t LocalState(ActorId a) const override { return holders_[a].held; }
  StateArray PrefetchTarget() const override {
    return {reinterpret_cast<const std::byte*>(holders_.data()), sizeof(Holder)};
  }
  std::optional<std::int64_t> ConservedTotal() const override { return config_.tokens; }

 private:
  // Everything a pass or a delivery at one actor touches, in 32 aligned
  // bytes (half a cache line): with 10^6 actors each event's actor is a
  // cache miss, so one line instead of four (token count, peer offsets, peer
  // list, random stream in separate arrays) saves misses, while at 10^5 the
  // records stay small enough to share the caches (a 64-byte record with 9
  // peers inline was 10 % slower there; docs/performance-history.md). Up to
  // two peers are held inline (a ring's), larger lists are read from peers_.
  // The stream is the actor's workload stream, copied from the World at the
  // start, so the draws (and the runs) are the same as drawing from the
  // World's.
  struct alignas(32) Holder {
    RandomStream rng;
    std::uint32_t held = 0;      // tokens held (at most config.tokens, a 32-bit count)
    PeerTable::InlineRow peers;  // in-group neighbours
  };
  static_assert(sizeof(Holder) == 32, "two Holders per cache line");

  void SchedulePass(Context& ctx, ActorId at);
  TokensConfig config_;
  PeerTable peers_;  // lists of more than two peers (rows in holders_)
  std::vector<Holder> holders_;
};

}  // namespace snapsim
