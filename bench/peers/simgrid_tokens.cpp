// The tokens workload of snapsim (sim/workloads/tokens.cpp) on a ring or a
// random graph of N processes, written for SimGrid's S4U interface, as the
// peer of issue 7.
//
// Platform: one star zone; process i runs alone on host hi, which has a
// private link li (latency 0) to the star's centre. A route hi -> hj is
// {li, lj}: routing is a hash lookup, independent of N, and a message only
// shares the max-min constraints of its two ends' links, so each solve of the
// network model touches O(1) variables instead of every flow in flight.
//
// Model, the same as snapsim's scale scenarios
// (bench/engine/scenarios/tokens-ring.yaml and tokens-random.yaml, protocol
// none):
//   - The graph: a ring (--graph=ring, the default), or (--graph=random:D) an
//     Erdos-Renyi G(N, p) graph with p = D / (N - 1), mean degree D, made
//     connected as snapsim's MakeRandom does: the smallest node of each
//     component other than node 0's is joined to node 0 by one edge. The
//     graph comes from a fixed-seed std::mt19937_64 (the same graph on every
//     run; not snapsim's graph, only the same distribution), drawn by
//     geometric skips over the pairs (Batagelj-Brandes), O(N + edges).
//   - N tokens; token i starts at process i mod N, at time 0.
//   - Each token a process holds is held for its own exponential time (mean
//     10 us) from its arrival; the process then passes it to a uniformly
//     chosen neighbour. A process may hold several tokens at once.
//   - A message takes an exponential latency (mean 10 us) and channels are
//     FIFO: arrival = max(send + latency, previous arrival on that channel).
// S4U draws no per-message random latency, so the message is a zero-size
// comm (the network model adds nothing: latency-0 links, no bandwidth share)
// that carries its arrival time. The receiver starts the hold at that
// arrival time: it keeps its held tokens' release times in a small heap and
// waits for the next incoming comm with a timeout at the earliest release.
// Keeping a receive posted also matters for speed: SimGrid 3.32 keeps the
// detached sends parked in mailboxes in one list that every finishing comm
// scans (CommImpl::finish), so a peer whose receivers sleep until the
// arrival time (N parked sends) costs O(N) per message.
// Remaining differences from snapsim: times are doubles (snapsim: integer
// ns); random streams differ (same distributions, other draws); a message is
// matched by SimGrid at its send time (its arrival is logical, no event of
// its own); snapsim_scale also runs its online checker (no snapshots here).
//
// Prints: graph, processes, hops (token passes), simulated seconds, wall
// seconds, hops per wall second and peak RSS (VmHWM). One snapsim hop is two
// engine events (the hold timer and the arrival); compare hops per second.
//
// Usage: snapsim_peer_simgrid_tokens N DURATION_S [--graph=ring|--graph=random:D]
//          [SimGrid --cfg=... options]
// (10^5 actors need --cfg=contexts/guard-size:0 and small stacks, e.g.
// --cfg=contexts/stack-size:16; see compare.sh.)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <queue>
#include <random>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "bench/proc_status.h"

namespace sg4 = simgrid::s4u;

