// In-memory traces for the checker benchmarks, built directly as a
// CompactTrace (no JSON): random messages between 16 in-group processes, 8
// out-group processes (entering the in-group through 2 gateways), non-FIFO
// delivery (about 40% sends, 50% deliveries, so the number of messages in
// flight stays bounded, as in a real run), and periodic snapshots with a chosen number in flight at
// once.
#pragma once

#include <cstdint>

#include "checker/compact_trace.h"

namespace snapsim::checker::bench {

struct BenchTraceParams {
  std::uint64_t events = 100000;
  int in_flight = 1;     // snapshots overlapping in time
  bool monotone = true;  // false: each process takes its ids in shuffled batches
  std::uint64_t seed = 42;
};

CompactTrace MakeBenchTrace(const BenchTraceParams& p);

}  // namespace snapsim::checker::bench
