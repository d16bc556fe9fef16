// lai-yang, lai-yang-in-group-only and full-participation (MODEL.md section 5).
//
// All three run LaiYangCore with snapshots initiated by the schedule. They
// differ only in who participates:
//   lai-yang                 every process (the classic, closed-system setting)
//   full-participation       the same rule, named for scenarios with out-group
//                            traffic: out-group processes and gateways carry
//                            ids too ("make everyone a participant")
//   lai-yang-in-group-only   in-group processes only; out-group traffic flows
//                            untagged, so hidden causality breaks consistency
#pragma once

#include "protocols/lai_yang_core.h"
#include "protocols/registry.h"
#include "protocols/schedule.h"
#include "sim/protocol.h"

namespace snapsim {

class LaiYangProtocol : public Protocol {
 public:
  LaiYangProtocol(std::string_view name, const ProtocolOptions& options,
                  bool out_group_participates)
      : name_(name),
        schedule_(options.schedule, kInitiateTimer),
        out_group_participates_(out_group_participates) {}

  std::string_view Name() const override { return name_; }
  void OnStart(Context& ctx) override {
    core_.Init(ctx, out_group_participates_);
    schedule_.Start(ctx);
  }
  void OnSend(Context& ctx, ActorId from, Message& m) override { core_.OnSend(ctx, from, m); }
  StateArrays PrefetchTargets() const override { return core_.PrefetchTargets(); }
  void OnArrival(Context& ctx, ActorId at, Message& m) override { core_.OnArrival(ctx, at, m); }
  ForwardAction OnGatewayForward(Context& ctx, ActorId g, Message& m, std::uint32_t) override {
    core_.OnGatewayForward(ctx, g, m);
    return ForwardAction::kForward;
  }
  void OnControl(Context& ctx, ActorId at, const Message& m) override {
    core_.OnControl(ctx, at, m);
  }
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override {
    if (kind == kInitiateTimer) core_.AdvanceTo(ctx, at, schedule_.Fired(ctx, data));
  }

 private:
  static constexpr std::uint32_t kInitiateTimer = 1;
  std::string_view name_;
  SnapshotSchedule schedule_;
  bool out_group_participates_;
  LaiYangCore core_;
};

}  // namespace snapsim