namespace {

// A token in flight: when it reaches its receiver (simulated seconds).
struct Token {
  double arrive_s;
};

int g_n = 0;
double g_end_s = 0;
std::uint64_t g_hops = 0;
std::vector<sg4::Mailbox*> g_boxes;
// --graph=random:D: process i's neighbours are g_adj[g_off[i] .. g_off[i+1]),
// and g_last[k] is the FIFO bookkeeping of the channel to g_adj[k]. Empty for
// the ring, whose processes keep their two neighbours on their own stacks.
std::vector<std::size_t> g_off;
std::vector<int> g_adj;
std::vector<double> g_last;

// Builds g_off/g_adj/g_last: G(n, p) with p = degree / (n - 1), by geometric
// skips over the pairs (w < v) in order, then each component other than node
// 0's joined to node 0 by an edge from its smallest node.
void BuildRandomGraph(int n, double degree) {
  std::mt19937_64 rng(0x5eed'0007'7011'e4a5ULL);
  std::uniform_real_distribution<double> unit(0, 1);
  const double p = degree / (n - 1);
  std::vector<std::pair<int, int>> edges;
  edges.reserve(static_cast<std::size_t>(n * degree / 2 * 1.1) + 16);
  if (p >= 1) {
    for (int v = 1; v < n; ++v)
      for (int w = 0; w < v; ++w) edges.emplace_back(v, w);
  } else {
    const double log_q = std::log1p(-p);
    long long v = 1, w = -1;
    while (v < n) {
      w += 1 + static_cast<long long>(std::floor(std::log1p(-unit(rng)) / log_q));
      while (w >= v && v < n) {
        w -= v;
        ++v;
      }
      if (v < n) edges.emplace_back(static_cast<int>(v), static_cast<int>(w));
    }
  }
  // Components by union-find; join each one's smallest node to node 0.
  std::vector<int> parent(n);
  for (int i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (auto [a, b] : edges) parent[find(a)] = find(b);
  std::vector<char> joined(n, 0);
  joined[find(0)] = 1;
  for (int v = 1; v < n; ++v) {
    const int r = find(v);
    if (joined[r]) continue;
    joined[r] = 1;
    edges.emplace_back(0, v);
  }
  g_off.assign(n + 1, 0);
  for (auto [a, b] : edges) ++g_off[a + 1], ++g_off[b + 1];
  for (int i = 0; i < n; ++i) g_off[i + 1] += g_off[i];
  g_adj.resize(g_off[n]);
  std::vector<std::size_t> at(g_off.begin(), g_off.end() - 1);
  for (auto [a, b] : edges) g_adj[at[a]++] = b, g_adj[at[b]++] = a;
  g_last.assign(g_off[n], 0);
}

// Builds the star platform: host hi with private link li, for i < n.
std::vector<sg4::Host*> BuildStar(int n) {
  auto* zone = sg4::create_star_zone("ring");
  std::vector<sg4::Host*> hosts;
  hosts.reserve(n);
  for (int i = 0; i < n; ++i) {
    const std::string id = std::to_string(i);
    sg4::Host* h = zone->create_host("h" + id, 1e9)->seal();
    const sg4::Link* l = zone->create_link("l" + id, 1.25e9)->set_latency(0)->seal();
    zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(l)}, true);
    hosts.push_back(h);
  }
  zone->seal();
  return hosts;
}

// Process i, starting with `initial` tokens: passes each token it holds
// once that token's hold is over, until the end of the run.
void Process(int i, int initial) {
  std::mt19937_64 rng(0x9e3779b97f4a7c15ULL * (i + 1));
  std::exponential_distribution<double> hold(1 / 10e-6), latency(1 / 10e-6);
  const int ring_nbr[2] = {(i + g_n - 1) % g_n, (i + 1) % g_n};
  double ring_last[2] = {0, 0};
  const bool ring = g_off.empty();
  const int* nbr = ring ? ring_nbr : &g_adj[g_off[i]];
  double* last_arrival = ring ? ring_last : &g_last[g_off[i]];  // FIFO, per channel
  std::uniform_int_distribution<int> side(0,
                                          ring ? 1 : static_cast<int>(g_off[i + 1] - g_off[i]) - 1);
  // Held tokens by release time, earliest first.
  using Held = std::pair<double, Token*>;
  std::priority_queue<Held, std::vector<Held>, std::greater<>> held;
  for (int k = 0; k < initial; ++k) held.emplace(hold(rng), new Token{0});
  Token* got = nullptr;
  std::vector<sg4::CommPtr> in{g_boxes[i]->get_async<Token>(&got)};
  for (;;) {
    const double now = sg4::Engine::get_clock();
    // Below SimGrid's 1 ns accuracy a timeout is as good as expired.
    if (held.empty() || held.top().first - now >= 1e-9) {
      const double timeout = held.empty() ? -1 : held.top().first - now;
      if (sg4::Comm::wait_any_for(in, timeout) == 0) {
        held.emplace(got->arrive_s + hold(rng), got);
        in[0] = g_boxes[i]->get_async<Token>(&got);
        continue;
      }
    }
    Token* t = held.top().second;
    held.pop();
    if (sg4::Engine::get_clock() >= g_end_s) return;
    const int s = side(rng);
    t->arrive_s = last_arrival[s] =
        std::max(sg4::Engine::get_clock() + latency(rng), last_arrival[s]);
    ++g_hops;
    g_boxes[nbr[s]]->put_init(t, 0)->detach();
  }
}

}  // namespace

int main(int argc, char** argv) {
  sg4::Engine e(&argc, argv);
  // The Engine has removed its own options (--cfg=..., --log=...).
  std::vector<const char*> pos;
  double degree = 0;  // 0: the ring
  for (int a = 1; a < argc; ++a) {
    if (std::strcmp(argv[a], "--graph=ring") == 0) {
      degree = 0;
    } else if (std::strncmp(argv[a], "--graph=random:", 15) == 0) {
      char* end = nullptr;
      degree = std::strtod(argv[a] + 15, &end);
      if (end == argv[a] + 15 || *end != '\0' || !(degree > 0)) {
        std::fprintf(stderr, "bad %s: need --graph=random:D with mean degree D > 0\n", argv[a]);
        return 2;
      }
    } else if (std::strncmp(argv[a], "--", 2) == 0) {
      std::fprintf(stderr, "unknown option %s\n", argv[a]);
      return 2;
    } else {
      pos.push_back(argv[a]);
    }
  }
  if (pos.size() != 2) {
    std::fprintf(stderr, "usage: %s N DURATION_S [--graph=ring|--graph=random:D] [--cfg=...]\n",
                 argv[0]);
    return 2;
  }
  g_n = std::atoi(pos[0]);
  g_end_s = std::atof(pos[1]);
  if (degree == 0 && g_n < 3) {
    std::fprintf(stderr, "N must be at least 3 (a ring with two distinct neighbours)\n");
    return 2;
  }
  if (degree > 0 && (g_n < 2 || degree > g_n - 1)) {
    std::fprintf(stderr, "random graph: need N >= 2 and mean degree D <= N - 1\n");
    return 2;
  }
  if (degree > 0) BuildRandomGraph(g_n, degree);
  const std::vector<sg4::Host*> hosts = BuildStar(g_n);
  for (int i = 0; i < g_n; ++i) g_boxes.push_back(sg4::Mailbox::by_name("p" + std::to_string(i)));
  for (int i = 0; i < g_n; ++i)
    sg4::Actor::create("p" + std::to_string(i), hosts[i], Process, i, 1);
  const auto t0 = std::chrono::steady_clock::now();
  e.run_until(g_end_s);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "simgrid graph=%s processes=%d hops=%llu sim_s=%g wall_s=%.2f hops_per_s=%.0f "
      "rss_peak_MiB=%.0f B_per_process=%.0f\n",
      degree > 0 ? "random" : "ring", g_n, static_cast<unsigned long long>(g_hops), g_end_s, wall,
      g_hops / wall, snapsim::bench::ProcStatusKiB("VmHWM") / 1024.0,
      snapsim::bench::ProcStatusKiB("VmHWM") * 1024.0 / g_n);
  std::fflush(stdout);
  std::_Exit(0);  // actors are still blocked; skip SimGrid's teardown
}
