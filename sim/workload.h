// Workload: the application a run simulates (tokens, bank, rpc, ...).
//
// A workload generates application traffic through the Context and exposes
// each process's local state, which protocols record in snapshots. Workloads
// know nothing of protocols.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sim/context.h"
#include "sim/message.h"
#include "sim/state_array.h"

namespace snapsim {

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string_view Name() const = 0;
  // Called once before the first event: set timers, send first messages.
  virtual void OnStart(Context& ctx) = 0;
  // An application message is delivered to `at`.
  virtual void OnDeliver(Context& ctx, ActorId at, const Message& m) = 0;
  // A workload timer fires at `at`.
  virtual void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) {}
  // Where the record an OnDeliver or OnTimer at actor a reads first lives
  // (sim/state_array.h). The engine prefetches it for events that come soon.
  // Read once, after OnStart. Optional; changes no result.
  using StateArray = snapsim::StateArray;
  virtual StateArray PrefetchTarget() const { return {}; }
  // The state a snapshot records at process a (tokens held, balance, ...).
  virtual std::int64_t LocalState(ActorId a) const = 0;
  // The conserved total, for workloads that conserve one in a closed system
  // (sum of LocalState over in-group processes plus values in flight).
  virtual std::optional<std::int64_t> ConservedTotal() const { return std::nullopt; }
};

}  // namespace snapsim
