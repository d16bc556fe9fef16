#include "sim/world.h"

#include <algorithm>

namespace snapsim {

World::World(WorldSpec spec)
    : spec_(std::move(spec)), network_(spec_.groups, spec_.edges, spec_.routing, spec_.links) {
  const std::size_t n = spec_.names.size();
  if (spec_.roles.size() < n) spec_.roles.resize(n, ProcessRole::kPlain);
  for (ActorId a = 0; a < n; ++a) {
    if (spec_.groups[a] == ActorGroup::kIn) in_group_.push_back(a);
    if (spec_.groups[a] == ActorGroup::kOut) out_group_.push_back(a);
  }
  // Neighbour lists (CSR), sorted and without duplicates.
  std::vector<std::pair<ActorId, ActorId>> dir;
  dir.reserve(spec_.edges.size() * 2);
  for (auto [u, v] : spec_.edges) {
    dir.emplace_back(u, v);
    dir.emplace_back(v, u);
  }
  std::sort(dir.begin(), dir.end());
  dir.erase(std::unique(dir.begin(), dir.end()), dir.end());
  nbr_begin_.assign(n + 1, 0);
  neighbours_.reserve(dir.size());
  for (auto [u, v] : dir) {
    ++nbr_begin_[u + 1];
    neighbours_.push_back(v);
  }
  for (std::size_t i = 1; i <= n; ++i) nbr_begin_[i] += nbr_begin_[i - 1];

  clocks_.resize(n);
  workload_rng_.reserve(n);
  net_app_rng_.reserve(n);
  net_ctl_rng_.reserve(n);
  protocol_rng_.reserve(n);
  service_rng_.reserve(n);
  for (ActorId a = 0; a < n; ++a) {
    const std::string& name = spec_.names[a];
    RandomStream clock_rng(spec_.seed, "clock", name);
    clocks_[a].offset_ns = spec_.clock_offset.Sample(clock_rng);
    clocks_[a].drift_ppm = static_cast<double>(spec_.clock_drift_ppb.Sample(clock_rng)) / 1000.0;
    workload_rng_.emplace_back(spec_.seed, "workload", name);
    net_app_rng_.emplace_back(spec_.seed, "net-app", name);
    net_ctl_rng_.emplace_back(spec_.seed, "net-control", name);
    protocol_rng_.emplace_back(spec_.seed, "protocol", name);
    service_rng_.emplace_back(spec_.seed, "service", name);
  }
  busy_until_.assign(n, SimTime(0));
}

const Distribution& World::Service(ActorId a) const {
  switch (spec_.groups[a]) {
    case ActorGroup::kGateway:
      return spec_.gateway_service;
    case ActorGroup::kController:
      return spec_.controller_service;
    default:
      return zero_;
  }
}

}  // namespace snapsim
