#include "viz/witness_path.h"

#include <sstream>

namespace snapsim::viz {
namespace {

using checker::CompactTrace;
using checker::EventKind;
using checker::kNone;

ActorId FindActor(const CompactTrace& trace, const std::string& name) {
  for (ActorId a = 0; a < trace.ActorCount(); ++a)
    if (trace.actor_names[a] == name) return a;
  return kNoActor;
}

std::uint32_t FindMessage(const CompactTrace& trace, const std::string& name) {
  const auto n = static_cast<std::uint32_t>(trace.messages.size());
  for (std::uint32_t m = 0; m < n; ++m)
    if (trace.MessageName(m) == name) return m;
  return kNone;
}

}  // namespace

std::vector<EventRef> LocateWitness(const CompactTrace& trace,
                                    const std::vector<std::string>& witness) {
  std::vector<EventRef> out;
  for (const std::string& text : witness) {
    std::istringstream in(text);
    std::string actor_name, kind, arg;
    in >> actor_name >> kind >> arg;
    const ActorId a = FindActor(trace, actor_name);
    if (a == kNoActor) break;
    const auto& events = trace.events[a];
    std::uint32_t found = kNone;
    if (kind == "send" || kind == "forward" || kind == "recv") {
      const std::uint32_t m = FindMessage(trace, arg);
      if (m == kNone) break;
      for (std::uint32_t h = trace.messages[m].first_hop; h != kNone; h = trace.hops[h].next) {
        if (trace.hops[h].actor == a) {
          found = trace.hops[h].pos;
          break;
        }
      }
    } else if (kind.rfind("snapshot#", 0) == 0) {
      const SnapshotId id = std::stoull(kind.substr(9));
      for (std::uint32_t p = 0; p < events.size(); ++p) {
        if (events[p].kind == EventKind::kSnapshot && trace.snapshot_ids[events[p].arg] == id) {
          found = p;
          break;
        }
      }
    } else if (kind == "internal") {
      // The first internal event after the previous event of the path here.
      std::uint32_t start = 0;
      if (!out.empty() && out.back().actor == a) start = out.back().pos + 1;
      for (std::uint32_t p = start; p < events.size(); ++p) {
        if (events[p].kind == EventKind::kInternal) {
          found = p;
          break;
        }
      }
    }
    if (found == kNone) break;
    out.push_back({a, found});
  }
  return out;
}

}  // namespace snapsim::viz
