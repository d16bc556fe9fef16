// The sweep section, its expansion and seeds, and the statistics of
// aggregate.csv (issue 6).
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <sstream>

#include "experiments/sweep/sweep_results.h"
#include "experiments/sweep/sweep_runner.h"
#include "experiments/sweep/sweep_spec.h"

namespace snapsim::sweep {
namespace {

const char* kBase = R"(name: t
seed: 9
run: {duration: 200us}
topology: {kind: cloud, backends: 2, clients: 1, externals: 1, gateways: 2}
workload: {kind: rpc}
protocol:
  kind: ogm
  tau: 6us
  snapshots: {start: 20us, interval: 50us}
)";

SweepSpec MustLoad(const std::string& sweep, SweepLoadOptions o = {}) {
  SweepLoadResult r = LoadSweepText(std::string(kBase) + sweep, "t.yaml", ".", o);
  EXPECT_EQ(r.error, "");
  if (!r.spec) throw std::runtime_error(r.error);
  return *r.spec;
}

std::string LoadError(const std::string& sweep, SweepLoadOptions o = {}) {
  SweepLoadResult r = LoadSweepText(std::string(kBase) + sweep, "t.yaml", ".", o);
  EXPECT_FALSE(r.spec.has_value());
  return r.error;
}

std::vector<std::string> Points(const SweepSpec& s) {
  std::vector<std::string> out;
  for (const auto& p : s.points) {
    std::string line;
    for (const auto& set : s.PointSets(p)) line += (line.empty() ? "" : " ") + set;
    out.push_back(line);
  }
  return out;
}

TEST(SweepSpec, CartesianProductFirstParameterSlowest) {
  SweepSpec s = MustLoad(R"(sweep:
  repetitions: 2
  parameters:
    topology.gateways: [2, 4]
    protocol.max_in_flight: [1, 2, 8]
)");
  EXPECT_EQ(Points(s), (std::vector<std::string>{"topology.gateways=2 protocol.max_in_flight=1",
                                                 "topology.gateways=2 protocol.max_in_flight=2",
                                                 "topology.gateways=2 protocol.max_in_flight=8",
                                                 "topology.gateways=4 protocol.max_in_flight=1",
                                                 "topology.gateways=4 protocol.max_in_flight=2",
                                                 "topology.gateways=4 protocol.max_in_flight=8"}));
  EXPECT_EQ(s.RunCount(), 12u);
  EXPECT_EQ(s.Run(7).point, 3u);
  EXPECT_EQ(s.Run(7).repetition, 1u);
}

TEST(SweepSpec, ZipModeVariesTogether) {
  SweepSpec s = MustLoad(R"(sweep:
  mode: zip
  parameters:
    protocol.kind: [ogm, blocking]
    protocol.max_in_flight: [8, 1]
)");
  EXPECT_EQ(Points(s),
            (std::vector<std::string>{"protocol.kind=ogm protocol.max_in_flight=8",
                                      "protocol.kind=blocking protocol.max_in_flight=1"}));
}

TEST(SweepSpec, ZipSectionIsOneAxisOfTheProduct) {
  SweepSpec s = MustLoad(R"(sweep:
  parameters:
    topology.gateways: [2, 3]
  zip:
    protocol.kind: [ogm, blocking]
    protocol.max_in_flight: [8, 1]
)");
  EXPECT_EQ(Points(s), (std::vector<std::string>{
                           "topology.gateways=2 protocol.kind=ogm protocol.max_in_flight=8",
                           "topology.gateways=2 protocol.kind=blocking protocol.max_in_flight=1",
                           "topology.gateways=3 protocol.kind=ogm protocol.max_in_flight=8",
                           "topology.gateways=3 protocol.kind=blocking protocol.max_in_flight=1"}));
}

TEST(SweepSpec, RangesOfIntegersDurationsRealsAndFactors) {
  SweepSpec s = MustLoad(R"(sweep:
  mode: zip
  parameters:
    protocol.tau: {from: 2us, to: 6us, step: 2us}
    protocol.snapshots.start: {from: 10, to: 30, step: 10}
    workload.p_external: {from: 0.1, to: 0.3, step: 0.1}
)");
  EXPECT_EQ(Points(s)[2], "protocol.tau=6000 protocol.snapshots.start=30 workload.p_external=0.3");
  SweepSpec f = MustLoad(R"(sweep:
  parameters:
    protocol.snapshots.rate_hz: {from: 1024, to: 10000, factor: 2}
)");
  EXPECT_EQ(Points(f).size(), 4u);
  EXPECT_EQ(Points(f).back(), "protocol.snapshots.rate_hz=8192");
  SweepSpec r = MustLoad(R"(sweep:
  parameters:
    protocol.snapshots.rate_hz: {from: 1000, to: 2000, factor: 1.4142135623730951}
)");
  EXPECT_EQ(Points(r), (std::vector<std::string>{"protocol.snapshots.rate_hz=1000",
                                                 "protocol.snapshots.rate_hz=1414",
                                                 "protocol.snapshots.rate_hz=2000"}));
}

TEST(SweepSpec, MappingValuesGoInsideALists) {
  SweepSpec s = MustLoad(R"(sweep:
  parameters:
    channels.default.latency: [{dist: constant, value: 2us}, 5us]
)");
  EXPECT_EQ(Points(s)[0], "channels.default.latency={dist: constant, value: 2us}");
  EXPECT_EQ(Points(s)[1], "channels.default.latency=5us");
}

TEST(SweepSpec, NoSweepSectionIsOnePoint) {
  SweepSpec s = MustLoad("");
  EXPECT_EQ(s.points.size(), 1u);
  EXPECT_EQ(s.RunCount(), 1u);
  EXPECT_EQ(s.base_text, kBase);
}

TEST(SweepSpec, SeedsAreDeterministicAndDependOnPointAndRepetition) {
  const std::string sweep =
      "sweep:\n  repetitions: 3\n  parameters:\n    topology.gateways: [2, 4]\n";
  SweepSpec a = MustLoad(sweep), b = MustLoad(sweep);
  std::set<std::uint64_t> seeds;
  for (std::size_t i = 0; i < a.RunCount(); ++i) {
    EXPECT_EQ(a.Run(i).seed, b.Run(i).seed);
    EXPECT_LT(a.Run(i).seed, 1ULL << 53);
    seeds.insert(a.Run(i).seed);
  }
  EXPECT_EQ(seeds.size(), a.RunCount());
  // A point's seeds depend on its values, not its index: adding a value to
  // the list leaves the other points' seeds alone.
  SweepSpec c =
      MustLoad("sweep:\n  repetitions: 3\n  parameters:\n    topology.gateways: [1, 2, 4]\n");
  EXPECT_EQ(c.Run(3).seed, a.Run(0).seed);
  EXPECT_EQ(c.Run(8).seed, a.Run(5).seed);
  // The base seed changes every seed; the pure function is pinned.
  SweepLoadOptions o;
  o.seed = 10;
  SweepSpec d = MustLoad(sweep, o);
  EXPECT_NE(d.Run(0).seed, a.Run(0).seed);
  EXPECT_EQ(d.base_seed, 10u);
  EXPECT_EQ(DeriveSeed(9, {"topology.gateways=2"}, 0, SeedMode::kPerPoint), a.Run(0).seed);
  EXPECT_EQ(DeriveSeed(9, {"x=1"}, 1, SeedMode::kShared),
            DeriveSeed(9, {"x=2"}, 1, SeedMode::kShared));
  EXPECT_NE(DeriveSeed(9, {"x=1"}, 1, SeedMode::kShared),
            DeriveSeed(9, {"x=1"}, 2, SeedMode::kShared));
  // Every run loads with its own seed.
  LoadResult run = LoadRun(a, a.Run(4));
  ASSERT_EQ(run.error, "");
  EXPECT_EQ(run.scenario->seed, a.Run(4).seed);
  EXPECT_EQ(run.scenario->world.names.size(), 2u + 1 + 1 + 4 + 1);  // gateways=4
}

TEST(SweepSpec, SharedSeedsAreTheSameAtEveryPoint) {
  SweepSpec s = MustLoad(
      "sweep:\n  seeds: shared\n  repetitions: 2\n  parameters:\n    topology.gateways: [2, 4]\n");
  EXPECT_EQ(s.Run(0).seed, s.Run(2).seed);
  EXPECT_EQ(s.Run(1).seed, s.Run(3).seed);
  EXPECT_NE(s.Run(0).seed, s.Run(1).seed);
}

TEST(SweepSpec, SetOverridesSweepKeysAndScenarioKeys) {
  SweepLoadOptions o;
  o.sets = {"sweep.repetitions=1", "sweep.parameters.topology.gateways=[3]", "run.duration=100us"};
  SweepSpec s =
      MustLoad("sweep:\n  repetitions: 5\n  parameters:\n    topology.gateways: [2, 4]\n", o);
  EXPECT_EQ(s.RunCount(), 1u);
  EXPECT_EQ(Points(s)[0], "topology.gateways=3");
  LoadResult run = LoadRun(s, s.Run(0));
  ASSERT_EQ(run.error, "");
  EXPECT_EQ(run.scenario->stop.end_time.ns(), 100000);
  // The identity covers the options: a different --set is a different sweep.
  SweepSpec plain =
      MustLoad("sweep:\n  repetitions: 5\n  parameters:\n    topology.gateways: [2, 4]\n");
  EXPECT_NE(s.identity, plain.identity);
}

TEST(SweepSpec, StrippingKeepsLineNumbers) {
  const std::string text = "a: 1\nsweep:\n  parameters:\n    x: [1]\n# c\nb: 2\n";
  const std::string stripped = StripSweepSection(text, nullptr, nullptr);
  EXPECT_EQ(stripped, "a: 1\n\n\n\n\nb: 2\n");
  // Flow style is re-emitted without the section.
  const std::string flow = StripSweepSection("{a: 1, sweep: {x: 1}, b: 2}", nullptr, nullptr);
  EXPECT_EQ(flow.find("sweep"), std::string::npos);
  EXPECT_NE(flow.find("b: 2"), std::string::npos);
}

TEST(SweepSpec, BadInputIsLocated) {
  // Line numbers: kBase has 9 lines, "sweep:" is line 10.
  EXPECT_EQ(LoadError("sweep:\n  parameters:\n    topology.gatewayz: [2, 4]\n")
                .rfind("t.yaml:12:5: topology.gatewayz: unknown key (expected one of:", 0),
            0u);
  EXPECT_EQ(LoadError("sweep:\n  parameters:\n    topology.gateways: [2, lots]\n")
                .rfind("t.yaml:12:28: topology.gateways: 'lots' is not an integer", 0),
            0u);
  EXPECT_EQ(LoadError("sweep:\n  parameters:\n    protocol.tau: {from: 9us, to: 2us, step: 1us}\n"),
            "t.yaml:12:19: sweep.parameters.protocol.tau: empty range: from 9us is above to 2us "
            "(expected from <= to)");
  EXPECT_EQ(LoadError("sweep:\n  parameters:\n    topology.gateways: []\n"),
            "t.yaml:12:24: sweep.parameters.topology.gateways: empty list (expected at least one "
            "value)");
  EXPECT_NE(LoadError("sweep:\n  parameters:\n    protocol.tau: {from: 1us, to: 2us, step: 0}\n")
                .find("step: must be > 0"),
            std::string::npos);
  EXPECT_NE(LoadError("sweep:\n  zip:\n    protocol.kind: [ogm, mgm]\n    protocol.tau: [1us]\n")
                .find("expected lists of equal length to zip"),
            std::string::npos);
  EXPECT_NE(LoadError("sweep:\n  parameters:\n    seed: [1, 2]\n").find("the seed is not swept"),
            std::string::npos);
  EXPECT_EQ(LoadError("sweep:\n  repetitons: 2\n"),
            "t.yaml:11:3: sweep.repetitons: unknown key (expected one of: mode, parameters, "
            "repetitions, seeds, zip)");
  EXPECT_NE(LoadError("sweep:\n  repetitions: 0\n").find("sweep.repetitions: 0 is out of range"),
            std::string::npos);
  SweepLoadOptions o;
  o.sets = {"sweep.parameters.protocol.max_in_flight=[0]"};
  EXPECT_EQ(LoadError("", o).rfind("--set sweep.parameters.protocol.max_in_flight=[0]: "
                                   "protocol.max_in_flight: 0 is out of range",
                                   0),
            0u);
  // A scenario error after the sweep section keeps its own line.
  EXPECT_EQ(LoadError("sweep:\n  parameters:\n    topology.gateways: [2]\nprotocl: 1\n")
                .rfind("t.yaml:13:1: protocl: unknown key", 0),
            0u);
}

TEST(SweepShard, ParsesAndSlices) {
  std::string error;
  EXPECT_FALSE(ParseShard("3/2", &error));
  EXPECT_NE(error.find("shard 3 of 2 does not exist"), std::string::npos);
  EXPECT_FALSE(ParseShard("0/2", &error));
  EXPECT_FALSE(ParseShard("1/0", &error));
  EXPECT_FALSE(ParseShard("a/b", &error));
  EXPECT_FALSE(ParseShard("1", &error));
  std::optional<Shard> s = ParseShard("2/3", &error);
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->Contains(0));
  EXPECT_TRUE(s->Contains(1));
  EXPECT_TRUE(s->Contains(4));
  // The shards of a sweep partition its runs.
  for (std::size_t i = 0; i < 30; ++i) {
    int owners = 0;
    for (std::uint32_t k = 1; k <= 3; ++k) owners += Shard{k, 3}.Contains(i);
    EXPECT_EQ(owners, 1);
  }
}

