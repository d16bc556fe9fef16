// libFuzzer target: scenario text -> a validated scenario or a located error,
// never a crash, a hang or an exception escaping the loader. Small valid
// scenarios are also run for a few thousand events, so the engine, the
// protocols and the checker see every configuration the loader accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "experiments/runner.h"
#include "experiments/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  snapsim::LoadResult r = snapsim::LoadScenarioText(text, "fuzz.yaml", "/nonexistent-fuzz-dir");
  if (!r.scenario) {
    if (r.error.empty()) __builtin_trap();  // a failure must say why
    return 0;
  }
  snapsim::Scenario& s = *r.scenario;
  if (s.world.names.size() > 64 || s.world.edges.size() > 2000) return 0;
  s.stop.max_events = 5000;
  s.baseline = false;
  snapsim::RunOptions options;
  options.progress = false;
  snapsim::RunScenario(s, options);
  return 0;
}
