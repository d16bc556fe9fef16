// GatewayProtocol: what MGM, OGM and the blocking strawman share (MODEL.md
// sections 1, 5 and 7).
//
// - In-group processes run the Lai-Yang rule with local = max(local, tag)
//   before delivery, and stamp `local` on in-group traffic (LaiYangCore).
// - Gateways are participants: each has an id, stamps max(id, tag) on what it
//   forwards, and adopts higher ids seen on the traffic it forwards (so
//   in-group traffic through VIPs carries ids forward). Out-group processes
//   run nothing.
// - When a gateway adopts snapshot n it notifies the in-group processes it is
//   responsible for (process i -> gateway i mod g) with a control message
//   tagged n, so idle processes also take their local snapshot. (Option
//   `notify`, default on; off, completion relies on traffic.)
// - The controller's schedule ticks at the configured rate; a tick starts
//   the next snapshot when fewer than max_in_flight are in flight, else it is
//   skipped. A snapshot is in flight until the in-group's lowest id reaches
//   it (the real controller learns that from backend reports; here the
//   engine's own bookkeeping tells it, at no message cost).
// - With id_bits 14, tags on in-group traffic carry the id modulo 2^14 and
//   receivers unwrap it against their own id (as the real system does):
//   exact for tags less than 2^14 - max_in_flight ids behind the receiver;
//   older ones are misread as later ids and counted (figure id_aliases).
//   Gateway -> backend traffic carries 32 bits.
//
// Derived protocols decide what a tick does (StartTick), handle their
// control messages (OnGatewayControl / OnControllerControl), and may hold
// traffic at gateways (Holding).
#pragma once

#include <vector>

#include "protocols/lai_yang_core.h"
#include "protocols/recycling_queue.h"
#include "protocols/registry.h"
#include "protocols/schedule.h"
#include "sim/protocol.h"

namespace snapsim {

class GatewayProtocol : public Protocol {
 public:
  // Control message types (the core's report uses 200).
  static constexpr std::uint8_t kNotice = 210, kMark = 211, kAck = 212, kPrepare = 213,
                                kPrepareAck = 214, kCommit = 215, kCommitAck = 216;

  explicit GatewayProtocol(const ProtocolOptions& options) : options_(options) {}

  void OnStart(Context& ctx) override;
  void OnSend(Context& ctx, ActorId from, Message& m) override;
  void OnArrival(Context& ctx, ActorId at, Message& m) override;
  ForwardAction OnGatewayForward(Context& ctx, ActorId g, Message& m, std::uint32_t slot) override;
  void OnControl(Context& ctx, ActorId at, const Message& m) override;
  void OnTimer(Context& ctx, ActorId at, std::uint32_t kind, std::uint32_t data) override;
  StateArrays PrefetchTargets() const override { return core_.PrefetchTargets(); }

  // Run-level figures for summary.json.
  struct TickFigures {
    std::uint64_t ticks = 0, started = 0, skipped = 0, max_in_flight_reached = 0, notices = 0;
    std::uint64_t id_aliases = 0;  // 14-bit tags unwrapped to another id than was sent
  };
  std::vector<std::pair<std::string, double>> Figures() const override;

 protected:
  // The schedule ticked: start a snapshot if the protocol can.
  virtual void StartTick(Context& ctx) = 0;
  virtual void OnGatewayControl(Context& ctx, ActorId g, const Message& m) {}
  virtual void OnControllerControl(Context& ctx, const Message& m) {}
  // True while gateway g holds inbound traffic (blocking).
  virtual bool Holding(ActorId g) const { return false; }

  // True when another snapshot may start.
  bool HasCapacity() const { return in_flight_.Size() < options_.max_in_flight; }
  // Allocates the next snapshot id and marks it initiated and in flight.
  SnapshotId BeginSnapshot(Context& ctx);
  // Gateway g adopts snapshot n (if higher than its id). Whenever a
  // gateway's id rises (here or through forwarded traffic) it notifies its
  // processes; marking times are recorded through the core's listener.
  void MarkGateway(Context& ctx, ActorId g, SnapshotId n);
  // Stamps a message a gateway forwards (adopt, then stamp).
  void StampAtGateway(Context& ctx, ActorId g, Message& m);
  std::size_t GatewayIndex(ActorId g) const;
  ActorId Controller(Context& ctx) const { return ctx.world().Controller(); }

  ProtocolOptions options_;
  LaiYangCore core_;
  std::vector<ActorId> gateways_;

 private:
  struct InFlight {
    bool active = false;               // started and not done
    std::vector<std::int64_t> marked;  // true marking time per gateway (-1: not yet)
    std::uint32_t gateways_marked = 0;
  };
  // Every in-group process has reached snapshot n (its id is n or more).
  bool AllReached(SnapshotId n) const { return in_group_ == 0 || n <= lowest_; }
  // A snapshot leaves the in-flight set once every in-group process has
  // reached it and every gateway has marked it.
  bool Done(SnapshotId n, const InFlight& f) const {
    return AllReached(n) && f.gateways_marked == gateways_.size();
  }
  void OnAdvance(Context& ctx, ActorId a, SnapshotId from, SnapshotId to);
  // An in-group process's id rose from `from` to `to`: moves it in
  // processes_at_, and ends the snapshots that every in-group process has
  // now reached, if their gateways have marked them.
  void MoveProcess(SnapshotId from, SnapshotId to);
  // Snapshot n's bookkeeping while it is in flight, else null.
  InFlight* FindInFlight(SnapshotId n) { return in_flight_.Find(n); }
  // Drops the done slots (active false) at the front of in_flight_: every
  // done one, since ids finish in order.
  void DropRetired();
  // Sends gateway g's notices for id n to its processes (option notify).
  void Notify(Context& ctx, ActorId g, SnapshotId n);
  // Restores the full id of a 14-bit tag arriving at `at`.
  void UnwrapTag(ActorId at, Message& m);
  void ArmTick(Context& ctx, std::uint64_t tick);
  std::uint32_t Wrap(SnapshotId id) const;
  SnapshotId Unwrap(std::uint32_t tag, SnapshotId local) const;

  static constexpr std::uint32_t kTickTimer = 1;
  static constexpr std::uint8_t kWrappedFlag = 1;  // in Message::flags
  TickFigures figures_;
  SnapshotId next_id_ = 1;
  SnapshotId highest_adopted_ = 0;  // the highest id any participant has adopted
  ScheduleTimes times_;
  // Snapshots in_flight_.First(), ..., next_id_ - 1 not done yet. Ids start
  // in order and finish in order (an actor past n is past every id below
  // it), so a slot marked done is dropped before the call that marked it
  // returns, and an advance finds its ids by index instead of walking a
  // tree. A retired slot keeps its vector of marking times for a later
  // snapshot (IdWindow): no allocation per snapshot.
  IdWindow<InFlight, &InFlight::active> in_flight_;
  std::vector<std::vector<ActorId>> notify_;  // per gateway index: its processes
  std::size_t in_group_ = 0;
  // The in-group processes by id: processes_at_[lowest_at_ + i] of them
  // have id lowest_ + i, and while there are any that first count is not
  // zero (lowest_ is the lowest id). One update per advance, where counting
  // a snapshot's processes cost one per id the advance covered. A vector
  // with a moving start rather than a deque, whose indexing cost more than
  // the update itself.
  std::vector<std::uint32_t> processes_at_;
  std::size_t lowest_at_ = 0;
  SnapshotId lowest_ = 0;
  Context* ctx_ = nullptr;  // valid during the run, for the core's listener
};

}  // namespace snapsim
