#include "topologies/topology.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <queue>
#include <random>
#include <set>
#include <vector>

namespace snapsim {
namespace {

TEST(Topology, GeneratorsProduceExpectedEdgeCounts) {
  EXPECT_EQ(MakeComplete(6).topology.edges.size(), 15u);
  EXPECT_EQ(MakeRing(6).topology.edges.size(), 6u);
  EXPECT_EQ(MakeRing(2).topology.edges.size(), 1u);
  EXPECT_EQ(MakeStar(6).topology.edges.size(), 5u);
  for (const auto& r : {MakeComplete(5), MakeRing(5), MakeStar(5)}) {
    ASSERT_TRUE(r.ok()) << r.error;
    for (auto [u, v] : r.topology.edges) {
      EXPECT_LT(u, v);
    }
  }
}

TEST(Topology, RandomIsSeededAndHasRoughlyTheMeanDegree) {
  TopologyResult a = MakeRandom(2000, 8, 1), b = MakeRandom(2000, 8, 1), c = MakeRandom(2000, 8, 2);
  ASSERT_TRUE(a.ok()) << a.error;
  EXPECT_EQ(a.topology.edges, b.topology.edges);
  EXPECT_NE(a.topology.edges, c.topology.edges);
  const double degree = 2.0 * a.topology.edges.size() / 2000;
  EXPECT_NEAR(degree, 8, 0.5);
}

TEST(Topology, RandomJoinsComponentsWhenAsked) {
  TopologyResult sparse = MakeRandom(1000, 0.5, 1, /*ensure_connected=*/true);
  ASSERT_TRUE(sparse.ok()) << sparse.error;
  EXPECT_EQ(CheckConnected(sparse.topology), "");
}

TEST(Topology, RandomWithTheFullDegreeIsComplete) {
  // Regression (fuzzing): degree n - 1 means p = 1, which Boost's sampler rejects.
  TopologyResult r = MakeRandom(5, 4, 1);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.topology.edges.size(), 10u);
}

TEST(Topology, DisconnectedIsRejected) {
  TopologyResult r = MakeRandom(1000, 0.5, 1, /*ensure_connected=*/false);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("disconnected"), std::string::npos) << r.error;
  TopologyResult e = MakeFromEdges(4, {{0, 1}, {2, 3}});
  EXPECT_FALSE(e.ok());
  EXPECT_NE(e.error.find("disconnected"), std::string::npos);
}

// Components by breadth-first search, for the union-find's test: the label of
// each node is the smallest node of its component.
std::vector<std::uint32_t> ComponentsByBfs(
    std::uint32_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& edges) {
  std::vector<std::vector<std::uint32_t>> adjacent(n);
  for (auto [u, v] : edges) {
    adjacent[u].push_back(v);
    adjacent[v].push_back(u);
  }
  std::vector<std::uint32_t> label(n, n);
  for (std::uint32_t start = 0; start < n; ++start) {
    if (label[start] != n) continue;
    std::queue<std::uint32_t> frontier;
    frontier.push(start);
    label[start] = start;
    while (!frontier.empty()) {
      const std::uint32_t u = frontier.front();
      frontier.pop();
      for (std::uint32_t v : adjacent[u])
        if (label[v] == n) {
          label[v] = start;
          frontier.push(v);
        }
    }
  }
  return label;
}

TEST(Topology, ComponentsAgreeWithBreadthFirstSearch) {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    const std::uint32_t n = 2 + rng() % 40;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    const std::uint32_t m = rng() % (n + 5);
    for (std::uint32_t i = 0; i < m; ++i) {
      const std::uint32_t u = rng() % n, v = rng() % n;
      if (u != v) edges.emplace_back(u, v);
    }
    const std::vector<std::uint32_t> label = ComponentsByBfs(n, edges);
    const std::set<std::uint32_t> components(label.begin(), label.end());
    std::uint32_t outside = 0;  // the smallest node outside node 0's component
    while (outside < n && label[outside] == 0) ++outside;
    const TopologyResult r = MakeFromEdges(n, edges);
    if (components.size() == 1) {
      EXPECT_TRUE(r.ok()) << r.error;
    } else {
      EXPECT_EQ(r.error,
                fmt::format("topology is disconnected: {} components (e.g. node {} cannot reach "
                            "node 0)",
                            components.size(), outside));
    }
  }
}

