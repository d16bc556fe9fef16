// The scenario loader: valid scenarios resolve fully; every kind of bad input
// comes back as one located error message, never a crash.
#include "experiments/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace snapsim {
namespace {

std::string ErrorOf(const std::string& yaml, const ScenarioOverrides& o = {}) {
  LoadResult r = LoadScenarioText(yaml, "bad.yaml", ".", o);
  EXPECT_FALSE(r.scenario.has_value());
  return r.error;
}

const char* kMinimal = R"(topology: {kind: ring, processes: 4}
workload: {kind: tokens}
)";

TEST(Scenario, MinimalScenarioResolvesDefaults) {
  LoadResult r = LoadScenarioText(kMinimal, "min.yaml", ".");
  ASSERT_TRUE(r.scenario) << r.error;
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.protocol.kind, "none");
  EXPECT_EQ(s.stop.end_time, SimTime(10'000'000));
  EXPECT_EQ(s.world.names.size(), 4u);
  EXPECT_EQ(s.resolved["run"]["duration"], 10'000'000);
  EXPECT_EQ(s.resolved["workload"]["tokens"], 1);
  EXPECT_EQ(s.resolved["channels"]["in_to_in"]["fifo"], true);
  EXPECT_EQ(s.resolved["channels"]["default"]["latency"]["dist"], "exponential");
}

TEST(Scenario, DurationsAcceptUnits) {
  LoadResult r =
      LoadScenarioText(std::string(kMinimal) + "run: {duration: 1.5ms}\n", "x.yaml", ".");
  ASSERT_TRUE(r.scenario) << r.error;
  EXPECT_EQ(r.scenario->stop.end_time.ns(), 1'500'000);
}

TEST(Scenario, SetOverridesAndSeedOverride) {
  ScenarioOverrides o;
  o.seed = 99;
  o.sets = {"topology.processes=7",
            "channels.in_to_in.latency={dist: uniform, min: 1us, max: 2us}"};
  LoadResult r = LoadScenarioText(kMinimal, "x.yaml", ".", o);
  ASSERT_TRUE(r.scenario) << r.error;
  EXPECT_EQ(r.scenario->seed, 99u);
  EXPECT_EQ(r.scenario->resolved["seed"], 99);
  EXPECT_EQ(r.scenario->world.names.size(), 7u);
  const LinkSpec& l = r.scenario->world.links[static_cast<int>(ChannelKind::kInToIn)];
  EXPECT_EQ(l.latency.kind, DistKind::kUniform);
  EXPECT_EQ(l.latency.p2, 2000);
}

TEST(Scenario, UnknownKeyIsLocated) {
  EXPECT_EQ(ErrorOf("topology: {kind: ring, processes: 4}\nworkload: {kind: tokens}\ncolour: red\n")
                .rfind("bad.yaml:3:1: colour: unknown key", 0),
            0u);
  const std::string e = ErrorOf(
      "topology:\n  kind: ring\n  processes: 4\n  procesess: 5\nworkload: {kind: tokens}\n");
  EXPECT_EQ(e.rfind("bad.yaml:4:3: topology.procesess: unknown key (expected one of:", 0), 0u) << e;
  EXPECT_NE(e.find("processes"), std::string::npos) << e;
}

TEST(Scenario, WrongTypeIsLocated) {
  const std::string e =
      ErrorOf("topology: {kind: ring, processes: many}\nworkload: {kind: tokens}\n");
  EXPECT_EQ(e.rfind("bad.yaml:1:35: topology.processes: 'many' is not an integer", 0), 0u) << e;
  EXPECT_NE(ErrorOf("seed: [1]\n" + std::string(kMinimal)).find("seed: expected a non-negative"),
            std::string::npos);
  EXPECT_NE(ErrorOf(std::string(kMinimal) + "channels: {default: {fifo: maybe}}\n")
                .find("channels.default.fifo: expected true or false"),
            std::string::npos);
}

TEST(Scenario, NegativeLatencyIsRejected) {
  std::string e = ErrorOf(std::string(kMinimal) + "channels:\n  default:\n    latency: -5us\n");
  EXPECT_EQ(e.rfind("bad.yaml:5:14: channels.default.latency: negative duration", 0), 0u) << e;
  e = ErrorOf(std::string(kMinimal) +
              "channels: {in_to_in: {latency: {dist: uniform, min: -1us, max: 2us}}}\n");
  EXPECT_NE(e.find("channels.in_to_in.latency.min: negative duration"), std::string::npos) << e;
  e = ErrorOf(std::string(kMinimal) +
              "channels: {in_to_in: {latency: {dist: normal, mean: 5us, stddev: 1us}}}\n");
  EXPECT_NE(e.find("unknown value 'normal'"), std::string::npos) << e;
  e = ErrorOf(std::string(kMinimal) +
              "channels: {in_to_in: {latency: {dist: constant, value: 5us, shift: -10us}}}\n");
  EXPECT_NE(e.find("negative"), std::string::npos) << e;
}

TEST(Scenario, MissingSamplesFileIsLocated) {
  const std::string e =
      ErrorOf(std::string(kMinimal) +
              "channels: {default: {latency: {dist: empirical, file: no/such/file.txt}}}\n");
  EXPECT_EQ(e.rfind("bad.yaml:3:55: channels.default.latency.file: cannot open samples file "
                    "'no/such/file.txt'",
                    0),
            0u)
      << e;
}

