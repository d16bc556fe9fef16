#include "sim/network.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <tuple>

#include "sim/csr.h"

namespace snapsim {

std::string_view ChannelKindName(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kInToIn:
      return "in_to_in";
    case ChannelKind::kInToOut:
      return "in_to_out";
    case ChannelKind::kOutToIn:
      return "out_to_in";
    case ChannelKind::kOutToOut:
      return "out_to_out";
    case ChannelKind::kOutToGateway:
      return "out_to_gateway";
    case ChannelKind::kInToGateway:
      return "in_to_gateway";
    case ChannelKind::kGatewayToIn:
      return "gateway_to_in";
    case ChannelKind::kControllerToGateway:
      return "controller_to_gateway";
    case ChannelKind::kGatewayToController:
      return "gateway_to_controller";
  }
  return "?";
}

namespace {
std::uint64_t FlowHash(ActorId from, ActorId to) {
  std::uint64_t x = (static_cast<std::uint64_t>(from) << 32) | to;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  return x ^ (x >> 33);
}
}  // namespace

Network::Network(std::span<const ActorGroup> groups,
                 std::span<const std::pair<ActorId, ActorId>> edges, const RoutingSpec& routing,
                 const std::array<LinkSpec, kChannelKindCount>& links)
    : groups_(groups.begin(), groups.end()), routing_(routing), links_(links) {
  for (ActorId a = 0; a < groups_.size(); ++a) {
    if (groups_[a] == ActorGroup::kGateway) gateways_.push_back(a);
    if (groups_[a] == ActorGroup::kController) controller_ = a;
  }
  in_group_bits_.assign((groups_.size() + 63) / 64, 0);
  for (ActorId a = 0; a < groups_.size(); ++a)
    if (groups_[a] == ActorGroup::kIn) in_group_bits_[a / 64] |= std::uint64_t{1} << (a % 64);
  // Every directed channel (src, dst, kind), generated row by row (sim/csr.h);
  // for a pair listed twice the least kind is kept.
  using Out = std::pair<ActorId, ChannelKind>;  // (dst, kind) in the row of src
  // Actors whose traffic enters the in-group through the gateways get their
  // channels to every gateway once (not once per destination: on a cloud
  // topology that would be clients x backends x gateways tuples). Gateways
  // reach every in-group process anyway (below).
  std::vector<std::uint8_t> enters(groups_.size(), 0);  // 0, or 1 + ChannelKind
  auto generate = [&](auto&& add) {
    std::fill(enters.begin(), enters.end(), 0);
    auto via_gateways = [&](ActorId a, ActorId, ChannelKind first) {
      enters[a] = 1 + static_cast<std::uint8_t>(first);
    };
    auto add_direction = [&](ActorId a, ActorId b) {
      const ActorGroup ga = groups_[a], gb = groups_[b];
      const bool in_a = ga == ActorGroup::kIn, in_b = gb == ActorGroup::kIn;
      if (in_a && in_b) {
        add(a, Out{b, ChannelKind::kInToIn});
        if (routing_.in_group_via_gateways) via_gateways(a, b, ChannelKind::kInToGateway);
      } else if (in_a) {
        add(a, Out{b, ChannelKind::kInToOut});
      } else if (in_b) {
        if (!gateways_.empty() && ViaGateway(ga, b))
          via_gateways(a, b, ChannelKind::kOutToGateway);
        else
          add(a, Out{b, ChannelKind::kOutToIn});
      } else {
        add(a, Out{b, ChannelKind::kOutToOut});
      }
    };
    for (auto [u, v] : edges) {
      assert(u != v);
      add_direction(u, v);
      add_direction(v, u);
    }
    for (ActorId a = 0; a < groups_.size(); ++a)
      if (enters[a])
        for (ActorId g : gateways_) add(a, Out{g, static_cast<ChannelKind>(enters[a] - 1)});
    // Gateways can reach every in-group process (forwarded traffic, notices).
    if (!gateways_.empty())
      for (ActorId a = 0; a < groups_.size(); ++a)
        if (groups_[a] == ActorGroup::kIn)
          for (ActorId g : gateways_) add(g, Out{a, ChannelKind::kGatewayToIn});
    if (controller_ != kNoActor) {
      for (ActorId g : gateways_) {
        add(controller_, Out{g, ChannelKind::kControllerToGateway});
        add(g, Out{controller_, ChannelKind::kGatewayToController});
      }
    }
  };
  std::vector<Out> chans;
  std::vector<std::uint32_t> begin;
  BuildRows<Out>(groups_.size(), generate, begin, chans);
  SortRowsUnique(begin, chans, [](const Out& x, const Out& y) { return x.first == y.first; });
  dst_.resize(chans.size());
  kind_.resize(chans.size());
  rows_.resize(begin.size());
  for (std::size_t s = 0; s < begin.size(); ++s) {
    rows_[s].begin = begin[s];
    if (s < groups_.size()) rows_[s].group = groups_[s];
  }
  for (ActorId s = 0; s < groups_.size(); ++s)
    for (std::uint32_t c = begin[s]; c < begin[s + 1]; ++c) {
      dst_[c] = chans[c].first;
      kind_[c] = chans[c].second;
      if (c - begin[s] < kInline) {
        rows_[s].first[c - begin[s]] = chans[c].first;
        rows_[s].kind[c - begin[s]] = chans[c].second;
      }
    }
  future_.Reset(chans.size());
  FindRuns();
}

