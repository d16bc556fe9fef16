// The static description of a run's world and the per-actor state built from it.
//
// WorldSpec is what the scenario loader produces: actors (names, groups,
// roles), the application graph, link models, clocks and service times, the
// root seed. World holds everything per actor in vectors indexed by ActorId:
// clocks, random streams (one per purpose), service-time models and the
// "busy until" times from which gateway and controller queueing emerges.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/clock.h"
#include "sim/distribution.h"
#include "sim/huge_pages.h"
#include "sim/ids.h"
#include "sim/network.h"
#include "sim/prefetch.h"
#include "sim/rng.h"

namespace snapsim {

// What a process does in a workload that distinguishes roles (rpc).
enum class ProcessRole : std::uint8_t { kPlain, kBackend, kClient, kExternal };

// Everything of a world's description but its application graph: what World
// keeps for the whole run.
struct WorldParams {
  std::uint64_t seed = 1;
  std::vector<std::string> names;
  std::vector<ActorGroup> groups;
  std::vector<ProcessRole> roles;  // one per actor
  RoutingSpec routing;
  std::array<LinkSpec, kChannelKindCount> links;
  Distribution clock_offset = Distribution::Constant(0);     // ns
  Distribution clock_drift_ppb = Distribution::Constant(0);  // parts per billion
  Distribution gateway_service = Distribution::Constant(0);  // ns per message
  Distribution controller_service = Distribution::Constant(0);
};

// A world's description: its parameters and its application graph.
struct WorldSpec : WorldParams {
  std::vector<std::pair<ActorId, ActorId>> edges;  // undirected application graph
};

class World {
 public:
  // Builds the channels and neighbour lists from spec.edges and keeps the
  // rest of spec; the edge list itself is not kept (on the issue-7 cloud it
  // is 10^7 pairs, 80 MB, that a copy held for the whole run).
  explicit World(const WorldSpec& spec);

  std::size_t ActorCount() const { return spec_.names.size(); }
  const std::string& Name(ActorId a) const { return spec_.names[a]; }
  ActorGroup Group(ActorId a) const { return spec_.groups[a]; }
  ProcessRole Role(ActorId a) const { return spec_.roles[a]; }
  std::span<const ActorId> InGroup() const { return in_group_; }
  std::span<const ActorId> OutGroup() const { return out_group_; }
  std::span<const ActorId> Gateways() const { return network_.Gateways(); }
  ActorId Controller() const { return network_.Controller(); }
  // Application-level peers of a process (from the topology), sorted.
  std::span<const ActorId> Neighbours(ActorId a) const {
    return {neighbours_.data() + nbr_begin_[a], nbr_begin_[a + 1] - nbr_begin_[a]};
  }
  std::uint64_t Seed() const { return spec_.seed; }

  Network& Net() { return network_; }
  const Network& Net() const { return network_; }
  const LocalClock& Clock(ActorId a) const { return clocks_[a]; }
  RandomStream& WorkloadRng(ActorId a) { return workload_rng_[a]; }
  // Hints that a message is about to arrive at a (its group decides how).
  void PrefetchGroup(ActorId a) const { PrefetchForRead(&spec_.groups[a]); }
  // Hints that a is about to send, application or control traffic: loads
  // its network row, with its channels and latency streams (see
  // Network::PrefetchSource and Network::SendRng).
  void PrefetchSend(ActorId a) const { network_.PrefetchSource(a); }
  // Hints that the workload is about to draw from a's stream (a delivery
  // or a workload timer at a).
  void PrefetchWorkloadRng(ActorId a) const { PrefetchForRead(&workload_rng_[a]); }
  // The stream a's sends draw latency and loss from (Network::SendRng).
  RandomStream& NetRng(ActorId a, bool control) { return network_.SendRng(a, control); }
  RandomStream& ProtocolRng(ActorId a) { return protocol_rng_[a]; }
  RandomStream& ServiceRng(ActorId a) { return service_rng_[a]; }
  // The per-message service time model of an actor (zero for processes).
  const Distribution& Service(ActorId a) const;
  SimTime& BusyUntil(ActorId a) { return busy_until_[a]; }

 private:
  WorldParams spec_;
  Network network_;
  std::vector<ActorId> in_group_, out_group_;
  std::vector<std::uint32_t> nbr_begin_;
  std::vector<ActorId> neighbours_;
  HugePageVector<LocalClock> clocks_;
  HugePageVector<RandomStream> workload_rng_, protocol_rng_, service_rng_;
  HugePageVector<SimTime> busy_until_;
  Distribution zero_ = Distribution::Constant(0);
};

}  // namespace snapsim
