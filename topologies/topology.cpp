#include "topologies/topology.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/erdos_renyi_generator.hpp>
#include <boost/pending/disjoint_sets.hpp>
#include <functional>

#include "sim/csr.h"
#include "sim/rng.h"

namespace snapsim {

namespace {
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

Topology Blank(std::uint32_t n) {
  Topology t;
  t.groups.assign(n, ActorGroup::kIn);
  t.roles.assign(n, ProcessRole::kPlain);
  return t;
}

// Edges as (u, v) with u < v, sorted, without duplicates (by rows of u: a
// dense cloud has 10^7 edges, and one std::sort of them was most of its
// set-up time).
void Normalise(Topology& t) {
  std::vector<std::uint32_t> begin;
  std::vector<std::uint32_t> higher;  // by row u: the v of each edge (u, v)
  BuildRows<std::uint32_t>(
      t.groups.size(),
      [&](auto&& add) {
        for (auto [u, v] : t.edges) add(std::min(u, v), std::max(u, v));
      },
      begin, higher);
  SortRowsUnique(begin, higher, std::equal_to<std::uint32_t>());
  t.edges.resize(higher.size());
  for (std::uint32_t u = 0; u + 1 < begin.size(); ++u)
    for (std::uint32_t i = begin[u]; i < begin[u + 1]; ++i) t.edges[i] = {u, higher[i]};
  t.edges.shrink_to_fit();
}

TopologyResult Finish(Topology t) {
  Normalise(t);
  std::string err = CheckConnected(t);
  return {std::move(t), std::move(err)};
}

TopologyResult Error(std::string msg) { return {Topology{}, std::move(msg)}; }

// The connected components of t's nodes: for each node a representative node
// of its component, and their number. Union-find over the edge list (Boost's
// disjoint sets, as in incremental_components): building an adjacency_list
// of a dense cloud's 10^7 edges, one list node each, was about half of its
// set-up time and 740 MiB of heap.
struct Components {
  std::vector<std::size_t> representative;
  std::size_t count = 0;
};
Components FindComponents(const Topology& t) {
  const std::size_t n = t.groups.size();
  boost::disjoint_sets_with_storage<> sets(n);
  for (auto [u, v] : t.edges) sets.union_set(u, v);
  Components c;
  c.representative.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    c.representative[i] = sets.find_set(i);
    if (c.representative[i] == i) ++c.count;
  }
  return c;
}
}  // namespace

std::string CheckConnected(const Topology& t) {
  const std::size_t n = t.groups.size();
  if (n == 0) return "topology has no processes";
  const Components c = FindComponents(t);
  if (c.count == 1) return "";
  // Name the smallest node outside node 0's component as an example.
  std::size_t isolated = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (c.representative[i] != c.representative[0]) {
      isolated = i;
      break;
    }
  return fmt::format("topology is disconnected: {} components (e.g. node {} cannot reach node 0)",
                     c.count, isolated);
}

TopologyResult MakeComplete(std::uint32_t n) {
  if (n < 2) return Error("complete topology needs at least 2 processes");
  Topology t = Blank(n);
  for (std::uint32_t u = 0; u < n; ++u)
    for (std::uint32_t v = u + 1; v < n; ++v) t.edges.emplace_back(u, v);
  return Finish(std::move(t));
}

TopologyResult MakeRing(std::uint32_t n) {
  if (n < 2) return Error("ring topology needs at least 2 processes");
  Topology t = Blank(n);
  for (std::uint32_t u = 0; u < n; ++u) t.edges.emplace_back(u, (u + 1) % n);
  return Finish(std::move(t));
}

TopologyResult MakeStar(std::uint32_t n) {
  if (n < 2) return Error("star topology needs at least 2 processes");
  Topology t = Blank(n);
  for (std::uint32_t v = 1; v < n; ++v) t.edges.emplace_back(0, v);
  return Finish(std::move(t));
}

// Joins the components of t by one edge each, from the smallest node of each
// component to the smallest node of the first, so the result is connected.
void JoinComponents(Topology& t) {
  const std::size_t n = t.groups.size();
  const Components c = FindComponents(t);
  std::vector<bool> joined(n, false);  // by representative
  joined[c.representative[0]] = true;
  for (std::uint32_t v = 1; v < n; ++v) {
    if (joined[c.representative[v]]) continue;
    joined[c.representative[v]] = true;
    t.edges.emplace_back(0, v);
  }
}

