#include "trace_gen.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace snapsim::checker::bench {

CompactTrace MakeBenchTrace(const BenchTraceParams& p) {
  constexpr int kIn = 16, kOut = 8, kGw = 2;
  CompactTrace t;
  for (int i = 0; i < kIn; ++i) t.AddActor("p" + std::to_string(i), ActorGroup::kIn);
  for (int i = 0; i < kOut; ++i) t.AddActor("o" + std::to_string(i), ActorGroup::kOut);
  for (int i = 0; i < kGw; ++i) t.AddActor("g" + std::to_string(i), ActorGroup::kGateway);
  const ActorId n = t.ActorCount();
  std::mt19937_64 rng(p.seed);
  auto below = [&](std::uint64_t k) { return rng() % k; };

  struct Flight {
    std::uint32_t msg;
    ActorId next_hop, dst;
  };
  std::vector<Flight> flight;
  t.events.assign(n, {});
  for (auto& list : t.events) list.reserve(p.events / n + 16);
  t.messages.reserve(p.events / 2);
  t.hops.reserve(p.events);

  // Snapshot k (1-based) starts at event k * period; each in-group process
  // takes it at a random moment within in_flight periods after that, in
  // increasing order (or in shuffled batches of in_flight ids).
  const std::uint64_t period = 2000;
  const std::uint64_t spread = period * static_cast<std::uint64_t>(p.in_flight);
  std::vector<std::vector<SnapshotId>> plan(kIn);
  std::vector<std::size_t> next(kIn, 0);
  std::vector<std::uint64_t> due(kIn, 0);
  const SnapshotId total = p.events / period + 1;
  for (int i = 0; i < kIn; ++i) {
    for (SnapshotId s = 1; s <= total; ++s) plan[i].push_back(s);
    if (!p.monotone) {
      for (std::size_t b = 0; b < plan[i].size(); b += p.in_flight) {
        auto end = plan[i].begin() + std::min(plan[i].size(), b + p.in_flight);
        std::shuffle(plan[i].begin() + b, end, rng);
      }
    }
    due[i] = plan[i][0] * period + below(spread);
  }

  std::uint64_t produced = 0;
  while (produced < p.events) {
    // Snapshots that are due.
    bool took = false;
    for (int i = 0; i < kIn && produced < p.events; ++i) {
      if (next[i] < plan[i].size() && due[i] <= produced) {
        SnapshotId id = plan[i][next[i]++];
        if (id > t.snapshot_ids.size()) t.snapshot_ids.resize(id);
        t.snapshot_ids[id - 1] = id;
        t.AddEvent(i, EventKind::kSnapshot, static_cast<std::uint32_t>(id - 1));
        if (next[i] < plan[i].size())
          due[i] = std::max(due[i], plan[i][next[i]] * period + below(spread));
        ++produced;
        took = true;
      }
    }
    if (took) continue;
    const auto r = below(100);
    if (r < 40 || flight.empty()) {
      const ActorId from = static_cast<ActorId>(below(kIn + kOut));
      ActorId to = static_cast<ActorId>(below(kIn + kOut));
      if (to == from) to = (to + 1) % (kIn + kOut);
      const auto m = static_cast<std::uint32_t>(t.messages.size());
      MessageInfo info;
      info.key = m;
      t.messages.push_back(info);
      const bool via_gw = from >= kIn && to < kIn;
      const ActorId hop = via_gw ? static_cast<ActorId>(kIn + kOut + below(kGw)) : to;
      t.AddHop(m, from, t.AddEvent(from, EventKind::kSend, m));
      flight.push_back({m, hop, to});
    } else if (r < 90) {
      const std::size_t k = below(flight.size());
      Flight f = flight[k];
      flight[k] = flight.back();
      flight.pop_back();
      if (f.next_hop != f.dst) {
        t.AddHop(f.msg, f.next_hop, t.AddEvent(f.next_hop, EventKind::kForward, f.msg));
        f.next_hop = f.dst;
        flight.push_back(f);
      } else {
        t.AddHop(f.msg, f.dst, t.AddEvent(f.dst, EventKind::kRecv, f.msg));
        t.messages[f.msg].received = true;
      }
    } else {
      const ActorId a = static_cast<ActorId>(below(n));
      t.AddEvent(a, EventKind::kInternal, 0);
    }
    ++produced;
  }
  return t;
}

}  // namespace snapsim::checker::bench
