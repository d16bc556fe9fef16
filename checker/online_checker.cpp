#include "checker/online_checker.h"

#include <fmt/format.h>

#include "checker/report_builder.h"

namespace snapsim::checker {

OnlineChecker::OnlineChecker() : OnlineChecker(Options{}) {}
OnlineChecker::OnlineChecker(Options options) : options_(options) {}

void OnlineChecker::Fail(std::string message) {
  if (!error_) error_ = TraceError{calls_, std::move(message)};
  accepting_ = false;
}

bool OnlineChecker::UnknownActor(ActorId a, const char* role) {
  Fail(fmt::format("unknown {} actor id {}", role, a));
  return false;
}

void OnlineChecker::Record(ActorId actor, EventKind kind, std::uint32_t arg,
                           std::uint32_t msg_index) {
  if (!options_.record_witnesses) return;
  const std::uint32_t pos = trace_.AddEvent(actor, kind, arg);
  trace_.events[actor][pos].order = order_++;
  if (msg_index != kNone) trace_.AddHop(msg_index, actor, pos);
}

void OnlineChecker::Actor(ActorId actor, std::string_view name, ActorGroup group) {
  if (!Begin()) return;
  if (events_started_ || actor != trace_.ActorCount()) {
    Fail(fmt::format("actor {} announced out of order (expected id {}, before any event)", actor,
                     trace_.ActorCount()));
    return;
  }
  trace_.AddActor(std::string(name), group);
  actor_count_ = trace_.ActorCount();
  pass_.AddActor(group);
}

void OnlineChecker::Channel(ActorId from, ActorId to, bool fifo) {
  if (!Begin() || !KnownActor(from, "channel") || !KnownActor(to, "channel")) return;
  if (trace_.actor_groups[from] != ActorGroup::kIn || trace_.actor_groups[to] != ActorGroup::kIn) {
    Fail(fmt::format("channel {}->{} is not between in-group processes", trace_.actor_names[from],
                     trace_.actor_names[to]));
  } else if (!channels_.Add(from, to, trace_.channels)) {
    Fail(fmt::format("channel {}->{} declared twice", trace_.actor_names[from],
                     trace_.actor_names[to]));
  } else {
    trace_.channels.push_back({from, to, fifo});
    channel_states_.Declare(from, to, fifo);
  }
}

void OnlineChecker::Send(SimTime, ActorId actor, MessageRef msg, ActorId to) {
  SendImpl(actor, msg, to, false);
}

void OnlineChecker::SendControl(SimTime, ActorId actor, MessageRef msg, ActorId to) {
  SendImpl(actor, msg, to, true);
}

void OnlineChecker::SendImpl(ActorId actor, MessageRef msg, ActorId to, bool control) {
  if (!Begin() || !KnownActor(actor, "sending") || !KnownActor(to, "destination")) return;
  events_started_ = true;
  std::uint32_t index = kNone;
  if (options_.record_witnesses) {
    index = static_cast<std::uint32_t>(trace_.messages.size());
    MessageInfo info;
    info.key = msg.id;
    info.control = control;
    trace_.messages.push_back(info);
  }
  InFlightMessage* m = in_flight_.Insert(msg.id, msg.place, {{}, to, index});
  if (!m) {
    Fail(fmt::format("message m{} sent twice", msg.id));
    return;
  }
  m->cut = pass_.Send(actor, control);
  Record(actor, EventKind::kSend, index, index);
}

void OnlineChecker::Forward(SimTime, ActorId gateway, MessageRef msg, ActorId to) {
  if (!Begin() || !KnownActor(gateway, "forwarding") || !KnownActor(to, "destination")) return;
  events_started_ = true;
  InFlightMessage* m = in_flight_.Find(msg.id, msg.place);
  if (!m) {
    Fail(fmt::format("forward of m{} at {}, which is not in flight (no send, or received)", msg.id,
                     trace_.actor_names[gateway]));
    return;
  }
  if (m->next_hop != gateway) {
    Fail(fmt::format("forward of m{} at {}, but its previous hop sent it to {}", msg.id,
                     trace_.actor_names[gateway], trace_.actor_names[m->next_hop]));
    return;
  }
  pass_.Forward(gateway, m->cut);
  m->next_hop = to;
  Record(gateway, EventKind::kForward, m->msg_index, m->msg_index);
}

void OnlineChecker::Recv(SimTime, ActorId actor, MessageRef msg) {
  if (!Begin() || !KnownActor(actor, "receiving")) return;
  events_started_ = true;
  InFlightMessage* m = in_flight_.Find(msg.id, msg.place);
  if (!m) {
    Fail(fmt::format("recv of m{} at {}, which is not in flight (no send, or received twice)",
                     msg.id, trace_.actor_names[actor]));
    return;
  }
  if (m->next_hop != actor) {
    Fail(fmt::format("recv of m{} at {}, but its previous hop sent it to {}", msg.id,
                     trace_.actor_names[actor], trace_.actor_names[m->next_hop]));
    return;
  }
  pass_.Recv(actor, m->cut, msg.id);
  const std::uint32_t index = m->msg_index;
  in_flight_.Erase(msg.id, msg.place);
  channel_states_.Advance(pass_, trace_);
  if (index != kNone) trace_.messages[index].received = true;
  Record(actor, EventKind::kRecv, index, index);
}

StateArrays OnlineChecker::ActorPrefetchTargets() {
  if (error_) return {};  // the actors announced may be fewer than the engine's
  channel_states_.Seal(trace_.ActorCount());
  return {channel_states_.PrefetchTarget(), pass_.PrefetchTarget()};
}

void OnlineChecker::Internal(SimTime, ActorId actor) {
  if (!Begin() || !KnownActor(actor, "acting")) return;
  events_started_ = true;
  Record(actor, EventKind::kInternal, 0, kNone);
}

bool OnlineChecker::CanSnapshot(ActorId actor) {
  if (!KnownActor(actor, "snapshotting")) return false;
  events_started_ = true;
  // The pass's record of the actor rather than trace_.actor_groups: the
  // engine prefetched it, and Snapshot below reads it anyway.
  if (pass_.Group(actor) != ActorGroup::kIn) {
    Fail(fmt::format("snapshot event at {}, which is not an in-group process",
                     trace_.actor_names[actor]));
    return false;
  }
  return true;
}

bool OnlineChecker::TakeSnapshot(ActorId actor, SnapshotId id) {
  if (id == 0) {
    Fail("snapshot id 0 (ids start at 1)");
    return false;
  }
  if (!pass_.Snapshot(actor, id)) {
    Fail(fmt::format("{} takes snapshot {} twice", trace_.actor_names[actor], id));
    return false;
  }
  if (options_.record_witnesses) RecordSnapshotEvent(actor, id);
  return true;
}

void OnlineChecker::RecordSnapshotEvent(ActorId actor, SnapshotId id) {
  auto [it, inserted] =
      snapshot_index_.try_emplace(id, static_cast<std::uint32_t>(trace_.snapshot_ids.size()));
  if (inserted) trace_.snapshot_ids.push_back(id);
  Record(actor, EventKind::kSnapshot, it->second, kNone);
}

void OnlineChecker::Snapshot(SimTime t, ActorId actor, SnapshotId id, std::int64_t state) {
  Snapshots(t, actor, id, id, state);
}

void OnlineChecker::Snapshots(SimTime, ActorId actor, SnapshotId first, SnapshotId last,
                              std::int64_t) {
  if (!Begin() || !CanSnapshot(actor)) return;
  if (first > last) {
    Fail(fmt::format("snapshot run {}..{} at {} ends before it starts", first, last,
                     trace_.actor_names[actor]));
    return;
  }
  if (first != 0 && pass_.SnapshotRun(actor, first, last)) {
    // Taken in one step (nothing can fail, and no id switches the pass to
    // bitsets, so judging once at the end is judging after each id).
    calls_ += last - first;  // each id is a call: Begin counted `first`
    if (options_.record_witnesses)
      for (SnapshotId id = first;; ++id) {
        RecordSnapshotEvent(actor, id);
        if (id == last) break;
      }
    channel_states_.Advance(pass_, trace_);
    return;
  }
  for (SnapshotId id = first;; ++id) {
    if (!TakeSnapshot(actor, id)) return;
    // After each id, not once for the range: an id that switches the pass to
    // bitsets freezes its final ranks, so those that became final before it
    // must be judged first.
    channel_states_.Advance(pass_, trace_);
    if (id == last) break;
    if (!Begin()) return;  // each id counts as a call, as in Snapshot
  }
}

void OnlineChecker::Verdict(SnapshotId id, bool accepted) { Decide(id, accepted, false); }

void OnlineChecker::Unfinished(SnapshotId id) { Decide(id, false, true); }

void OnlineChecker::CutShort(SnapshotId id) {
  if (!Begin()) return;
  if (id == 0) {
    Fail("cut_short record for snapshot id 0 (ids start at 1)");
  } else if (auto error = decided_.AddCutShort(id)) {
    Fail(*error);
  } else {
    trace_.cut_short.push_back(id);
  }
}

void OnlineChecker::Decide(SnapshotId id, bool accepted, bool unfinished) {
  if (!Begin()) return;
  if (id == 0) {
    Fail(fmt::format("{} for snapshot id 0 (ids start at 1)",
                     unfinished ? "unfinished record" : "verdict"));
  } else if (auto error = decided_.Add(id, unfinished)) {
    Fail(*error);
  } else {
    trace_.verdicts.push_back({id, accepted && !unfinished, unfinished});
  }
}

void OnlineChecker::ChannelState(SnapshotId id, ActorId from, ActorId to,
                                 std::span<const MessageId> msgs) {
  ChannelStates(id, id, from, to, msgs);
}

void OnlineChecker::ChannelStates(SnapshotId first, SnapshotId last, ActorId from, ActorId to,
                                  std::span<const MessageId> msgs) {
  if (!Begin() || !KnownActor(from, "channel") || !KnownActor(to, "channel")) return;
  if (first == 0) {
    Fail("channel state for snapshot id 0 (ids start at 1)");
    return;
  }
  if (first > last) {
    Fail(fmt::format("channel state run {}..{} for {}->{} ends before it starts", first, last,
                     trace_.actor_names[from], trace_.actor_names[to]));
    return;
  }
  // Channel() declares only channels between in-group processes, so the
  // stream checks the groups of undeclared channels alone.
  const auto [result, id] = channel_states_.AddRun(pass_, trace_, first, last, from, to, msgs);
  calls_ += id - first;  // each id is a call: Begin counted `first`
  switch (result) {
    case ChannelStateStream::AddResult::kAdded:
      break;
    case ChannelStateStream::AddResult::kNotInGroup:
      Fail(fmt::format("channel state for {}->{}, which is not between in-group processes",
                       trace_.actor_names[from], trace_.actor_names[to]));
      break;
    case ChannelStateStream::AddResult::kRepeat:
      Fail(fmt::format("second channel state for {}->{} in snapshot {}", trace_.actor_names[from],
                       trace_.actor_names[to], id));
      break;
  }
}

void OnlineChecker::Finish() {
  if (finished_) return;
  finished_ = true;
  accepting_ = false;
  if (error_) {
    report_.error = error_;
  } else {
    const auto judged = channel_states_.Finish(pass_, trace_);
    report_ = BuildReport(pass_, trace_, options_.record_witnesses, &judged);
  }
}

CheckReport OnlineChecker::TakeReport() {
  Finish();
  return std::move(report_);
}

}  // namespace snapsim::checker
