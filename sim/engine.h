// Engine: the discrete-event loop of one run.
//
// The engine owns the World, the pending-event set and the message pool. It
// pops events in (time, seq) order and dispatches on a small enum: message
// arrivals at gateways, the controller and processes; service completions;
// workload and protocol timers. Per event it does no allocation in steady
// state and no virtual call except the protocol/workload hook the event is
// for (and the trace sinks, when attached).
//
// Determinism: the same WorldSpec, protocol, workload and stop conditions
// give the same event sequence, the same trace bytes and the same Hash().
// The hash mixes (time, seq, kind, actor, message id) of every event.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "sim/context.h"
#include "sim/histogram.h"
#include "sim/message.h"
#include "sim/prefetch.h"
#include "sim/protocol.h"
#include "sim/snapshot_log.h"
#include "sim/trace_sink.h"
#include "sim/window_event_queue.h"
#include "sim/workload.h"
#include "sim/world.h"

namespace snapsim {

// Bounds on what a run may consume. Reaching one stops the run cleanly with
// StopReason::kResourceLimit (results are then marked truncated), instead
// of exhausting memory or disk.
struct ResourceLimits {
  std::uint64_t pending_events = 50'000'000;      // 32 bytes each
  std::uint64_t messages_in_flight = 50'000'000;  // 64 bytes each
  std::uint64_t held_messages = 10'000'000;       // at one gateway
  std::uint64_t snapshots = 10'000'000;           // snapshot records
  std::uint64_t trace_bytes = 10ULL << 30;        // the trace file (enforced by the runner)
};

struct StopConditions {
  SimTime end_time = SimTime::Max();  // events after this time are not run
  std::uint64_t max_events = UINT64_MAX;
  ResourceLimits limits;
};

enum class StopReason : std::uint8_t { kIdle, kTimeLimit, kEventLimit, kResourceLimit };
const char* StopReasonName(StopReason r);

struct RunStats {
  std::uint64_t events = 0;
  std::uint64_t app_sent = 0, app_delivered = 0, app_lost = 0;
  std::uint64_t control_sent = 0, control_delivered = 0, control_lost = 0;
  std::uint64_t gateway_forwards = 0;
  std::uint64_t held_max = 0;       // most messages one gateway held at once
  std::uint64_t pending_max = 0;    // most pending events at once
  std::uint64_t in_flight_end = 0;  // messages still in flight or held at the end
  SimTime end_time;                 // time of the last event run
  StopReason reason = StopReason::kIdle;
  const char* limit = "";  // kResourceLimit: the limit's scenario key, e.g. "pending_events"
  std::uint64_t limit_value = 0;
  std::uint64_t hash = 0;
  LogHistogram app_latency;  // origin send -> delivery, application messages
};

class Engine {
 public:
  // `protocol` and `workload` must outlive the engine.
  Engine(const WorldSpec& spec, Protocol& protocol, Workload& workload);

  // Calls `progress` every `every_events` events (a power of two), for
  // progress reports on long runs.
  void SetProgress(std::function<void(const RunStats&, SimTime now)> progress,
                   std::uint64_t every_events = 1 << 20) {
    progress_ = std::move(progress);
    progress_mask_ = every_events - 1;
  }

  // Asks the run to stop after the current event because limit `name`
  // (a limits.* key) was reached. For observers with their own bounds
  // (trace size).
  void StopAtLimit(const char* name, std::uint64_t value);

  // Attaches an observer of trace events; must be called before Run().
  void AddSink(TraceSink* sink) { sinks_.push_back(sink); }

  // Runs until nothing is pending, the next event is after end_time, or
  // max_events have run. May be called once.
  const RunStats& Run(const StopConditions& stop);

  const RunStats& Stats() const { return stats_; }
  // Time of the event being handled (or last handled): where a run that
  // ended by an exception stopped.
  SimTime Now() const { return now_; }
  const SnapshotLog& Snapshots() const { return snapshots_; }
  const World& world() const { return world_; }
  const Workload& workload() const { return workload_; }

 private:
  friend class Context;