TEST(Scenario, EmpiricalSamplesLoadRelativeToTheScenario) {
  const auto dir = std::filesystem::temp_directory_path() / "snapsim_samples_test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "s.txt");
    f << "# header\n100 7\n200 8\n\n300 9\n";
  }
  LoadResult r = LoadScenarioText(
      std::string(kMinimal) +
          "channels: {default: {latency: {dist: empirical, file: s.txt, column: 1, scale: 2}}}\n",
      "x.yaml", dir.string());
  ASSERT_TRUE(r.scenario) << r.error;
  const Distribution& d = r.scenario->world.links[0].latency;
  EXPECT_EQ(d.samples->size(), 3u);
  EXPECT_DOUBLE_EQ(d.Mean(), 16.0);
  {
    std::ofstream f(dir / "bad.txt");
    f << "100\nabc\n";
  }
  LoadResult bad = LoadScenarioText(
      std::string(kMinimal) + "channels: {default: {latency: {dist: empirical, file: bad.txt}}}\n",
      "x.yaml", dir.string());
  EXPECT_NE(bad.error.find("line 2: 'abc' is not a number"), std::string::npos) << bad.error;
  std::filesystem::remove_all(dir);
}

TEST(Scenario, UnknownProtocolIsLocated) {
  const std::string e = ErrorOf(std::string(kMinimal) + "protocol: {kind: magic}\n");
  EXPECT_EQ(
      e.rfind("bad.yaml:3:18: protocol.kind: unknown value 'magic' (expected one of: none, ", 0),
      0u)
      << e;
  EXPECT_NE(e.find("lai-yang"), std::string::npos) << e;
}

TEST(Scenario, MalformedYamlIsLocated) {
  const std::string e = ErrorOf("topology: {kind: ring\nworkload: [\n");
  EXPECT_EQ(e.rfind("bad.yaml:", 0), 0u) << e;
  EXPECT_NE(e.find("malformed YAML"), std::string::npos) << e;
  EXPECT_NE(ErrorOf("- a\n- b\n").find("must be a mapping"), std::string::npos);
}

TEST(Scenario, MissingSectionsAndBadReferences) {
  EXPECT_NE(ErrorOf("workload: {kind: tokens}\n").find("topology: missing"), std::string::npos);
  EXPECT_NE(ErrorOf("topology: {kind: ring, processes: 4}\n").find("workload: missing"),
            std::string::npos);
  EXPECT_NE(ErrorOf("topology: {kind: hypercube, processes: 4}\nworkload: {kind: tokens}\n")
                .find("unknown value 'hypercube'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("topology: {kind: edges, processes: 4, edges: [[0, 1], [2, 3]]}\n"
                    "workload: {kind: tokens}\n")
                .find("disconnected"),
            std::string::npos);
  EXPECT_NE(ErrorOf("topology: {kind: edges, processes: 3, edges: [[0, 1], [1]]}\n"
                    "workload: {kind: tokens}\n")
                .find("bad.yaml:1:55: topology.edges: expected an edge"),
            std::string::npos);
  EXPECT_NE(ErrorOf("topology: {kind: ring, processes: 4}\nworkload: {kind: rpc}\n")
                .find("needs out-group clients"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(std::string(kMinimal) + "run: {duration: 5 parsecs}\n").find("is not a duration"),
      std::string::npos);
  EXPECT_NE(
      ErrorOf(std::string(kMinimal) + "channels: {default: {loss: 1.5}}\n").find("out of range"),
      std::string::npos);
}

TEST(Scenario, BadOverridesAreLocatedOnTheCommandLine) {
  ScenarioOverrides o;
  o.sets = {"topology.processes=zero"};
  EXPECT_EQ(
      ErrorOf(kMinimal, o)
          .rfind("--set topology.processes=zero: topology.processes: 'zero' is not an integer", 0),
      0u);
  o.sets = {"topology.colour=1"};
  EXPECT_EQ(ErrorOf(kMinimal, o).rfind("--set topology.colour=1: topology.colour: unknown key", 0),
            0u);
  o.sets = {"novalue"};
  EXPECT_NE(ErrorOf(kMinimal, o).find("expected dotted.key=value"), std::string::npos);
  o.sets = {"topology.kind.x=1"};
  EXPECT_NE(ErrorOf(kMinimal, o).find("is not a mapping"), std::string::npos);
}

TEST(Scenario, SparseCloudOutDegree) {
  const std::string cloud =
      "topology: {kind: cloud, backends: 6, clients: 2, externals: 1, gateways: 1, "
      "backend_graph: ring, out_degree: ";
  LoadResult r = LoadScenarioText(cloud + "2}\nworkload: {kind: rpc}\n", "x.yaml", ".");
  ASSERT_TRUE(r.scenario) << r.error;
  EXPECT_EQ(r.scenario->world.edges.size(), 6u + 3u * 2u);
  const std::string e = ErrorOf(cloud + "7}\nworkload: {kind: rpc}\n");
  EXPECT_EQ(e.rfind("bad.yaml:1:", 0), 0u) << e;
  EXPECT_NE(e.find("topology.out_degree"), std::string::npos) << e;
}

TEST(Scenario, FourteenBitIdsBoundMaxInFlight) {
  const std::string ogm =
      "topology: {kind: cloud, backends: 2, clients: 1, gateways: 1}\nworkload: {kind: rpc}\n"
      "protocol:\n  kind: ogm\n  id_bits: 14\n  max_in_flight: ";
  LoadResult r = LoadScenarioText(ogm + "8191\n", "x.yaml", ".");
  ASSERT_TRUE(r.scenario) << r.error;
  const std::string e = ErrorOf(ogm + "8192\n");
  EXPECT_EQ(e.rfind("bad.yaml:", 0), 0u) << e;
  EXPECT_NE(e.find("protocol.max_in_flight: at most 8191 with id_bits: 14"), std::string::npos)
      << e;
}

}  // namespace
}  // namespace snapsim