TopologyResult MakeRandom(std::uint32_t n, double mean_degree, std::uint64_t seed,
                          bool ensure_connected) {
  if (n < 2) return Error("random topology needs at least 2 processes");
  if (!(mean_degree > 0) || mean_degree > n - 1)
    return Error(fmt::format("random topology: degree must be in (0, {}]", n - 1));
  const double p = mean_degree / (n - 1);
  // Every pair present: the complete graph (Boost's generator needs p < 1;
  // found by fuzzing the scenario loader).
  if (p >= 1.0) return MakeComplete(n);
  Topology t = Blank(n);
  RandomStream rng(seed, "topology", "random");
  using Gen = boost::sorted_erdos_renyi_iterator<RandomStream, Graph>;
  for (Gen it(rng, n, p), end; it != end; ++it) {
    auto [u, v] = *it;
    if (u != v) t.edges.emplace_back(static_cast<std::uint32_t>(u), static_cast<std::uint32_t>(v));
  }
  if (ensure_connected) JoinComponents(t);
  TopologyResult r = Finish(std::move(t));
  if (!r.ok()) r.error += "; raise the degree or change the seed";
  return r;
}

TopologyResult MakeCloud(const CloudShape& s) {
  if (s.backends < 1) return Error("cloud topology needs at least 1 backend");
  if (s.clients + s.externals < 1)
    return Error("cloud topology needs at least one client or external service");
  const std::uint32_t n = s.backends + s.clients + s.externals;
  Topology t = Blank(n);
  for (std::uint32_t i = 0; i < s.backends; ++i) t.roles[i] = ProcessRole::kBackend;
  for (std::uint32_t i = s.backends; i < n; ++i) {
    t.groups[i] = ActorGroup::kOut;
    t.roles[i] = i < s.backends + s.clients ? ProcessRole::kClient : ProcessRole::kExternal;
  }
  if (s.backend_graph == "complete") {
    for (std::uint32_t u = 0; u < s.backends; ++u)
      for (std::uint32_t v = u + 1; v < s.backends; ++v) t.edges.emplace_back(u, v);
  } else if (s.backend_graph == "ring") {
    if (s.backends > 1)
      for (std::uint32_t u = 0; u < s.backends; ++u) t.edges.emplace_back(u, (u + 1) % s.backends);
  } else if (s.backend_graph != "none") {
    return Error("backend_graph must be one of complete, ring, none");
  }
  const std::uint32_t degree =
      s.out_degree == 0 || s.out_degree >= s.backends ? s.backends : s.out_degree;
  for (std::uint32_t o = s.backends; o < n; ++o) {
    const std::uint64_t first = std::uint64_t{o - s.backends} * degree;
    for (std::uint32_t j = 0; j < degree; ++j)
      t.edges.emplace_back(static_cast<std::uint32_t>((first + j) % s.backends), o);
  }
  t.gateways = s.gateways;
  return Finish(std::move(t));
}

TopologyResult MakeFromEdges(std::uint32_t n,
                             const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  if (n < 1) return Error("edge-list topology needs at least 1 process");
  Topology t = Blank(n);
  for (auto [u, v] : edges) {
    if (u >= n || v >= n)
      return Error(fmt::format("edge [{}, {}] names a node outside 0..{}", u, v, n - 1));
    if (u == v) return Error(fmt::format("edge [{}, {}] is a self-loop", u, v));
    t.edges.emplace_back(u, v);
  }
  return Finish(std::move(t));
}

std::string MarkOutGroup(Topology& t, const std::vector<std::uint32_t>& nodes) {
  for (std::uint32_t v : nodes) {
    if (v >= t.groups.size())
      return fmt::format("out_group names node {} outside 0..{}", v, t.groups.size() - 1);
    t.groups[v] = ActorGroup::kOut;
  }
  if (std::none_of(t.groups.begin(), t.groups.end(),
                   [](ActorGroup g) { return g == ActorGroup::kIn; }))
    return "every process is out-group: the in-group must not be empty";
  return "";
}

const std::vector<TopologyInfo>& TopologyKinds() {
  static const std::vector<TopologyInfo> kAll = {
      {"complete", "every pair of n processes connected"},
      {"ring", "process i talks to i+1 (mod n)"},
      {"star", "process 0 talks to every other"},
      {"random", "Erdos-Renyi graph with a mean degree, seeded; must be connected"},
      {"cloud", "k in-group backends behind g gateways, m clients, e external services"},
      {"edges", "an explicit edge list"},
  };
  return kAll;
}

}  // namespace snapsim