  void Schedule(SimTime t, EventKind kind, std::uint32_t a, std::uint32_t b = 0,
                std::uint32_t c = 0);
  // Puts the message in `slot` on channel `ch`, from -> to: loss, latency,
  // FIFO. `to` goes into the message (Message::hop_dst) and the arrival event.
  void Transmit(std::uint32_t slot, ActorId from, ActorId to, ChannelId ch);
  MessageId Originate(ActorId from, ActorId to, Message&& m);
  // Starts loading what handling e will read first. For an arrival: the
  // cache line of its message and the first sink's record of the message
  // (TraceSink::MessagePrefetchTarget, at the message's slot, which the
  // event names), its actor's group byte, the workload's record and the
  // protocol's and the first sink's records of its actor, and what a send
  // reads (World::PrefetchSend: the actor's network row, with its channels
  // and latency streams; and the workload's random stream, a delivery often
  // replies; for a control message, which the workload never sees, only the
  // row). For a workload timer: the workload's record
  // and stream, the protocol's records and what a send reads. For a
  // gateway's service: the sink's record of the message. Run calls it for
  // the event Ahead(kPrefetchDistance), and a timer also prefetches its send
  // state itself, for when the look-ahead finds nothing. Changes no result.
  void Prefetch(const Event& e);
  static constexpr std::size_t kPrefetchDistance = 4;
  // For the event Ahead(kFollowDistance), when it ends a hop (an arrival or
  // a gateway's service): for an arrival, starts loading what the protocol's
  // records point to (StateArray::follow), which Prefetch started loading
  // two events earlier; at a gateway also the FIFO slot of the channel it forwards on
  // (Network::PrefetchRunChannel), and elsewhere that of the channel back
  // to the message's sender (a delivery often replies: on a dense cloud a
  // service's channel to one of 10^3 clients, a miss on 22 % of the bare
  // engine's samples; not for a control message at a process, which gets no
  // reply). Changes no result.
  void PrefetchHopEnd();
  static constexpr std::size_t kFollowDistance = 2;
  void HandleArrival(ActorId at, std::uint32_t slot);  // at: the hop's destination
  void HandleAtRelay(ActorId at, std::uint32_t slot);  // gateway or controller
  void ForwardFromGateway(ActorId g, std::uint32_t slot);
  void DeliverAtProcess(ActorId at, std::uint32_t slot);
  // After the protocol's OnFinish: reports as unfinished every snapshot with
  // no verdict that the protocol had not closed, then tells the sinks about
  // every snapshot the protocol had not closed, verdict or not (CutShort).
  void MarkUnfinished();
  // Mixes the event, the actor it happens at and its message (or timer
  // kind) into stats_.hash. Inline: it runs for every event.
  [[gnu::always_inline]] void MixHash(const Event& e, ActorId actor, MessageId msg) {
    auto mix = [](std::uint64_t h, std::uint64_t x) {
      h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      return h * 0xff51afd7ed558ccdULL;
    };
    std::uint64_t h = stats_.hash;
    h = mix(h, static_cast<std::uint64_t>(e.time.ns()));
    h = mix(h, e.seq);
    h = mix(h, (static_cast<std::uint64_t>(actor) << 8) | static_cast<std::uint8_t>(e.kind));
    h = mix(h, msg);
    stats_.hash = h;
  }
  // The record of snapshot id; stops the run at limits.snapshots. Inline for
  // an indexed record, which exists and so cannot pass the limit: every
  // local snapshot and channel state of a run looks one up.
  SnapshotRecord& Record(SnapshotId id) {
    if (SnapshotRecord* r = snapshots_.Indexed(id)) return *r;
    return NewRecord(id);
  }
  SnapshotRecord& NewRecord(SnapshotId id);
  // The tally of snapshot id (SnapshotLog::Tally), its record created as by
  // Record; inline for an indexed record.
  SnapshotTally& Tally(SnapshotId id) {
    if (SnapshotTally* t = snapshots_.IndexedTally(id)) return *t;
    NewRecord(id);
    return snapshots_.Tally(id);
  }

  World world_;
  Protocol& protocol_;
  Workload& workload_;
  StateArray workload_state_;                  // set after the workload's OnStart
  StateArrays protocol_state_;                 // set after the protocol's OnStart
  const PlaceArray* message_state_ = nullptr;  // the first sink's that has one
  StateArrays sink_state_{};                   // the first sink's that has any
  bool follow_hop_ends_ = false;               // PrefetchHopEnd has something to load
  Context ctx_;
  WindowEventQueue queue_;  // buckets of a window, radix heap beyond; see docs/performance.md
  MessagePool pool_;
  SnapshotLog snapshots_;
  std::vector<TraceSink*> sinks_;
  RunStats stats_;
  SimTime now_;
  std::uint64_t next_seq_ = 0;
  MessageId next_message_id_ = 1;
  std::vector<std::uint64_t> held_now_;  // per actor: messages held at a gateway
  std::function<void(const RunStats&, SimTime)> progress_;
  StopConditions stop_;
  bool stop_requested_ = false;
  std::uint64_t progress_mask_ = 0;
};

}  // namespace snapsim
