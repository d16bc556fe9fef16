// Protocol: the plug-in interface of a snapshot protocol (MODEL.md section 5).
//
// One object per run; per-actor state lives in vectors inside it. Every hook
// is called for every actor of the kind named (protocols decide what to do
// per group: out-group processes run no protocol code unless the protocol is
// a full-participation one). Hooks act only through the Context. The hooks
// are called once per message or timer, never per heap operation.
//
// Order at a process receiving a message m:
//   OnArrival(a, m)      may record a local snapshot (Lai-Yang rule: state is
//                        recorded before m is delivered, so the receive is
//                        outside the cut)
//   trace: recv m
//   OnControl(a, m)      if m is a control message, else the workload's
//                        OnDeliver(a, m)
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/context.h"
#include "sim/message.h"
#include "sim/state_array.h"

namespace snapsim {

enum class ForwardAction : std::uint8_t { kForward, kHold };

class Protocol {
 public:
  virtual ~Protocol() = default;
  // The registry name, e.g. "none", "ogm".
  virtual std::string_view Name() const = 0;
  // Called once before the first event.
  virtual void OnStart(Context& ctx) {}
  // An application message leaves `from` (may stamp m.tag / m.stamp_ns).
  virtual void OnSend(Context& ctx, ActorId from, Message& m) {}
  // A message (application or control) reaches its destination process,
  // before delivery.
  virtual void OnArrival(Context& ctx, ActorId at, Message& m) {}
  // A message passes gateway g on its way to m.dst. Returning kHold keeps it
  // at the gateway until the protocol calls ctx.ReleaseHeld(slot).
  virtual ForwardAction OnGatewayForward(Context& ctx, ActorId g, Message& m, std::uint32_t slot) {
    return ForwardAction::kForward;
  }
  // A control message addressed to `at` has been received.
  virtual void OnControl(Context& ctx, ActorId at, const Message& m) {}
  // A protocol timer fires.
  virtual void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) {}
  // Called once after the last event: close or abandon open snapshots, and
  // report those the protocol had not decided with Context::Unfinished.
  virtual void OnFinish(Context& ctx) {}
  // Where the records the hooks read first for actor a live, up to two
  // (sim/state_array.h): the engine prefetches them for an arrival's actor
  // and a workload timer's actor a few events ahead, and follows their
  // pointers for arrivals. Read once, after OnStart. Optional; changes no
  // result.
  virtual StateArrays PrefetchTargets() const { return {}; }
  // Run-level figures the protocol measured (name, value), for summary.json.
  virtual std::vector<std::pair<std::string, double>> Figures() const { return {}; }
};

}  // namespace snapsim