TEST(SweepStats, StudentQuantiles) {
  EXPECT_NEAR(StudentT975(1), 12.7062, 1e-3);
  EXPECT_NEAR(StudentT975(2), 4.3027, 1e-3);
  EXPECT_NEAR(StudentT975(3), 3.1824, 1e-3);
  EXPECT_NEAR(StudentT975(10), 2.2281, 1e-3);
  EXPECT_NEAR(StudentT975(1000), 1.9623, 1e-3);
}

TEST(SweepStats, MeanStdAndConfidenceIntervalByHand) {
  const double nan = std::nan("");
  // Column 0: 1, 2, 3, 4 -> mean 2.5, s = sqrt(5/3), ci = t(3) s / 2.
  // Column 1: 10, missing, 14, 12 -> mean 12, s = 2, ci = t(2) * 2 / sqrt(3).
  // Column 2: only one value -> no spread.
  std::vector<Stats> st = ColumnStats({{1, 10, nan}, {2, nan, nan}, {3, 14, 5}, {4, 12, nan}}, 3);
  EXPECT_EQ(st[0].n, 4u);
  EXPECT_DOUBLE_EQ(st[0].mean, 2.5);
  EXPECT_NEAR(st[0].stddev, 1.2909944487358056, 1e-12);
  EXPECT_NEAR(st[0].ci95, 3.182446305284263 * 1.2909944487358056 / 2, 1e-9);
  EXPECT_EQ(st[1].n, 3u);
  EXPECT_DOUBLE_EQ(st[1].mean, 12);
  EXPECT_NEAR(st[1].stddev, 2, 1e-12);
  EXPECT_NEAR(st[1].ci95, 4.302652729911275 * 2 / std::sqrt(3.0), 1e-9);
  EXPECT_EQ(st[2].n, 1u);
  EXPECT_DOUBLE_EQ(st[2].mean, 5);
  EXPECT_TRUE(std::isnan(st[2].stddev));
  EXPECT_TRUE(std::isnan(st[2].ci95));
}

