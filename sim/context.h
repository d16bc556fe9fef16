// Context: the narrow interface through which workloads and protocols act on
// a run. They never touch the engine directly.
//
// Everything here is deterministic: times are simulated, randomness comes
// from per-actor streams, and sends are ordered by the engine's sequence
// numbers. A Context is only valid during Engine::Run().
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "sim/ids.h"
#include "sim/message.h"
#include "sim/rng.h"
#include "sim/snapshot_log.h"
#include "sim/time.h"
#include "sim/world.h"

namespace snapsim {

class Engine;

// The application content of a message a workload sends.
struct AppPayload {
  std::uint8_t type = 0;
  std::int64_t value = 0;
  std::uint64_t aux = 0;
};

// The content of a protocol control message.
struct ControlPayload {
  std::uint8_t type = 0;
  std::uint32_t tag = 0;  // usually a snapshot id
  std::uint64_t aux = 0;
  std::int64_t value = 0;
  // Out of band: the message neither waits for nor delays FIFO traffic on
  // its channel (a separate control lane). Markers that must stay in order
  // with application messages (Chandy-Lamport) leave this false.
  bool out_of_band = false;
};

class Context {
 public:
  explicit Context(Engine& engine) : engine_(engine) {}

  // --- The world (read-only) ---
  SimTime Now() const;
  const World& world() const;
  // The actor's local clock reading now.
  SimTime LocalTime(ActorId a) const;

  // --- Traffic ---
  // Sends an application message from -> to, routed as MODEL.md says. The
  // protocol's OnSend hook sees it first. Returns the message id.
  // REQUIRES: a route from -> to exists (they are topology neighbours, or a
  // gateway fronts `to`).
  MessageId SendApp(ActorId from, ActorId to, const AppPayload& payload);
  // Sends a protocol control message from -> to (not seen by OnSend).
  MessageId SendControl(ActorId from, ActorId to, const ControlPayload& payload);
  // True when from -> to has a route.
  bool CanSend(ActorId from, ActorId to) const;

  // --- Timers ---
  void SetWorkloadTimer(ActorId a, Duration delay, std::uint32_t kind, std::uint32_t data = 0);
  void SetProtocolTimer(ActorId a, Duration delay, std::uint32_t kind, std::uint32_t data = 0);
  // A protocol timer that fires when a's local clock reads `local`.
  void SetProtocolTimerAtLocal(ActorId a, SimTime local, std::uint32_t kind,
                               std::uint32_t data = 0);

  // --- Randomness ---
  RandomStream& WorkloadRng(ActorId a);
  RandomStream& ProtocolRng(ActorId a);

  // --- Gateways ---
  // Forwards a message a gateway held (OnGatewayForward returned kHold).
  void ReleaseHeld(std::uint32_t slot);
  // The message in a pool slot (for protocols that hold messages).
  Message& MessageAt(std::uint32_t slot);

  // --- Recording (protocols) ---
  // Marks snapshot `id` as started now.
  void SnapshotInitiated(SnapshotId id);
  // Takes actor a's local snapshot of `id`: records the workload's state and
  // emits the trace's snapshot event. Returns the recorded state.
  std::int64_t RecordSnapshot(ActorId a, SnapshotId id);
  // Takes actor a's local snapshots of ids first..last (first <= last) at
  // once, one state for all: the same records and trace events as
  // RecordSnapshot for each id in increasing order, in one call.
  std::int64_t RecordSnapshots(ActorId a, SnapshotId first, SnapshotId last);
  // Records the in-flight messages of the channel from -> to for `id`.
  void RecordChannelState(SnapshotId id, ActorId from, ActorId to, std::span<const MessageId> msgs,
                          std::int64_t value_sum);
  // Records the same channel state for ids first..last (first <= last): the
  // same records and trace events as RecordChannelState for each id in
  // increasing order.
  void RecordChannelStates(SnapshotId first, SnapshotId last, ActorId from, ActorId to,
                           std::span<const MessageId> msgs, std::int64_t value_sum);
  // The protocol's verdict on snapshot `id`.
  void Verdict(SnapshotId id, bool accepted);
  // From Protocol::OnFinish: the run ended before the protocol could decide
  // snapshot `id` (e.g. its acks were still due). It is then reported as
  // unfinished, neither accepted nor rejected; a second call is a no-op.
  // After OnFinish the engine also marks every snapshot without a verdict
  // that the protocol had not closed (some in-group process or channel not
  // yet recorded). A snapshot has a verdict or is unfinished, never both:
  // either call after the other stops the run with an internal error.
  void Unfinished(SnapshotId id);
  // Direct access to a snapshot's record, for protocol-specific timings.
  // Its tallied fields (SnapshotTally: local snapshots and channel states
  // recorded, states, times) are filled in only when the run ends.
  SnapshotRecord& Snapshot(SnapshotId id);
  // A local step worth a trace line.
  void Internal(ActorId a);

 private:
  Engine& engine_;
};

}  // namespace snapsim
