// RecordingSink: a TraceSink that keeps every event in memory, for tests.
#pragma once

#include <string>
#include <vector>

#include "sim/trace_sink.h"

namespace snapsim::testing {

struct TraceRecord {
  enum Kind {
    kSend,
    kForward,
    kRecv,
    kInternal,
    kSnapshot,
    kVerdict,
    kUnfinished,
    kChannelState
  } kind;
  SimTime t;
  ActorId actor = kNoActor;  // gateway for forwards; `from` for channel states
  MessageId msg = 0;
  std::uint32_t place = 0;  // MessageRef::place of sends, forwards and receives
  ActorId to = kNoActor;
  SnapshotId snapshot = 0;
  std::int64_t state = 0;
  bool accepted = false;
  std::vector<MessageId> msgs;
};

inline TraceRecord Rec(TraceRecord::Kind kind, SimTime t, ActorId actor = kNoActor,
                       MessageId msg = 0, ActorId to = kNoActor) {
  TraceRecord r{};
  r.kind = kind;
  r.t = t;
  r.actor = actor;
  r.msg = msg;
  r.to = to;
  return r;
}

class RecordingSink : public TraceSink {
 public:
  std::vector<std::string> names;
  std::vector<ActorGroup> groups;
  std::vector<std::pair<std::pair<ActorId, ActorId>, bool>> channels;
  std::vector<TraceRecord> events;
  bool finished = false;

  void Actor(ActorId a, std::string_view name, ActorGroup g) override {
    names.emplace_back(name);
    groups.push_back(g);
  }
  void Channel(ActorId from, ActorId to, bool fifo) override {
    channels.push_back({{from, to}, fifo});
  }
  void Send(SimTime t, ActorId a, MessageRef m, ActorId to) override {
    events.push_back(Rec(TraceRecord::kSend, t, a, m.id, to));
    events.back().place = m.place;
  }
  void Forward(SimTime t, ActorId g, MessageRef m, ActorId to) override {
    events.push_back(Rec(TraceRecord::kForward, t, g, m.id, to));
    events.back().place = m.place;
  }
  void Recv(SimTime t, ActorId a, MessageRef m) override {
    events.push_back(Rec(TraceRecord::kRecv, t, a, m.id));
    events.back().place = m.place;
  }
  void Internal(SimTime t, ActorId a) override {
    events.push_back(Rec(TraceRecord::kInternal, t, a));
  }
  void Snapshot(SimTime t, ActorId a, SnapshotId id, std::int64_t state) override {
    TraceRecord r = Rec(TraceRecord::kSnapshot, t, a);
    r.snapshot = id;
    r.state = state;
    events.push_back(r);
  }
  void Verdict(SnapshotId id, bool accepted) override {
    TraceRecord r = Rec(TraceRecord::kVerdict, SimTime(0));
    r.snapshot = id;
    r.accepted = accepted;
    events.push_back(r);
  }
  void Unfinished(SnapshotId id) override {
    TraceRecord r = Rec(TraceRecord::kUnfinished, SimTime(0));
    r.snapshot = id;
    events.push_back(r);
  }
  void ChannelState(SnapshotId id, ActorId from, ActorId to,
                    std::span<const MessageId> msgs) override {
    TraceRecord r = Rec(TraceRecord::kChannelState, SimTime(0), from);
    r.to = to;
    r.snapshot = id;
    r.msgs.assign(msgs.begin(), msgs.end());
    events.push_back(r);
  }
  void Finish() override { finished = true; }
};

}  // namespace snapsim::testing
