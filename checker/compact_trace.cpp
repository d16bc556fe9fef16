#include "checker/compact_trace.h"

#include <fmt/format.h>

namespace snapsim::checker {

std::optional<std::string> Decisions::Add(SnapshotId id, bool unfinished) {
  auto [it, inserted] = unfinished_by_id_.try_emplace(id, unfinished);
  if (inserted) return std::nullopt;
  return fmt::format("{} for snapshot {}, which already has {}",
                     unfinished ? "unfinished record" : "second verdict", id,
                     it->second ? "an unfinished record" : "a verdict");
}

std::optional<std::string> Decisions::AddCutShort(SnapshotId id) {
  if (cut_short_.insert(id).second) return std::nullopt;
  return fmt::format("second cut_short record for snapshot {}", id);
}

std::uint64_t CompactTrace::EventCount() const {
  std::uint64_t n = 0;
  for (const auto& list : events) n += list.size();
  return n;
}

std::string CompactTrace::MessageName(std::uint32_t msg) const {
  if (msg < message_names.size()) return message_names[msg];
  return fmt::format("m{}", messages[msg].key);
}

std::uint32_t CompactTrace::LineOf(ActorId a, std::uint32_t pos) const {
  if (a < lines.size() && pos < lines[a].size()) return lines[a][pos];
  return 0;
}

ActorId CompactTrace::AddActor(std::string name, ActorGroup group) {
  actor_names.push_back(std::move(name));
  actor_groups.push_back(group);
  events.emplace_back();
  return static_cast<ActorId>(actor_names.size() - 1);
}

std::uint32_t CompactTrace::AddEvent(ActorId actor, EventKind kind, std::uint32_t arg) {
  auto& list = events[actor];
  Event e;
  e.kind = kind;
  e.arg = arg;
  list.push_back(e);
  return static_cast<std::uint32_t>(list.size() - 1);
}

void CompactTrace::AddHop(std::uint32_t msg, ActorId actor, std::uint32_t pos) {
  MessageInfo& m = messages[msg];
  Hop h;
  h.actor = actor;
  h.pos = pos;
  const auto id = static_cast<std::uint32_t>(hops.size());
  if (m.last_hop == kNone) {
    m.first_hop = id;
  } else {
    hops[m.last_hop].next = id;
    h.index = hops[m.last_hop].index + 1;
  }
  m.last_hop = id;
  hops.push_back(h);
  events[actor][pos].hop = id;
}

}  // namespace snapsim::checker
