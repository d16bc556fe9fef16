#include "checker/topo_pass.h"

#include <fmt/format.h>

#include <vector>

namespace snapsim::checker {

std::optional<TraceError> RunInTopologicalOrder(CompactTrace& trace, CutPass& pass) {
  const ActorId n = trace.ActorCount();
  std::vector<std::uint32_t> cursor(n, 0);
  std::vector<char> blocked(n, 0);
  std::vector<std::uint32_t> hops_done(trace.messages.size(), 0);
  std::vector<CutPass::MessageCut> cut_of(trace.messages.size());
  std::vector<ActorId> ready;
  ready.reserve(n);
  for (ActorId a = n; a-- > 0;) ready.push_back(a);
  std::uint32_t order = 0;

  // After the hop at `hop_id` was visited, wakes the actor of the next hop if
  // it is blocked on exactly that hop.
  auto wake_next = [&](std::uint32_t hop_id) {
    const std::uint32_t next = trace.hops[hop_id].next;
    if (next == kNone) return;
    const Hop& h = trace.hops[next];
    if (blocked[h.actor] && cursor[h.actor] == h.pos) {
      blocked[h.actor] = 0;
      ready.push_back(h.actor);
    }
  };

  while (!ready.empty()) {
    const ActorId a = ready.back();
    ready.pop_back();
    auto& list = trace.events[a];
    std::uint32_t& i = cursor[a];
    while (i < list.size()) {
      Event& e = list[i];
      switch (e.kind) {
        case EventKind::kSend:
          cut_of[e.arg] = pass.Send(a, trace.messages[e.arg].control);
          break;
        case EventKind::kForward:
        case EventKind::kRecv:
          if (hops_done[e.arg] < trace.hops[e.hop].index) {
            blocked[a] = 1;
            break;
          }
          if (e.kind == EventKind::kForward) {
            pass.Forward(a, cut_of[e.arg]);
          } else {
            pass.Recv(a, cut_of[e.arg], trace.messages[e.arg].key);
          }
          break;
        case EventKind::kInternal:
          break;
        case EventKind::kSnapshot:
          if (!pass.Snapshot(a, trace.snapshot_ids[e.arg])) {
            return TraceError{trace.LineOf(a, i),
                              fmt::format("{} takes snapshot {} twice", trace.actor_names[a],
                                          trace.snapshot_ids[e.arg])};
          }
          break;
      }
      if (blocked[a]) break;
      if (order == kNone) return TraceError{trace.LineOf(a, i), "trace too long"};
      e.order = order++;
      ++i;
      if (e.kind == EventKind::kSend || e.kind == EventKind::kForward) {
        ++hops_done[e.arg];
        wake_next(e.hop);
      }
    }
  }

  // Anything left is stuck behind a cycle: report the stuck event that comes
  // first in the file.
  std::optional<TraceError> err;
  for (ActorId a = 0; a < n; ++a) {
    if (cursor[a] >= trace.events[a].size()) continue;
    const Event& e = trace.events[a][cursor[a]];
    const std::uint32_t line = trace.LineOf(a, cursor[a]);
    if (!err || line < err->line) {
      err = TraceError{line, fmt::format("happens-before has a cycle: {} of {} at {} cannot "
                                         "come after the message's previous hop",
                                         e.kind == EventKind::kRecv ? "recv" : "forward",
                                         trace.MessageName(e.arg), trace.actor_names[a])};
    }
  }
  return err;
}

}  // namespace snapsim::checker
