// ogm: optimistic gateway marking, Beaver's protocol (MODEL.md sections 5
// and 7). The controller notes t0 on its clock and sends mark(n) to every
// gateway; each gateway adopts n (ids only grow) and acks; at the last ack
// the controller notes t1 and accepts the snapshot iff t1 - t0 < tau, where
// tau is the configured lower bound on an external causal chain (gateway ->
// in-group -> out-group -> gateway). Up to max_in_flight snapshots are
// pipelined. A snapshot whose acks have not all arrived when the run ends is
// reported unfinished (Context::Unfinished), neither accepted nor rejected.
#pragma once

#include "protocols/gateway_protocol.h"
#include "protocols/recycling_queue.h"

namespace snapsim {

class OgmProtocol : public GatewayProtocol {
 public:
  using GatewayProtocol::GatewayProtocol;
  std::string_view Name() const override { return "ogm"; }
  void OnFinish(Context& ctx) override;

 protected:
  void StartTick(Context& ctx) override;
  void OnGatewayControl(Context& ctx, ActorId g, const Message& m) override;
  void OnControllerControl(Context& ctx, const Message& m) override;

 private:
  struct Pending {
    std::int64_t t0 = 0;
    std::uint32_t acks = 0;
    bool open = false;  // still waiting for acks
  };
  // The snapshots started and not all acked, by id (every snapshot OGM
  // begins enters, in id order). One closed in the middle stays until those
  // before it close, so a snapshot whose acks never all come, after a lost
  // mark, keeps every later entry to the end of the run: 16 bytes a
  // snapshot, beside the engine's record of each. No allocation per
  // snapshot (IdWindow).
  IdWindow<Pending, &Pending::open> pending_;
};

}  // namespace snapsim
