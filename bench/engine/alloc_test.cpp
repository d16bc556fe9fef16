// Counts heap allocations per event in the steady state of a run (issue 7:
// "no allocation per event on the hot path"). The global operator new is
// replaced by a counting one; the engine's progress hook samples the counter
// every 4,096 events, and the steady state is the second half of the run,
// after the message pool, the pending-event vector and the per-actor tables
// have grown to their working size.
//
// Each case runs a scenario for a fixed number of events and fails when the
// second half allocates at all, unless it is reported only. Exit code 0: all
// pass; 1: some case failed (its figures are printed).
#include <execinfo.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "checker/online_checker.h"
#include "experiments/scenario.h"
#include "sim/engine.h"

namespace {

std::atomic<std::uint64_t> g_allocs{0};
// With --where: print the call stack of every 64th allocation made while
// `g_where` is set (the steady state), to find who allocates.
bool g_where_flag = false;
bool g_where = false;

void MaybeWhere(std::uint64_t count) {
  if (!g_where || (count & 63) != 0) return;
  g_where = false;  // backtrace() may allocate
  void* frames[24];
  const int n = backtrace(frames, 24);
  static const char kSep[] = "--- allocation call stack:\n";
  (void)!write(2, kSep, sizeof kSep - 1);
  backtrace_symbols_fd(frames, n, 2);
  g_where = true;
}

void* CountedAlloc(std::size_t n) {
  MaybeWhere(g_allocs.fetch_add(1, std::memory_order_relaxed));
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* CountedAlignedAlloc(std::size_t n, std::size_t align) {
  MaybeWhere(g_allocs.fetch_add(1, std::memory_order_relaxed));
  n = (n + align - 1) / align * align;
  if (void* p = std::aligned_alloc(align, n ? n : align)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t n) { return CountedAlloc(n); }
void* operator new[](std::size_t n) { return CountedAlloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  MaybeWhere(g_allocs.fetch_add(1, std::memory_order_relaxed));
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  MaybeWhere(g_allocs.fetch_add(1, std::memory_order_relaxed));
  return std::malloc(n ? n : 1);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return CountedAlignedAlloc(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return CountedAlignedAlloc(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace {

struct Case {
  const char* name;
  const char* yaml;
  bool check;  // attach the online checker (witnesses off), as `snapsim run` does
  // The most allocations per steady-state event that pass: 0 for the
  // engine's cases, where any allocation fails (until the thirty-third pass
  // they passed below 0.01 per event, which let FutureArrivals' spill-table
  // rebuilds, 6 allocations here, through); kReportOnly to report without
  // asserting.
  double limit;
  // When >= 0: also fails when this case allocates more than
  // max_added_per_event per steady-state event beyond case `baseline` (the
  // same run without the checker), so that what the checker adds is
  // asserted even where the protocol's own per-snapshot allocations are
  // only reported.
  int baseline = -1;
  double max_added_per_event = 0;
};

constexpr std::uint64_t kEvents = 1 << 20;
constexpr double kReportOnly = -1;

// Run with and without the checker: one scenario, so the two rows differ in
// nothing else.
constexpr const char* kOgmCloud = R"(
name: alloc-ogm
run: {duration: 1000s}
topology: {kind: cloud, backends: 1000, clients: 100, externals: 10, gateways: 16, backend_graph: ring}
workload: {kind: rpc}
protocol:
  kind: ogm
  notify: false
  max_in_flight: 1000000
  snapshots: {start: 100us, rate_hz: 10000}
)";

const Case kCases[] = {
    {"tokens, ring of 1,000, protocol none",
     R"(
name: alloc-tokens
run: {duration: 1000s}
topology: {kind: ring, processes: 1000}
workload: {kind: tokens, tokens: 5000}
)",
     false, 0},
    {"rpc, cloud 1,000 backends, protocol none",
     R"(
name: alloc-rpc
run: {duration: 1000s}
topology: {kind: cloud, backends: 1000, clients: 100, externals: 10, gateways: 16, backend_graph: ring}
workload: {kind: rpc}
)",
     false, 0},
    // OGM allocates one record per snapshot in the engine's snapshot log (the
    // results): 156 snapshots, 160 allocations here, 0.00031 per event. Three
    // per snapshot until the thirty-fourth pass (0.00093) fail.
    {"rpc, cloud 1,000 backends, OGM (notify off), no checker", kOgmCloud, false, 0.0005},
    // The checker added 0.0091 allocations per event here until the
    // thirty-fourth pass (a vector per recorded channel state and per judged
    // snapshot, map nodes per compared message); now 16 in 520,192 events.
    {"rpc, cloud 1,000 backends, OGM (notify off) + online checker", kOgmCloud, true, kReportOnly,
     2, 1e-4},
};

struct Sample {
  std::uint64_t events, allocs;
  std::int64_t now_ns;
};

struct Steady {
  std::uint64_t events = 0, allocs = 0;
};

// Runs case c; its steady state's events and allocations go to *steady.
bool RunCase(const Case& c, Steady* steady) {
  snapsim::LoadResult loaded = snapsim::LoadScenarioText(c.yaml, c.name, ".");
  if (!loaded.scenario) {
    std::printf("FAIL %s: %s\n", c.name, loaded.error.c_str());
    return false;
  }
  snapsim::Scenario& s = *loaded.scenario;
  s.stop.max_events = kEvents;
  auto workload = snapsim::MakeWorkload(s.workload);
  auto protocol = snapsim::MakeProtocol(s.protocol);
  snapsim::Engine engine(s.world, *protocol, *workload);
  std::unique_ptr<snapsim::checker::OnlineChecker> online;
  if (c.check) {
    snapsim::checker::OnlineChecker::Options co;
    co.record_witnesses = false;
    online = std::make_unique<snapsim::checker::OnlineChecker>(co);
    engine.AddSink(online.get());
  }
  std::vector<Sample> samples;
  samples.reserve(kEvents / 4096 + 16);
  engine.SetProgress(
      [&samples](const snapsim::RunStats& st, snapsim::SimTime now) {
        samples.push_back({st.events, g_allocs.load(std::memory_order_relaxed), now.ns()});
        if (st.events >= kEvents / 2) g_where = g_where_flag;
      },
      4096);
  const snapsim::RunStats& st = engine.Run(s.stop);
  if (samples.size() < 4 || st.events < kEvents) {
    std::printf("FAIL %s: the run stopped early (%llu events)\n", c.name,
                static_cast<unsigned long long>(st.events));
    return false;
  }
  g_where = false;
  const Sample& a = samples[samples.size() / 2];
  const Sample& b = samples.back();
  *steady = {b.events - a.events, b.allocs - a.allocs};
  const double per_event =
      static_cast<double>(b.allocs - a.allocs) / static_cast<double>(b.events - a.events);
  const bool info = c.limit < 0;
  const bool ok = info || per_event <= c.limit;
  std::printf(
      "%s %s\n     %llu allocations in %llu steady-state events (%.3f ms simulated): "
      "%.5f per event",
      info ? "info"
      : ok ? "ok  "
           : "FAIL",
      c.name, static_cast<unsigned long long>(b.allocs - a.allocs),
      static_cast<unsigned long long>(b.events - a.events), (b.now_ns - a.now_ns) / 1e6, per_event);
  if (info)
    std::printf(" (reported only)\n");
  else if (c.limit == 0)
    std::printf(" (limit: none)\n");
  else
    std::printf(" (limit: %.5f)\n", c.limit);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  g_where_flag = argc > 1 && std::string(argv[1]) == "--where";
  bool ok = true;
  Steady steady[std::size(kCases)];
  for (std::size_t i = 0; i < std::size(kCases); ++i) ok = RunCase(kCases[i], &steady[i]) && ok;
  for (std::size_t i = 0; i < std::size(kCases); ++i) {
    const Case& c = kCases[i];
    if (c.baseline < 0) continue;
    const Steady& base = steady[c.baseline];
    const Steady& mine = steady[i];
    const double added = (static_cast<double>(mine.allocs) - static_cast<double>(base.allocs)) /
                         static_cast<double>(mine.events);
    const bool added_ok = added <= c.max_added_per_event;
    std::printf("%s %s\n     adds %.5f allocations per event to \"%s\" (limit: %.5f)\n",
                added_ok ? "ok  " : "FAIL", c.name, added, kCases[c.baseline].name,
                c.max_added_per_event);
    ok = added_ok && ok;
  }
  return ok ? 0 : 1;
}
