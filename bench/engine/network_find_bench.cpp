// Network::Find on the dense cloud shape of the issue-7 scenario: B backends
// in a ring, C clients each talking to every backend, 16 gateways. Every
// backend then has about C + 2 outgoing channels, sorted by destination, with
// its two ring neighbours first. Two kinds of lookups, each over a table of
// random queries built in advance:
//   InGroupNeighbour  backend b -> b + 1 (Lai-Yang reports, ring traffic);
//   Client            backend b -> a random client (rpc replies).
// Arguments: backends, clients. The network of the largest case has about
// 2 * 10^7 channels and takes a few seconds and about 400 MiB to build.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include "sim/network.h"

namespace snapsim {
namespace {

constexpr std::uint32_t kGateways = 16;
constexpr std::size_t kQueries = 1 << 16;

struct DenseCloud {
  std::uint32_t backends = 0, clients = 0;
  Network net;
};

// Built once per shape and kept: building dominates otherwise.
const DenseCloud& Cloud(std::uint32_t backends, std::uint32_t clients) {
  static std::map<std::pair<std::uint32_t, std::uint32_t>, std::unique_ptr<DenseCloud>> cache;
  auto& slot = cache[{backends, clients}];
  if (slot) return *slot;
  std::vector<ActorGroup> groups(backends, ActorGroup::kIn);
  groups.resize(backends + clients, ActorGroup::kOut);
  groups.resize(backends + clients + kGateways, ActorGroup::kGateway);
  std::vector<std::pair<ActorId, ActorId>> edges;
  for (ActorId b = 0; b < backends; ++b) edges.emplace_back(b, (b + 1) % backends);
  for (ActorId c = backends; c < backends + clients; ++c)
    for (ActorId b = 0; b < backends; ++b) edges.emplace_back(b, c);
  std::array<LinkSpec, kChannelKindCount> links{};
  slot = std::make_unique<DenseCloud>(
      DenseCloud{backends, clients, Network(groups, edges, RoutingSpec{}, links)});
  return *slot;
}

template <bool kToClient>
void BM_Find(benchmark::State& state) {
  const DenseCloud& cloud =
      Cloud(static_cast<std::uint32_t>(state.range(0)), static_cast<std::uint32_t>(state.range(1)));
  std::mt19937_64 rng(7);
  std::vector<std::pair<ActorId, ActorId>> queries(kQueries);
  for (auto& [src, dst] : queries) {
    src = static_cast<ActorId>(rng() % cloud.backends);
    dst = kToClient ? static_cast<ActorId>(cloud.backends + rng() % cloud.clients)
                    : (src + 1) % cloud.backends;
  }
  std::size_t i = 0;
  std::uint64_t found = 0;
  for (auto _ : state) {
    const auto [src, dst] = queries[i++ & (kQueries - 1)];
    found += cloud.net.Find(src, dst) != kNoChannel;
  }
  if (found != static_cast<std::uint64_t>(state.iterations()))
    state.SkipWithError("a channel was not found");
  state.SetItemsProcessed(state.iterations());
}

void Shapes(benchmark::internal::Benchmark* b) { b->Args({1'000, 1'000})->Args({10'000, 1'000}); }

BENCHMARK(BM_Find<false>)->Name("Find/InGroupNeighbour")->Apply(Shapes);
BENCHMARK(BM_Find<true>)->Name("Find/Client")->Apply(Shapes);

}  // namespace
}  // namespace snapsim

BENCHMARK_MAIN();
