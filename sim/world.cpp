#include "sim/world.h"

#include <algorithm>
#include <functional>

#include "sim/csr.h"

namespace snapsim {

World::World(const WorldSpec& spec)
    : spec_(spec), network_(spec_.groups, spec.edges, spec_.routing, spec_.links) {
  const std::size_t n = spec_.names.size();
  if (spec_.roles.size() < n) spec_.roles.resize(n, ProcessRole::kPlain);
  for (ActorId a = 0; a < n; ++a) {
    if (spec_.groups[a] == ActorGroup::kIn) in_group_.push_back(a);
    if (spec_.groups[a] == ActorGroup::kOut) out_group_.push_back(a);
  }
  // Neighbour lists (CSR), sorted and without duplicates.
  BuildRows<ActorId>(
      n,
      [&](auto&& add) {
        for (auto [u, v] : spec.edges) {
          add(u, v);
          add(v, u);
        }
      },
      nbr_begin_, neighbours_);
  SortRowsUnique(nbr_begin_, neighbours_, std::equal_to<ActorId>());

  clocks_.resize(n);
  workload_rng_.reserve(n);
  protocol_rng_.reserve(n);
  service_rng_.reserve(n);
  for (ActorId a = 0; a < n; ++a) {
    const std::string& name = spec_.names[a];
    RandomStream clock_rng(spec_.seed, "clock", name);
    clocks_[a].offset_ns = spec_.clock_offset.Sample(clock_rng);
    clocks_[a].drift_ppm = static_cast<double>(spec_.clock_drift_ppb.Sample(clock_rng)) / 1000.0;
    workload_rng_.emplace_back(spec_.seed, "workload", name);
    network_.SendRng(a, false) = RandomStream(spec_.seed, "net-app", name);
    network_.SendRng(a, true) = RandomStream(spec_.seed, "net-control", name);
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
