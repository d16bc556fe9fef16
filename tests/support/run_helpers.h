// Helpers for tests that run small scenarios given as YAML text.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "experiments/scenario.h"
#include "protocols/registry.h"
#include "sim/engine.h"
#include "sim/workloads/registry.h"
#include "tests/support/recording_sink.h"

namespace snapsim::testing {

inline Scenario MustLoad(const std::string& yaml, const ScenarioOverrides& o = {}) {
  LoadResult r = LoadScenarioText(yaml, "test.yaml", ".", o);
  if (!r.error.empty()) ADD_FAILURE() << r.error;
  return r.scenario ? std::move(*r.scenario) : Scenario{};
}

// A run kept alive for inspection: engine, workload, protocol and the trace.
struct TracedRun {
  Scenario scenario;
  std::unique_ptr<Workload> workload;
  std::unique_ptr<Protocol> protocol;
  std::unique_ptr<Engine> engine;
  RecordingSink sink;

  const RunStats& stats() const { return engine->Stats(); }
  ActorGroup GroupOf(ActorId a) const { return sink.groups[a]; }
};

// Runs `yaml`; `protocol` replaces the scenario's protocol when given.
inline std::unique_ptr<TracedRun> RunYaml(const std::string& yaml,
                                          std::unique_ptr<Protocol> protocol = nullptr,
                                          const ScenarioOverrides& o = {}) {
  auto run = std::make_unique<TracedRun>();
  run->scenario = MustLoad(yaml, o);
  run->workload = MakeWorkload(run->scenario.workload);
  run->protocol = protocol ? std::move(protocol) : MakeProtocol(run->scenario.protocol);
  run->engine = std::make_unique<Engine>(run->scenario.world, *run->protocol, *run->workload);
  run->engine->AddSink(&run->sink);
  run->engine->Run(run->scenario.stop);
  return run;
}

}  // namespace snapsim::testing
