// The `script` workload: hand-written sends at given times, for golden tests
// and textbook examples. Each process starts with a given amount (tokens,
// money); a scripted send moves `value` from its sender to its receiver
// (the sender's amount drops at the send, the receiver's rises on delivery).
// The total is conserved.
#pragma once

#include <vector>

#include "sim/workload.h"

namespace snapsim {

struct ScriptedSend {
  Duration at;
  ActorId from = kNoActor;
  ActorId to = kNoActor;
  std::int64_t value = 1;
};

struct ScriptConfig {
  std::vector<std::int64_t> initial;  // per actor (in-group first); missing: 0
  std::vector<ScriptedSend> sends;    // sorted by time
};

class ScriptWorkload : public Workload {
 public:
  explicit ScriptWorkload(ScriptConfig config) : config_(std::move(config)) {}
  std::string_view Name() const override { return "script"; }
  void OnStart(Context& ctx) override;
  void OnDeliver(Context& ctx, ActorId at, const Message& m) override { amount_[at] += m.value; }
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override;
  std::int64_t LocalState(ActorId a) const override { return amount_[a]; }
  std::optional<std::int64_t> ConservedTotal() const override { return total_; }

 private:
  ScriptConfig config_;
  std::vector<std::int64_t> amount_;
  std::int64_t total_ = 0;
};

}  // namespace snapsim
