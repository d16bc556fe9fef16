// The `bank` workload: random money transfers between in-group processes.
//
// Every in-group process starts with the same balance. At intervals drawn per
// process it sends a transfer of a uniformly drawn amount in [1, max_amount]
// (capped at its balance; nothing when broke) to a uniformly chosen in-group
// neighbour. A process's state is its balance; total money is conserved.
#pragma once

#include <vector>

#include "sim/distribution.h"
#include "sim/workload.h"
#include "sim/workloads/peer_table.h"

namespace snapsim {

struct BankConfig {
  std::int64_t initial_balance = 1000;                          // Default: 1000
  std::int64_t max_amount = 100;                                // Default: 100
  Distribution interval = Distribution::Exponential(20'000.0);  // Default: exponential, mean 20 us
};

class BankWorkload : public Workload {
 public:
  explicit BankWorkload(BankConfig config) : config_(std::move(config)) {}
  std::string_view Name() const override { return "bank"; }
  void OnStart(Context& ctx) override;
  void OnDeliver(Context& ctx, ActorId at, const Message& m) override;
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override;
  std::int64_t LocalState(ActorId a) const override { return balance_[a]; }
  std::optional<std::int64_t> ConservedTotal() const override { return total_; }

 private:
  BankConfig config_;
  PeerTable peers_;
  std::vector<std::int64_t> balance_;
  std::int64_t total_ = 0;
};

}  // namespace snapsim
