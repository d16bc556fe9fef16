// Topologies: the application graph of a scenario's processes.
//
// A Topology lists process nodes (each in-group or out-group, with a role
// used by role-aware workloads), the undirected edges between processes that
// talk to each other, and the number of gateways fronting the in-group.
// Generators use Boost.Graph; every generator returns either a connected,
// well-formed topology or an error message saying what is wrong. Gateways
// and the controller are not nodes here: the world builder adds them.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/ids.h"
#include "sim/world.h"

namespace snapsim {

struct Topology {
  std::vector<ActorGroup> groups;                              // kIn or kOut, one per process node
  std::vector<ProcessRole> roles;                              // one per process node
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;  // u < v, sorted, unique
  std::uint32_t gateways = 0;
};

// Either a topology or an error (non-empty `error`).
struct TopologyResult {
  Topology topology;
  std::string error;
  bool ok() const { return error.empty(); }
};

// Every pair of the n nodes connected.
TopologyResult MakeComplete(std::uint32_t n);
// Node i connected to i+1 (mod n).
TopologyResult MakeRing(std::uint32_t n);
// Node 0 connected to every other node.
TopologyResult MakeStar(std::uint32_t n);
// Erdos-Renyi G(n, p) with p = mean_degree / (n - 1), seeded. When the graph
// comes out disconnected: with ensure_connected, each other component is
// joined to node 0 by one edge from its smallest node (deterministic, at most
// a handful of edges at useful degrees); without, it is rejected.
TopologyResult MakeRandom(std::uint32_t n, double mean_degree, std::uint64_t seed,
                          bool ensure_connected = true);

// The cloud shape of MODEL.md: k in-group backends (connected among
// themselves as `backend_graph`: complete, ring or none), m out-group clients
// and e out-group external services, and g gateways in front of the backends.
// Node order: backends, clients, externals. Each out-group node talks to every
// backend, or with out_degree d (0 < d < k) to d of them: the i-th out-group
// node (clients first, 0-based) to backends (i*d + j) mod k for j < d, so the
// out-group's edges are spread evenly over the backends and cover them all
// when (m + e) * d >= k. A sparse cloud has O(k + (m + e) * d) edges instead
// of O(k * (m + e)).
struct CloudShape {
  std::uint32_t backends = 4;
  std::uint32_t clients = 2;
  std::uint32_t externals = 1;
  std::uint32_t gateways = 1;
  std::string backend_graph = "complete";
  std::uint32_t out_degree = 0;  // backends per out-group node; 0: all
};
TopologyResult MakeCloud(const CloudShape& shape);

// An explicit edge list over n nodes. Rejects self-loops and out-of-range ends;
// duplicate edges are merged.
TopologyResult MakeFromEdges(std::uint32_t n,
                             const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges);

// Marks the listed nodes out-group (error if out of range).
std::string MarkOutGroup(Topology& t, const std::vector<std::uint32_t>& nodes);
// Empty when the topology is connected, else an error naming the components.
std::string CheckConnected(const Topology& t);

// Topology kinds and descriptions, for `snapsim list`.
struct TopologyInfo {
  const char* name;
  const char* summary;
};
const std::vector<TopologyInfo>& TopologyKinds();

}  // namespace snapsim
