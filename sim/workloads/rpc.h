// The `rpc` workload: the hidden-causality pattern of MODEL.md section 1.
//
// Out-group clients call in-group services (entering through a gateway).
// A service answers its client directly (direct server return) and, per
// request, may call another in-group service (p_internal) and may call an
// out-group external service (p_external). An external service replies to
// its caller after a processing delay (the reply re-enters through a
// gateway, SNAT), and with probability p_callback also issues a follow-up
// call to another in-group service (through a gateway): a causal chain
// in-group -> out-group -> in-group that in-group-only protocols cannot see.
//
// Roles come from the topology: clients are out-group actors with role
// client (or plain), externals are out-group actors with role external (or
// plain). A service's state is the number of calls it has served.
#pragma once

#include <vector>

#include "sim/distribution.h"
#include "sim/huge_pages.h"
#include "sim/workload.h"
#include "sim/workloads/peer_table.h"

namespace snapsim {

struct RpcConfig {
  Distribution request_interval =
      Distribution::Exponential(50'000.0);  // per client; Default: exp, mean 50 us
  double p_internal = 0.3;                  // Default: 0.3
  double p_external = 0.3;                  // Default: 0.3
  double p_callback = 0.5;                  // Default: 0.5
  Distribution external_delay = Distribution::Constant(1'000);  // Default: 1 us
};

class RpcWorkload : public Workload {
 public:
  // Message types on the wire.
  enum Type : std::uint8_t {
    kRequest = 1,    // client -> service
    kReply,          // service -> client (direct)
    kCall,           // service -> service
    kCallReply,      // service -> service
    kExternalCall,   // service -> external (direct)
    kExternalReply,  // external -> service (via gateway)
    kCallback,       // external -> another service (via gateway)
  };

  explicit RpcWorkload(RpcConfig config) : config_(std::move(config)) {}
  std::string_view Name() const override { return "rpc"; }
  void OnStart(Context& ctx) override;
  void OnDeliver(Context& ctx, ActorId at, const Message& m) override;
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override;
  std::int64_t LocalState(ActorId a) const override { return actors_[a].served; }
  // Each actor's record: read when it serves a request or sends one, and
  // when it records a local snapshot.
  StateArray PrefetchTarget() const override {
    return {reinterpret_cast<const std::byte*>(actors_.data()), sizeof(ActorRecord)};
  }

 private:
  // Everything serving a request reads at one actor, in 32 aligned bytes
  // (half a cache line), so that the engine's prefetch of it is the only
  // line it brings in besides the actor's random stream: with separate
  // arrays (count served, the two peer rows, a ring's peer list) an event at
  // one of 10^6 services missed up to four lines, none of them prefetched
  // but the count.
  struct alignas(32) ActorRecord {
    std::int64_t served = 0;         // calls served: the actor's state
    PeerTable::InlineRow services;   // in-group neighbours
    PeerTable::InlineRow externals;  // external neighbours
  };
  static_assert(sizeof(ActorRecord) == 32, "two records per cache line");

  void Serve(Context& ctx, ActorId at);
  RpcConfig config_;
  PeerTable services_;   // in-group neighbours of each actor (rows in actors_)
  PeerTable externals_;  // external neighbours of each service (rows in actors_)
  HugePageVector<ActorRecord> actors_;
};

}  // namespace snapsim
