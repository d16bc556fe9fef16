// The tokens workload of snapsim (sim/workloads) on a ring of N processes,
// written for SimGrid's S4U interface, as the peer of issue 7.
//
// Model, as close to snapsim's as S4U allows without a network model:
//   - N tokens; token i starts at process i mod N.
//   - A process holds a token for an exponential time (mean 10 us), then
//     passes it to a uniformly chosen ring neighbour; the message takes an
//     exponential latency (mean 10 us).
// S4U has no per-message random latency, so each token is a message carrying
// its arrival time: the sender puts it (detached) into the neighbour's
// mailbox, and the receiving process sleeps until the arrival time before it
// starts holding. A process serves its tokens one at a time (snapsim's
// processes hold several tokens at once), so the two models agree when
// tokens rarely meet, i.e. at one token per process and low load, which is
// the setting of bench/peers/compare.sh.
//
// Prints: processes, hops (token passes), simulated seconds, wall seconds,
// hops per wall second and peak RSS (VmHWM). One snapsim hop is two engine
// events (the hold timer and the arrival); compare hops per second.
//
// Usage: snapsim_peer_simgrid_tokens N DURATION_S [SimGrid --cfg=... options]
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace {

struct Token {
  double arrive_s;
};

int g_n = 0;
double g_end_s = 0;
std::uint64_t g_hops = 0;
std::vector<sg4::Mailbox*> g_boxes;

long StatusKiB(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::size_t len = std::strlen(key);
  while (std::getline(in, line))
    if (line.compare(0, len, key) == 0 && line.size() > len && line[len] == ':')
      return std::stol(line.substr(len + 1));
  return 0;
}

// sleep_for below SimGrid's numerical accuracy (1 ns) only logs a warning.
void SleepFor(double s) {
  if (s >= 1e-9) sg4::this_actor::sleep_for(s);
}

void Process(int i, int initial_tokens) {
  std::mt19937_64 rng(0x9e3779b97f4a7c15ULL * (i + 1));
  std::exponential_distribution<double> hold(1 / 10e-6), latency(1 / 10e-6);
  std::uniform_int_distribution<int> side(0, 1);
  sg4::Mailbox* mine = g_boxes[i];
  // Tokens this process starts with are sent to itself, arriving now.
  for (int k = 0; k < initial_tokens; ++k) mine->put_init(new Token{0.0}, 0)->detach();
  for (;;) {
    Token* t = mine->get<Token>();
    const double now = sg4::Engine::get_clock();
    if (t->arrive_s > now) SleepFor(t->arrive_s - now);
    SleepFor(hold(rng));
    const double sent = sg4::Engine::get_clock();
    if (sent >= g_end_s) {
      delete t;
      return;
    }
    const int to = side(rng) ? (i + 1) % g_n : (i + g_n - 1) % g_n;
    t->arrive_s = sent + latency(rng);
    ++g_hops;
    g_boxes[to]->put_init(t, 0)->detach();
  }
}

}  // namespace

int main(int argc, char** argv) {
  sg4::Engine e(&argc, argv);
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s N DURATION_S [--cfg=...]\n", argv[0]);
    return 2;
  }
  g_n = std::atoi(argv[1]);
  g_end_s = std::atof(argv[2]);
  auto* zone = sg4::create_full_zone("ring");
  sg4::Host* host = zone->create_host("host", 1e9);
  zone->seal();
  for (int i = 0; i < g_n; ++i) g_boxes.push_back(sg4::Mailbox::by_name("p" + std::to_string(i)));
  for (int i = 0; i < g_n; ++i) sg4::Actor::create("p" + std::to_string(i), host, Process, i, 1);
  const auto t0 = std::chrono::steady_clock::now();
  e.run_until(g_end_s);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "simgrid processes=%d hops=%llu sim_s=%g wall_s=%.2f hops_per_s=%.0f "
      "rss_peak_MiB=%.0f B_per_process=%.0f\n",
      g_n, static_cast<unsigned long long>(g_hops), g_end_s, wall, g_hops / wall,
      StatusKiB("VmHWM") / 1024.0, StatusKiB("VmHWM") * 1024.0 / g_n);
  std::fflush(stdout);
  std::_Exit(0);  // daemon actors are still blocked; skip SimGrid's teardown
}