Row MakeTestRow(std::size_t point, std::uint32_t rep, const std::string& g, double x,
                const std::string& kind) {
  Row r;
  r.point = point;
  r.repetition = rep;
  r.seed = 100 + point * 10 + rep;
  r.params = {{"topology.gateways", g}};
  r.values = nlohmann::ordered_json::object();
  r.values["x"] = x;
  r.values["kind"] = kind;
  return r;
}

TEST(SweepTables, ResultsAndAggregateCsv) {
  std::vector<Row> rows = {MakeTestRow(1, 1, "4", 6, "ogm"), MakeTestRow(0, 0, "2", 1, "ogm"),
                           MakeTestRow(0, 1, "2", 3, "ogm"), MakeTestRow(1, 0, "4", 2, "a,b")};
  rows[0].values["only_here"] = 7;
  EXPECT_EQ(ResultsCsv(rows),
            "point,repetition,seed,topology.gateways,x,kind,only_here\n"
            "0,0,100,2,1.0,ogm,\n"
            "0,1,101,2,3.0,ogm,\n"
            "1,0,110,4,2.0,\"a,b\",\n"
            "1,1,111,4,6.0,ogm,7\n");
  // x: point 0 {1, 3}: mean 2, s = sqrt(2), ci = 12.706 * sqrt(2) / sqrt(2);
  // point 1 {2, 6}: mean 4, s = 2 sqrt(2). Strings are not aggregated.
  const std::string agg = AggregateCsv(rows);
  std::istringstream in(agg);
  std::string header, p0, p1;
  std::getline(in, header);
  std::getline(in, p0);
  std::getline(in, p1);
  EXPECT_EQ(header,
            "point,topology.gateways,runs,x.mean,x.std,x.ci95,only_here.mean,only_here.std,"
            "only_here.ci95");
  EXPECT_EQ(p0.substr(0, 16), "0,2,2,2,1.414213");
  EXPECT_NE(p0.find(",12.706204736"), std::string::npos) << p0;
  EXPECT_EQ(p1.substr(0, 16), "1,4,2,4,2.828427");
  EXPECT_EQ(p1.substr(p1.size() - 4), ",7,,");  // one value: no spread
}

TEST(SweepTables, RowsRoundTripThroughJson) {
  Row r = MakeTestRow(3, 2, "8", 1.5, "ogm");
  r.host = {{"wall_time_s", 0.5}};
  r.commit = "0123456789ab-dirty";
  std::optional<Row> back = RowFromJson(nlohmann::ordered_json::parse(RowToJson(r).dump()));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->point, 3u);
  EXPECT_EQ(back->repetition, 2u);
  EXPECT_EQ(back->seed, r.seed);
  EXPECT_EQ(back->commit, r.commit);
  EXPECT_EQ(back->params, r.params);
  EXPECT_EQ(back->values.dump(), r.values.dump());
  EXPECT_EQ(RowFileName(3, 2), "p000003-r0002.json");
}

}  // namespace
}  // namespace snapsim::sweep
