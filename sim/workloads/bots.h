// The `bots` workload: the anomalous-access use case of the Beaver paper
// (Table 3). One out-group client sends `requests` requests, `interval`
// apart. A legitimate request visits service 1 (the first in-group process),
// whose reply goes back to the client, which then visits service 2 (the
// second in-group process): the order is enforced through the out-group
// client, a hidden causal chain. A bot request (probability bot_ratio)
// visits service 2 only. Each service's state is its visit counter.
//
// In every consistent snapshot, counter 2 <= counter 1 + bots served, so a
// detector that raises an alarm when counter 2 > counter 1 never raises a
// false alarm on a consistent snapshot.
#pragma once

#include <vector>

#include "sim/workload.h"

namespace snapsim {

struct BotsConfig {
  std::uint32_t requests = 1000;        // Default: 1000
  Duration interval = Milliseconds(1);  // Default: 1 ms
  double bot_ratio = 0.05;              // Default: 0.05
};

class BotsWorkload : public Workload {
 public:
  enum Type : std::uint8_t { kLogin = 1, kLoginOk, kAccess, kBotAccess, kDone };

  explicit BotsWorkload(BotsConfig config) : config_(config) {}
  std::string_view Name() const override { return "bots"; }
  void OnStart(Context& ctx) override;
  void OnDeliver(Context& ctx, ActorId at, const Message& m) override;
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override;
  std::int64_t LocalState(ActorId a) const override { return visits_[a]; }

  ActorId Service1() const { return service1_; }
  ActorId Service2() const { return service2_; }
  // Bot requests service 2 has served so far (ground truth for detectors).
  std::uint64_t BotsServed() const { return bots_served_; }

 private:
  BotsConfig config_;
  ActorId client_ = kNoActor, service1_ = kNoActor, service2_ = kNoActor;
  std::vector<std::int64_t> visits_;
  std::uint64_t bots_served_ = 0;
};

}  // namespace snapsim