TEST(Topology, MalformedEdgesAreRejected) {
  EXPECT_NE(MakeFromEdges(3, {{0, 3}}).error.find("outside"), std::string::npos);
  EXPECT_NE(MakeFromEdges(3, {{1, 1}}).error.find("self-loop"), std::string::npos);
  TopologyResult dup = MakeFromEdges(3, {{0, 1}, {1, 0}, {1, 2}});
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup.topology.edges.size(), 2u);
}

TEST(Topology, CloudShape) {
  CloudShape s;
  s.backends = 4;
  s.clients = 3;
  s.externals = 2;
  s.gateways = 2;
  TopologyResult r = MakeCloud(s);
  ASSERT_TRUE(r.ok()) << r.error;
  const Topology& t = r.topology;
  ASSERT_EQ(t.groups.size(), 9u);
  EXPECT_EQ(t.gateways, 2u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(t.groups[i], ActorGroup::kIn);
  }
  for (int i = 4; i < 9; ++i) {
    EXPECT_EQ(t.groups[i], ActorGroup::kOut);
  }
  EXPECT_EQ(t.roles[4], ProcessRole::kClient);
  EXPECT_EQ(t.roles[8], ProcessRole::kExternal);
  EXPECT_EQ(t.edges.size(), 6u + 5u * 4u);  // complete K4 + every out to every backend
  s.backend_graph = "mesh";
  EXPECT_FALSE(MakeCloud(s).ok());
}

// out_degree d: out-group node i talks to backends (i*d + j) mod k, j < d.
TEST(Topology, SparseCloudSpreadsOutGroupEdgesOverBackends) {
  CloudShape s;
  s.backends = 10;
  s.clients = 3;
  s.externals = 2;
  s.gateways = 2;
  s.backend_graph = "ring";
  s.out_degree = 3;
  TopologyResult r = MakeCloud(s);
  ASSERT_TRUE(r.ok()) << r.error;
  std::vector<std::set<std::uint32_t>> backends_of(15);
  std::vector<int> outs_per_backend(10, 0);
  for (auto [u, v] : r.topology.edges) {
    if (v < 10) continue;  // backend ring
    ASSERT_LT(u, 10u);
    backends_of[v].insert(u);
    ++outs_per_backend[u];
  }
  EXPECT_EQ(r.topology.edges.size(), 10u + 5u * 3u);
  EXPECT_EQ(backends_of[10], (std::set<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(backends_of[13], (std::set<std::uint32_t>{9, 0, 1}));  // wraps around
  // 15 out-group edges over 10 backends: each has one or two.
  for (int b = 0; b < 10; ++b) {
    EXPECT_GE(outs_per_backend[b], 1) << b;
    EXPECT_LE(outs_per_backend[b], 2) << b;
  }
  s.out_degree = 10;  // at least k: every backend, as with 0
  EXPECT_EQ(MakeCloud(s).topology.edges.size(), 10u + 5u * 10u);
}

TEST(Topology, OutGroupMarking) {
  TopologyResult r = MakeRing(5);
  EXPECT_EQ(MarkOutGroup(r.topology, {3, 4}), "");
  EXPECT_EQ(r.topology.groups[3], ActorGroup::kOut);
  EXPECT_NE(MarkOutGroup(r.topology, {9}), "");
  EXPECT_NE(MarkOutGroup(r.topology, {0, 1, 2}).find("in-group must not be empty"),
            std::string::npos);
}

}  // namespace
}  // namespace snapsim