void Network::FindRuns() {
  // Each source's longest run, as a shape, with the channels it covers over
  // all the sources that have it and those sources.
  struct Shape {
    std::uint64_t channels = 0;
    std::vector<ActorId> sources;
  };
  std::map<Run, Shape> shapes;
  for (ActorId s = 0; s + 1 < rows_.size(); ++s) {
    const std::uint32_t begin = rows_[s].begin, end = rows_[s + 1].begin;
    if (end - begin < kMinRun) continue;
    Run best;
    for (std::uint32_t c = begin; c < end;) {
      std::uint32_t e = c + 1;
      while (e < end && dst_[e] == dst_[e - 1] + 1 && kind_[e] == kind_[c]) ++e;
      if (e - c > best.length) best = {c - begin, dst_[c], e - c, kind_[c]};
      c = e;
    }
    if (best.length < kMinRun) continue;
    Shape& shape = shapes[best];
    shape.channels += best.length;
    shape.sources.push_back(s);
  }
  // More than fit: those that cover the most channels (ties in shape order),
  // which save the most lookups.
  std::vector<std::pair<Run, Shape*>> kept;
  for (auto& [run, shape] : shapes) kept.emplace_back(run, &shape);
  constexpr std::size_t kMaxRuns = 255;
  if (kept.size() > kMaxRuns) {
    std::stable_sort(kept.begin(), kept.end(), [](const auto& x, const auto& y) {
      return x.second->channels > y.second->channels;
    });
    kept.resize(kMaxRuns);
  }
  runs_.clear();
  for (const auto& [run, shape] : kept) {
    runs_.push_back(run);
    for (ActorId s : shape->sources) rows_[s].run = static_cast<std::uint8_t>(runs_.size());
  }
}

ActorId Network::SourceOf(ChannelId c) const {
  assert(c < dst_.size());
  // The last row that begins at or before c (rows of sources without
  // channels begin where the next one does, so upper_bound skips them).
  const auto next = std::upper_bound(rows_.begin(), rows_.end(), c,
                                     [](ChannelId id, const SourceRow& r) { return id < r.begin; });
  return static_cast<ActorId>(next - rows_.begin() - 1);
}

ChannelId Network::FindBeyondInline(const SourceRow& row, std::uint32_t end, ActorId dst) const {
  if (row.run != 0) {
    const Run& run = runs_[row.run - 1];
    if (dst - run.first_dst < run.length) return row.begin + run.offset + (dst - run.first_dst);
  }
  const auto first = dst_.begin() + row.begin, last = dst_.begin() + end;
  // Scan the first few destinations (one cache line): a process's in-group
  // neighbours have the lowest ids on the cloud topology, and a binary search
  // over its thousand out-group peers would touch a distant line per step.
  const auto scanned = first + std::min<std::ptrdiff_t>(last - first, kScanned);
  auto it = std::find_if(first, scanned, [dst](ActorId d) { return d >= dst; });
  if (it == scanned && scanned != last && dst > *scanned) {
    // Destinations often come in runs of consecutive ids (a gateway's
    // channels to every in-group process, a backend's to every client): in a
    // run from the first unscanned one, the id's offset is the index.
    const std::size_t guess = dst - *scanned;
    if (guess < static_cast<std::size_t>(last - scanned) && scanned[guess] == dst)
      it = scanned + guess;
    else
      it = std::lower_bound(scanned, last, dst);
  }
  if (it == last || *it != dst) return kNoChannel;
  return static_cast<ChannelId>(it - dst_.begin());
}

ActorId Network::GatewayOf(ActorId from, ActorId to) const {
  return gateways_[FlowHash(from, to) % gateways_.size()];
}

}  // namespace snapsim
