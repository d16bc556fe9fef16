#include "checker/witness.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace snapsim::checker {

WitnessFinder::WitnessFinder(const CompactTrace& trace) : trace_(trace) {
  cuts_.resize(trace.snapshot_ids.size());
  for (ActorId a = 0; a < trace.ActorCount(); ++a) {
    const auto& list = trace.events[a];
    for (std::uint32_t i = 0; i < list.size(); ++i) {
      if (list[i].kind == EventKind::kSnapshot) cuts_[list[i].arg].push_back({a, i});
    }
  }
}

std::vector<EventRef> WitnessFinder::Find(SnapshotId id) const {
  auto it = std::find(trace_.snapshot_ids.begin(), trace_.snapshot_ids.end(), id);
  if (it == trace_.snapshot_ids.end()) return {};
  const auto& cuts = cuts_[it - trace_.snapshot_ids.begin()];
  const ActorId n = trace_.ActorCount();
  std::vector<std::uint32_t> cut(n, kNone);
  std::uint32_t limit = 0;
  for (EventRef c : cuts) {
    if (trace_.actor_groups[c.actor] != ActorGroup::kIn) continue;
    cut[c.actor] = c.pos;
    const std::uint32_t order = trace_.events[c.actor][c.pos].order;
    limit = order == kNone ? kNone : std::max(limit, order);
  }

  struct Node {
    EventRef at;           // where the chain reached this actor
    std::uint32_t parent;  // index into nodes, kNone for a source
    std::uint32_t via;     // position of the parent's send/forward
  };
  std::vector<Node> nodes;
  std::vector<std::uint32_t> best(n, kNone), scanned_from(n, kNone);
  std::vector<std::uint32_t> frontier, next;
  for (ActorId a = 0; a < n; ++a) {
    if (cut[a] == kNone) continue;
    best[a] = cut[a];
    frontier.push_back(static_cast<std::uint32_t>(nodes.size()));
    nodes.push_back({{a, cut[a]}, kNone, 0});
  }

  std::uint32_t target = kNone;
  while (!frontier.empty() && target == kNone) {
    next.clear();
    for (std::uint32_t ni : frontier) {
      const EventRef at = nodes[ni].at;
      const auto& list = trace_.events[at.actor];
      const std::uint32_t end =
          std::min<std::uint32_t>(scanned_from[at.actor], static_cast<std::uint32_t>(list.size()));
      scanned_from[at.actor] = std::min(scanned_from[at.actor], at.pos);
      for (std::uint32_t k = at.pos; k < end && target == kNone; ++k) {
        const Event& e = list[k];
        if (e.order != kNone && e.order >= limit && k != at.pos) break;
        if (e.kind != EventKind::kSend && e.kind != EventKind::kForward) continue;
        const std::uint32_t nh = trace_.hops[e.hop].next;
        if (nh == kNone) continue;  // lost or still in flight
        const Hop& h = trace_.hops[nh];
        if (h.pos >= best[h.actor]) continue;
        best[h.actor] = h.pos;
        const auto idx = static_cast<std::uint32_t>(nodes.size());
        nodes.push_back({{h.actor, h.pos}, ni, k});
        if (cut[h.actor] != kNone && h.pos < cut[h.actor]) target = idx;
        next.push_back(idx);
      }
      if (target != kNone) break;
    }
    frontier.swap(next);
  }
  if (target == kNone) return {};

  std::vector<EventRef> chain{nodes[target].at};
  for (std::uint32_t cur = target; nodes[cur].parent != kNone;) {
    const Node& p = nodes[nodes[cur].parent];
    chain.push_back({p.at.actor, nodes[cur].via});
    if (nodes[cur].via != p.at.pos) chain.push_back(p.at);
    cur = nodes[cur].parent;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::string WitnessFinder::FormatEvent(EventRef r) const {
  const Event& e = trace_.events[r.actor][r.pos];
  const std::string& who = trace_.actor_names[r.actor];
  switch (e.kind) {
    case EventKind::kSend:
      return fmt::format("{} send {}", who, trace_.MessageName(e.arg));
    case EventKind::kForward:
      return fmt::format("{} forward {}", who, trace_.MessageName(e.arg));
    case EventKind::kRecv:
      return fmt::format("{} recv {}", who, trace_.MessageName(e.arg));
    case EventKind::kInternal:
      return fmt::format("{} internal", who);
    case EventKind::kSnapshot:
      return fmt::format("{} snapshot#{}", who, trace_.snapshot_ids[e.arg]);
  }
  return who;
}

std::vector<std::string> WitnessFinder::Format(const std::vector<EventRef>& chain) const {
  std::vector<std::string> out;
  for (EventRef r : chain) out.push_back(FormatEvent(r));
  if (!out.empty()) out.back() += " (inside the cut)";
  return out;
}

}  // namespace snapsim::checker
