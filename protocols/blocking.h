// blocking: the strawman of two-phase gateway marking (MODEL.md section 5).
// The controller sends prepare(n); each gateway starts holding inbound
// traffic and acks; after all acks the controller sends commit(n); each
// gateway adopts n, releases what it held (stamped n, in arrival order) and
// acks. The next snapshot starts only after every commit ack (one in flight
// at a time at the gateways). Always consistent; pays in held traffic, added
// latency and a lower sustainable rate.
#pragma once

#include <deque>
#include <vector>

#include "protocols/gateway_protocol.h"

namespace snapsim {

class BlockingProtocol : public GatewayProtocol {
 public:
  using GatewayProtocol::GatewayProtocol;
  std::string_view Name() const override { return "blocking"; }
  void OnStart(Context& ctx) override;
  ForwardAction OnGatewayForward(Context& ctx, ActorId g, Message& m, std::uint32_t slot) override;
  // A round still under way is reported unfinished (not accepted by default).
  void OnFinish(Context& ctx) override;

 protected:
  void StartTick(Context& ctx) override;
  void OnGatewayControl(Context& ctx, ActorId g, const Message& m) override;
  void OnControllerControl(Context& ctx, const Message& m) override;

 private:
  void Broadcast(Context& ctx, std::uint8_t type, SnapshotId n);
  bool busy_ = false;  // a two-phase round is under way
  SnapshotId round_ = 0;
  std::int64_t t0_ = 0;
  std::uint32_t acks_ = 0;
  std::vector<bool> holding_;                    // by gateway index
  std::vector<std::deque<std::uint32_t>> held_;  // by gateway index: message slots
};

}  // namespace snapsim
