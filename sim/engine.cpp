#include "sim/engine.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>

namespace snapsim {

const char* StopReasonName(StopReason r) {
  switch (r) {
    case StopReason::kIdle:
      return "idle";
    case StopReason::kTimeLimit:
      return "time_limit";
    case StopReason::kEventLimit:
      return "event_limit";
    case StopReason::kResourceLimit:
      return "resource_limit";
  }
  return "?";
}

namespace {
[[noreturn]] void Die(const char* what, SimTime now, std::uint64_t seed) {
  std::fprintf(stderr, "snapsim: internal error: %s (t=%lld ns, seed=%llu)\n", what,
               static_cast<long long>(now.ns()), static_cast<unsigned long long>(seed));
  std::abort();
}
}  // namespace

Engine::Engine(const WorldSpec& spec, Protocol& protocol, Workload& workload)
    : world_(spec), protocol_(protocol), workload_(workload), ctx_(*this) {
  held_now_.assign(world_.ActorCount(), 0);
}

void Engine::Schedule(SimTime t, EventKind kind, std::uint32_t a, std::uint32_t b,
                      std::uint32_t c) {
  Event e;
  e.time = t;
  e.seq = next_seq_++;
  e.kind = kind;
  e.a = a;
  e.b = b;
  e.c = c;
  queue_.Push(e);
  if (queue_.Size() > stats_.pending_max) {
    stats_.pending_max = queue_.Size();
    if (stats_.pending_max > stop_.limits.pending_events)
      StopAtLimit("pending_events", stop_.limits.pending_events);
  }
}

void Engine::Prefetch(const Event& e) {
  switch (e.kind) {
    case EventKind::kArrival:
      pool_.Prefetch(e.a);
      if (message_state_) message_state_->Prefetch(e.a);
      world_.PrefetchGroup(e.b);
      workload_state_.Prefetch(e.b);
      for (const StateArray& records : protocol_state_) records.Prefetch(e.b);
      for (const StateArray& records : sink_state_) records.Prefetch(e.b);
      // A delivery often replies, and a control message may make the
      // protocol send its own: both read the actor's network row. A control
      // message is not delivered to the workload: no draw from its stream.
      world_.PrefetchSend(e.b);
      if (e.c != kControlArrival) world_.PrefetchWorkloadRng(e.b);
      break;
    case EventKind::kWorkloadTimer:
      workload_state_.Prefetch(e.a);
      world_.PrefetchWorkloadRng(e.a);
      for (const StateArray& records : protocol_state_) records.Prefetch(e.a);
      world_.PrefetchSend(e.a);
      break;
    case EventKind::kServiceDone:
      if (message_state_) message_state_->Prefetch(e.a);
      break;
    default:
      break;
  }
}

void Engine::PrefetchHopEnd() {
  const Event* soon = queue_.Ahead(kFollowDistance);
  if (!soon) return;
  bool at_relay = soon->kind == EventKind::kServiceDone;
  if (soon->kind == EventKind::kArrival) {
    for (const StateArray& records : protocol_state_) records.PrefetchFollow(soon->b);
    at_relay = world_.Group(soon->b) == ActorGroup::kGateway;
    // A control message that ends at a process gets no reply from the
    // workload, and what the protocol sends there (reports, markers) is not
    // a reply to the sender either: no FIFO slot to load, so no need to read
    // the message and the row this early (four in five of the issue-7
    // scenario's events). Only a hint: changes no result.
    if (!at_relay && soon->c == kControlArrival) return;
  } else if (!at_relay) {
    return;
  }
  const Message& m = pool_.At(soon->a);
  world_.Net().PrefetchRunChannel(soon->b, at_relay ? m.dst : m.src);
}

void Engine::StopAtLimit(const char* name, std::uint64_t value) {
  if (stop_requested_) return;
  stop_requested_ = true;
  stats_.limit = name;
  stats_.limit_value = value;
}

const RunStats& Engine::Run(const StopConditions& stop) {
  stop_ = stop;
  for (TraceSink* s : sinks_) {
    for (ActorId a = 0; a < world_.ActorCount(); ++a) s->Actor(a, world_.Name(a), world_.Group(a));
    // In-group channels start at in-group actors only: the others' channels
    // (a gateway has one to every in-group process) are not walked.
    const Network& net = world_.Net();
    for (ActorId a : world_.InGroup())
      for (auto [c, end] = net.ChannelsOf(a); c < end; ++c)
        if (net.Kind(c) == ChannelKind::kInToIn)
          s->Channel(a, net.Destination(c), net.Link(c).fifo);
  }
  protocol_.OnStart(ctx_);
  workload_.OnStart(ctx_);
  workload_state_ = workload_.PrefetchTarget();
  protocol_state_ = protocol_.PrefetchTargets();
  for (TraceSink* s : sinks_) {
    if (!message_state_) message_state_ = s->MessagePrefetchTarget();
    if (!sink_state_[0].base && !sink_state_[1].base) sink_state_ = s->ActorPrefetchTargets();
  }
  follow_hop_ends_ = world_.Net().HasRuns();
  for (const StateArray& records : protocol_state_)
    if (records.base && records.follow != StateArray::kNoFollow) follow_hop_ends_ = true;
  stats_.reason = StopReason::kIdle;
  while (!queue_.Empty()) {
    if (queue_.Top().time > stop.end_time) {  // PopTop below takes this event
      stats_.reason = StopReason::kTimeLimit;
      break;
    }
    if (stats_.events >= stop.max_events) {
      stats_.reason = StopReason::kEventLimit;
      break;
    }
    if (stop_requested_) {
      stats_.reason = StopReason::kResourceLimit;
      break;
    }
    const Event e = queue_.PopTop();
    if (const Event* next = queue_.Ahead(kPrefetchDistance)) Prefetch(*next);
    if (follow_hop_ends_) PrefetchHopEnd();
    now_ = e.time;
    ++stats_.events;
    if (progress_ && (stats_.events & progress_mask_) == 0) progress_(stats_, now_);
    // One inline copy of the hash for every kind: a message's hop ends at
    // actor b, a timer fires at actor a with its kind in b.
    if (e.kind == EventKind::kArrival || e.kind == EventKind::kServiceDone)
      MixHash(e, e.b, pool_.At(e.a).id);
    else
      MixHash(e, e.a, e.b);
    switch (e.kind) {
      case EventKind::kArrival:
        HandleArrival(e.b, e.a);
        break;
      case EventKind::kServiceDone:
        HandleAtRelay(e.b, e.a);
        break;
      case EventKind::kWorkloadTimer:
        world_.PrefetchSend(e.a);  // a workload timer usually sends
        workload_.OnTimer(ctx_, e.a, e.b, e.c);
        break;
      case EventKind::kProtocolTimer:
        protocol_.OnTimer(ctx_, e.a, e.b, e.c);
        break;
    }
  }
  if (stop_requested_) stats_.reason = StopReason::kResourceLimit;
  stats_.end_time = now_;
  protocol_.OnFinish(ctx_);
  snapshots_.FlushTallies();
  MarkUnfinished();
  stats_.in_flight_end = pool_.Live();
  for (TraceSink* s : sinks_) s->Finish();
  return stats_;
}

void Engine::MarkUnfinished() {
  const std::size_t in_group = world_.InGroup().size();
  for (const auto& [id, r] : snapshots_.All())
    if (!r.accepted && !r.unfinished && !ClosedByProtocol(r, in_group)) ctx_.Unfinished(id);
  for (const auto& [id, r] : snapshots_.All())
    if (!ClosedByProtocol(r, in_group))
      for (TraceSink* s : sinks_) s->CutShort(id);
}

MessageId Engine::Originate(ActorId from, ActorId to, Message&& m) {
  const Network::Hop hop = world_.Net().FirstHop(from, to);
  if (hop.channel == kNoChannel) Die("send between actors with no route", now_, world_.Seed());
  const std::uint32_t slot = pool_.Allocate(m);
  if (pool_.Live() > stop_.limits.messages_in_flight)
    StopAtLimit("messages_in_flight", stop_.limits.messages_in_flight);
  Message& msg = pool_.At(slot);
  msg.id = next_message_id_++;
  msg.src = from;
  msg.dst = to;
  msg.sent_at = now_;
  if (msg.kind == MessageKind::kApp) {
    ++stats_.app_sent;
    protocol_.OnSend(ctx_, from, msg);
    for (TraceSink* s : sinks_) s->Send(now_, from, {msg.id, slot}, hop.to);
  } else {
    ++stats_.control_sent;
    for (TraceSink* s : sinks_) s->SendControl(now_, from, {msg.id, slot}, hop.to);
  }
  const MessageId id = msg.id;
  Transmit(slot, from, hop.to, hop.channel);
  return id;
}

void Engine::Transmit(std::uint32_t slot, ActorId from, ActorId to, ChannelId ch) {
  Network& net = world_.Net();
  if (ch == kNoChannel) Die("no channel for a hop", now_, world_.Seed());
  Message& m = pool_.At(slot);
  m.hop_dst = to;
  const Network::Sending channel = net.ForSend(from, ch);
  const LinkSpec& link = channel.link;
  const bool control = m.kind == MessageKind::kControl;
  RandomStream& rng = world_.NetRng(from, control);
  if (link.loss > 0 && rng.Bernoulli(link.loss)) {
    ++(control ? stats_.control_lost : stats_.app_lost);
    pool_.Free(slot);
    return;
  }
  SimTime arrival = now_ + Duration(std::max<std::int64_t>(0, link.latency.Sample(rng)));
  if (link.fifo && !m.out_of_band) {
    SimTime& last = net.FifoSlot(channel, ch, now_);
    if (arrival < last) arrival = last;
    last = arrival;
  }
  Schedule(arrival, EventKind::kArrival, slot, to, control ? kControlArrival : 0);
}

void Engine::HandleArrival(ActorId at, std::uint32_t slot) {
  const ActorGroup group = world_.Group(at);
  if (group == ActorGroup::kGateway || group == ActorGroup::kController) {
    const Distribution& service = world_.Service(at);
    if (!service.IsZero()) {
      // Single-server FIFO queue: start when the actor is free.
      SimTime& busy = world_.BusyUntil(at);
      const SimTime start = std::max(now_, busy);
      busy = start + Duration(std::max<std::int64_t>(0, service.Sample(world_.ServiceRng(at))));
      Schedule(busy, EventKind::kServiceDone, slot, at);
      return;
    }
    HandleAtRelay(at, slot);
    return;
  }
  DeliverAtProcess(at, slot);
}

void Engine::HandleAtRelay(ActorId at, std::uint32_t slot) {
  Message& m = pool_.At(slot);
  if (m.dst == at) {  // a control message for the gateway or controller itself
    for (TraceSink* s : sinks_) s->Recv(now_, at, {m.id, slot});
    ++stats_.control_delivered;
    protocol_.OnControl(ctx_, at, m);
    pool_.Free(slot);
    return;
  }
  if (world_.Group(at) != ActorGroup::kGateway)
    Die("controller asked to relay", now_, world_.Seed());
  if (protocol_.OnGatewayForward(ctx_, at, m, slot) == ForwardAction::kHold) {
    if (++held_now_[at] > stats_.held_max) {
      stats_.held_max = held_now_[at];
      if (stats_.held_max > stop_.limits.held_messages)
        StopAtLimit("held_messages", stop_.limits.held_messages);
    }
    return;
  }
  ForwardFromGateway(at, slot);
}

void Engine::ForwardFromGateway(ActorId g, std::uint32_t slot) {
  Message& m = pool_.At(slot);
  ++stats_.gateway_forwards;
  for (TraceSink* s : sinks_) s->Forward(now_, g, {m.id, slot}, m.dst);
  Transmit(slot, g, m.dst, world_.Net().Find(g, m.dst));
}

void Engine::DeliverAtProcess(ActorId at, std::uint32_t slot) {
  Message& m = pool_.At(slot);
  protocol_.OnArrival(ctx_, at, m);
  for (TraceSink* s : sinks_) s->Recv(now_, at, {m.id, slot});
  if (m.kind == MessageKind::kControl) {
    ++stats_.control_delivered;
    protocol_.OnControl(ctx_, at, m);
  } else {
    ++stats_.app_delivered;
    stats_.app_latency.Add((now_ - m.sent_at).ns());
    workload_.OnDeliver(ctx_, at, m);
  }
  pool_.Free(slot);
}

// ---------------------------------------------------------------- Context

SimTime Context::Now() const { return engine_.now_; }
const World& Context::world() const { return engine_.world_; }
SimTime Context::LocalTime(ActorId a) const { return engine_.world_.Clock(a).Read(engine_.now_); }

MessageId Context::SendApp(ActorId from, ActorId to, const AppPayload& p) {
  Message m;
  m.kind = MessageKind::kApp;
  m.type = p.type;
  m.value = p.value;
  m.aux = p.aux;
  return engine_.Originate(from, to, std::move(m));
}

MessageId Context::SendControl(ActorId from, ActorId to, const ControlPayload& p) {
  Message m;
  m.kind = MessageKind::kControl;
  m.type = p.type;
  m.tag = p.tag;
  m.aux = p.aux;
  m.value = p.value;
  m.out_of_band = p.out_of_band;
  return engine_.Originate(from, to, std::move(m));
}

bool Context::CanSend(ActorId from, ActorId to) const {
  return engine_.world_.Net().FirstHop(from, to).channel != kNoChannel;
}

void Context::SetWorkloadTimer(ActorId a, Duration delay, std::uint32_t kind, std::uint32_t data) {
  engine_.Schedule(engine_.now_ + Duration(std::max<std::int64_t>(0, delay.ns())),
                   EventKind::kWorkloadTimer, a, kind, data);
}
void Context::SetProtocolTimer(ActorId a, Duration delay, std::uint32_t kind, std::uint32_t data) {
  engine_.Schedule(engine_.now_ + Duration(std::max<std::int64_t>(0, delay.ns())),
                   EventKind::kProtocolTimer, a, kind, data);
}
void Context::SetProtocolTimerAtLocal(ActorId a, SimTime local, std::uint32_t kind,
                                      std::uint32_t data) {
  const SimTime t = engine_.world_.Clock(a).TrueTimeOf(local, engine_.now_);
  engine_.Schedule(t, EventKind::kProtocolTimer, a, kind, data);
}

RandomStream& Context::WorkloadRng(ActorId a) { return engine_.world_.WorkloadRng(a); }
RandomStream& Context::ProtocolRng(ActorId a) { return engine_.world_.ProtocolRng(a); }

void Context::ReleaseHeld(std::uint32_t slot) {
  const ActorId g = engine_.pool_.At(slot).hop_dst;
  --engine_.held_now_[g];
  engine_.ForwardFromGateway(g, slot);
}
Message& Context::MessageAt(std::uint32_t slot) { return engine_.pool_.At(slot); }

SnapshotRecord& Engine::NewRecord(SnapshotId id) {
  if (snapshots_.Size() >= stop_.limits.snapshots && !snapshots_.Has(id))
    StopAtLimit("snapshots", stop_.limits.snapshots);
  return snapshots_.Get(id);
}

void Context::SnapshotInitiated(SnapshotId id) {
  SnapshotRecord& r = engine_.Record(id);
  if (!r.initiated_at) r.initiated_at = engine_.now_;
}

std::int64_t Context::RecordSnapshot(ActorId a, SnapshotId id) {
  return RecordSnapshots(a, id, id);
}

std::int64_t Context::RecordSnapshots(ActorId a, SnapshotId first, SnapshotId last) {
  assert(first <= last);
  const std::int64_t state = engine_.workload_.LocalState(a);
  const std::span<SnapshotTally> tallies = engine_.snapshots_.IndexedTallies(first, last);
  if (!tallies.empty())
    for (SnapshotTally& t : tallies) t.AddLocal(engine_.now_, state);
  else
    for (SnapshotId id = first; id <= last; ++id) engine_.Tally(id).AddLocal(engine_.now_, state);
  for (TraceSink* s : engine_.sinks_) s->Snapshots(engine_.now_, a, first, last, state);
  return state;
}

void Context::RecordChannelState(SnapshotId id, ActorId from, ActorId to,
                                 std::span<const MessageId> msgs, std::int64_t value_sum) {
  RecordChannelStates(id, id, from, to, msgs, value_sum);
}

void Context::RecordChannelStates(SnapshotId first, SnapshotId last, ActorId from, ActorId to,
                                  std::span<const MessageId> msgs, std::int64_t value_sum) {
  assert(first <= last);
  if (!engine_.snapshots_.AddChannelStates(first, last))
    for (SnapshotId id = first; id <= last; ++id) ++engine_.Tally(id).channels_recorded;
  if (!msgs.empty() || value_sum != 0)
    for (SnapshotId id = first; id <= last; ++id) {
      SnapshotRecord& r = engine_.Record(id);
      r.channel_messages += msgs.size();
      r.channel_value_sum += value_sum;
    }
  for (TraceSink* s : engine_.sinks_) s->ChannelStates(first, last, from, to, msgs);
}

void Context::Verdict(SnapshotId id, bool accepted) {
  SnapshotRecord& r = engine_.Record(id);
  if (r.unfinished)
    Die("verdict for a snapshot reported unfinished", engine_.now_, engine_.world_.Seed());
  r.accepted = accepted;
  for (TraceSink* s : engine_.sinks_) s->Verdict(id, accepted);
}

void Context::Unfinished(SnapshotId id) {
  SnapshotRecord& r = engine_.Record(id);
  if (r.accepted)
    Die("snapshot with a verdict reported unfinished", engine_.now_, engine_.world_.Seed());
  if (r.unfinished) return;
  r.unfinished = true;
  for (TraceSink* s : engine_.sinks_) s->Unfinished(id);
}

SnapshotRecord& Context::Snapshot(SnapshotId id) { return engine_.Record(id); }

void Context::Internal(ActorId a) {
  for (TraceSink* s : engine_.sinks_) s->Internal(engine_.now_, a);
}

}  // namespace snapsim
