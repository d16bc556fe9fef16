#include "viz/shiviz_export.h"

#include <fmt/format.h>

#include <unordered_map>
#include <vector>

#include "viz/time_axis.h"

namespace snapsim::viz {

using checker::EventKind;
using checker::kNone;

void WriteShiviz(const checker::CompactTrace& trace, const LineTimes& times, std::ostream& out) {
  const ActorId n = trace.ActorCount();
  // Events by their topological position.
  struct Ref {
    ActorId actor = kNoActor;
    std::uint32_t pos = 0;
  };
  std::vector<Ref> order(trace.EventCount());
  for (ActorId a = 0; a < n; ++a)
    for (std::uint32_t p = 0; p < trace.events[a].size(); ++p) {
      const std::uint32_t o = trace.events[a][p].order;
      if (o != kNone && o < order.size()) order[o] = {a, p};
    }
  // Host names without white space (the regex's \S*).
  std::vector<std::string> host(n);
  for (ActorId a = 0; a < n; ++a) {
    host[a] = trace.actor_names[a];
    for (char& c : host[a])
      if (c == ' ' || c == '\t' || c == '"' || c == '\\') c = '_';
  }
  std::vector<std::vector<std::uint32_t>> clock(n, std::vector<std::uint32_t>(n, 0));
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> carried;  // by message
  std::string buf;
  out << kShivizRegex << "\n\n";
  for (const Ref& r : order) {
    if (r.actor == kNoActor) continue;
    const checker::Event& e = trace.events[r.actor][r.pos];
    std::vector<std::uint32_t>& c = clock[r.actor];
    if (e.kind == EventKind::kForward || e.kind == EventKind::kRecv) {
      auto it = carried.find(e.arg);
      if (it != carried.end()) {
        for (ActorId a = 0; a < n; ++a) c[a] = std::max(c[a], it->second[a]);
        carried.erase(it);
      }
    }
    ++c[r.actor];
    if (e.kind == EventKind::kSend || e.kind == EventKind::kForward) {
      const checker::Hop& h = trace.hops[e.hop];
      if (h.next != kNone) carried[e.arg] = c;
    }
    buf.clear();
    buf += host[r.actor];
    buf += " {";
    bool first = true;
    for (ActorId a = 0; a < n; ++a) {
      if (!c[a]) continue;
      fmt::format_to(std::back_inserter(buf), "{}\"{}\":{}", first ? "" : ",", host[a], c[a]);
      first = false;
    }
    buf += "}\n";
    const std::string msg = e.kind == EventKind::kSnapshot || e.kind == EventKind::kInternal
                                ? std::string()
                                : trace.MessageName(e.arg);
    auto next_actor = [&]() -> std::string {
      const checker::Hop& h = trace.hops[e.hop];
      return h.next == kNone ? std::string(" (never received)")
                             : " to " + host[trace.hops[h.next].actor];
    };
    switch (e.kind) {
      case EventKind::kSend:
        fmt::format_to(std::back_inserter(buf), "send{} {}{}",
                       trace.messages[e.arg].control ? " control" : "", msg, next_actor());
        break;
      case EventKind::kForward:
        fmt::format_to(std::back_inserter(buf), "forward {}{}", msg, next_actor());
        break;
      case EventKind::kRecv:
        fmt::format_to(std::back_inserter(buf), "recv {}", msg);
        break;
      case EventKind::kInternal:
        buf += "internal";
        break;
      case EventKind::kSnapshot:
        fmt::format_to(std::back_inserter(buf), "snapshot {}", trace.snapshot_ids[e.arg]);
        break;
    }
    const std::int64_t t = times.At(trace.LineOf(r.actor, r.pos));
    if (t != kNoTime) fmt::format_to(std::back_inserter(buf), " t={}", FormatNs(t));
    buf += '\n';
    out << buf;
  }
}

}  // namespace snapsim::viz
