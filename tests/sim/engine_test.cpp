// Engine behaviour seen through the trace: determinism, FIFO, routing,
// loss, stop conditions and workload conservation.
#include "sim/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "experiments/runner.h"
#include "tests/support/run_helpers.h"

namespace snapsim {
namespace {

using testing::RunYaml;
using testing::TraceRecord;

const char* kCloudRpc = R"(
seed: 5
run: {duration: 5ms}
topology: {kind: cloud, backends: 6, clients: 3, externals: 2, gateways: 3}
channels:
  default: {latency: {dist: exponential, mean: 10us}, fifo: true}
workload: {kind: rpc, request_interval: {dist: exponential, mean: 10us}}
)";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TraceBytes(const std::string& yaml, std::uint64_t seed, const std::string& name) {
  ScenarioOverrides o;
  o.seed = seed;
  Scenario s = testing::MustLoad(yaml, o);
  RunOptions opt;
  opt.progress = false;
  opt.trace_path = (std::filesystem::temp_directory_path() / name).string();
  RunOutput out = RunScenario(s, opt);
  EXPECT_TRUE(out.error.empty()) << out.error;
  std::string bytes = ReadFile(opt.trace_path);
  std::filesystem::remove(opt.trace_path);
  return bytes;
}

TEST(Engine, SameSeedGivesIdenticalTraceBytes) {
  const std::string a = TraceBytes(kCloudRpc, 77, "snapsim_det_a.jsonl");
  const std::string b = TraceBytes(kCloudRpc, 77, "snapsim_det_b.jsonl");
  const std::string c = TraceBytes(kCloudRpc, 78, "snapsim_det_c.jsonl");
  ASSERT_GT(a.size(), 10000u);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(Engine, SameSeedGivesSameHashAndTraceDoesNotChangeIt) {
  auto r1 = RunYaml(kCloudRpc);
  // Without any sink attached.
  Scenario s = testing::MustLoad(kCloudRpc);
  auto w = MakeWorkload(s.workload);
  auto p = MakeProtocol(s.protocol);
  Engine e(s.world, *p, *w);
  e.Run(s.stop);
  EXPECT_EQ(r1->stats().hash, e.Stats().hash);
  EXPECT_EQ(r1->stats().events, e.Stats().events);
  EXPECT_GT(r1->stats().events, 1000u);
}

TEST(Engine, AddingAnActorLeavesOtherStreamsAlone) {
  auto spec = [](int n) {
    WorldSpec w;
    w.seed = 99;
    for (int i = 0; i < n; ++i) {
      w.names.push_back("p" + std::to_string(i));
      w.groups.push_back(ActorGroup::kIn);
      if (i > 0) w.edges.emplace_back(i - 1, i);
    }
    w.links.fill(LinkSpec{});
    w.clock_offset = Distribution::Uniform(-1000, 1000);
    return w;
  };
  World small(spec(8)), big(spec(9));
  for (ActorId a = 0; a < 8; ++a) {
    EXPECT_EQ(small.Clock(a).offset_ns, big.Clock(a).offset_ns);
    EXPECT_EQ(small.WorkloadRng(a)(), big.WorkloadRng(a)());
    EXPECT_EQ(small.NetRng(a, false)(), big.NetRng(a, false)());
    EXPECT_EQ(small.NetRng(a, true)(), big.NetRng(a, true)());
  }
}

// The network's streams live in the senders' rows (Network::SendRng), one
// pair per actor: each is the stream its purpose and the actor's name
// derive, the two are apart, and drawing from one actor's streams leaves
// the next actor's (in the next row) where they were.
TEST(Engine, NetworkStreamsAreEachSendersOwn) {
  WorldSpec spec;
  spec.seed = 7;
  for (int i = 0; i < 4; ++i) {
    spec.names.push_back("p" + std::to_string(i));
    spec.groups.push_back(ActorGroup::kIn);
    if (i > 0) spec.edges.emplace_back(i - 1, i);
  }
  spec.links.fill(LinkSpec{});
  World w(spec);
  for (ActorId a = 0; a < 4; ++a) {
    RandomStream app(7, "net-app", spec.names[a]), control(7, "net-control", spec.names[a]);
    EXPECT_EQ(&w.NetRng(a, false), &w.Net().SendRng(a, false));
    EXPECT_NE(&w.NetRng(a, false), &w.NetRng(a, true));
    for (int k = 0; k < 3; ++k) {
      EXPECT_EQ(w.NetRng(a, false)(), app()) << "actor " << a;
      EXPECT_EQ(w.NetRng(a, true)(), control()) << "actor " << a;
    }
  }
}

// Per hop (sender -> next actor), the order messages enter and leave.
struct HopOrders {
  std::map<std::pair<ActorId, ActorId>, std::vector<MessageId>> sent, arrived;
};

HopOrders Hops(const testing::RecordingSink& sink) {
  HopOrders h;
  std::map<MessageId, std::pair<ActorId, ActorId>> current_hop;
  for (const TraceRecord& e : sink.events) {
    if (e.kind == TraceRecord::kSend || e.kind == TraceRecord::kForward) {
      if (e.kind == TraceRecord::kForward) h.arrived[current_hop[e.msg]].push_back(e.msg);
      current_hop[e.msg] = {e.actor, e.to};
      h.sent[{e.actor, e.to}].push_back(e.msg);
    } else if (e.kind == TraceRecord::kRecv) {
      h.arrived[current_hop[e.msg]].push_back(e.msg);
    }
  }
  return h;
}

// True when, on every hop, messages arrived in the order they were sent.
bool AllHopsInOrder(const HopOrders& h) {
  for (const auto& [hop, arrived] : h.arrived) {
    const auto& sent = h.sent.at(hop);
    for (std::size_t i = 0; i < arrived.size(); ++i)
      if (sent[i] != arrived[i]) return false;
  }
  return true;
}

TEST(Engine, FifoChannelsNeverReorder) {
  auto run = RunYaml(kCloudRpc);
  ASSERT_GT(run->sink.events.size(), 5000u);
  EXPECT_TRUE(AllHopsInOrder(Hops(run->sink)));
}

TEST(Engine, NonFifoChannelsDoReorder) {
  // The same check must fail when channels are not FIFO (the test can fail).
  ScenarioOverrides o;
  o.sets = {"channels.default.fifo=false"};
  auto run = RunYaml(kCloudRpc, nullptr, o);
  EXPECT_FALSE(AllHopsInOrder(Hops(run->sink)));
}

TEST(Engine, InboundTrafficPassesExactlyOneGatewayStablePerFlow) {
  auto run = RunYaml(kCloudRpc);
  const auto& sink = run->sink;
  std::map<MessageId, ActorId> origin, first_to;
  std::map<MessageId, int> forwards;
  std::map<std::pair<ActorId, ActorId>, std::set<ActorId>> gateways_of_flow;
  std::map<MessageId, ActorId> via;
  std::size_t inbound = 0, outbound = 0;
  for (const TraceRecord& e : sink.events) {
    if (e.kind == TraceRecord::kSend) origin[e.msg] = e.actor, first_to[e.msg] = e.to;
    if (e.kind == TraceRecord::kForward) {
      ++forwards[e.msg];
      via[e.msg] = e.actor;
      EXPECT_EQ(sink.groups[e.actor], ActorGroup::kGateway);
    }
    if (e.kind != TraceRecord::kRecv) continue;
    const ActorGroup from = sink.groups[origin[e.msg]], to = sink.groups[e.actor];
    if (from == ActorGroup::kOut && to == ActorGroup::kIn) {
      ++inbound;
      ASSERT_EQ(forwards[e.msg], 1) << "m" << e.msg;
      gateways_of_flow[{origin[e.msg], e.actor}].insert(via[e.msg]);
    } else {
      ++outbound;
      EXPECT_EQ(forwards[e.msg], 0) << "m" << e.msg << " passed a gateway";
      EXPECT_EQ(first_to[e.msg], e.actor);  // direct
    }
  }
  EXPECT_GT(inbound, 500u);
  EXPECT_GT(outbound, 500u);
  std::set<ActorId> used;
  for (const auto& [flow, gws] : gateways_of_flow) {
    EXPECT_EQ(gws.size(), 1u);
    used.insert(*gws.begin());
  }
  EXPECT_GT(used.size(), 1u);  // flows spread over the gateways
}

// MessageRef::place's promise to sinks: one place for every hop of a
// message, and no two messages in flight at once at the same place (a lost
// message's place is reused: only received messages are compared). Returns
// how many received messages reused a place.
std::size_t CheckMessagePlaces(const std::vector<TraceRecord>& events) {
  std::map<MessageId, std::uint32_t> place_of;
  std::map<MessageId, std::size_t> sent_at;
  std::map<std::uint32_t, std::pair<std::size_t, MessageId>> latest_received_at;  // place -> recv
  std::size_t reused = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const TraceRecord& e = events[i];
    if (e.kind == TraceRecord::kSend) {
      place_of[e.msg] = e.place;
      sent_at[e.msg] = i;
    } else if (e.kind == TraceRecord::kForward || e.kind == TraceRecord::kRecv) {
      EXPECT_EQ(e.place, place_of.at(e.msg)) << "m" << e.msg;
    }
    if (e.kind != TraceRecord::kRecv) continue;
    // The last received message at this place was received before this
    // one was sent.
    auto it = latest_received_at.find(e.place);
    if (it != latest_received_at.end()) {
      ++reused;
      EXPECT_LT(it->second.first, sent_at.at(e.msg))
          << "m" << it->second.second << " and m" << e.msg << " share place " << e.place;
    }
    latest_received_at[e.place] = {i, e.msg};
  }
  return reused;
}

TEST(Engine, MessagePlacesAreStablePerMessageAndDistinctInFlight) {
  ScenarioOverrides o;
  o.sets = {"channels.default.loss=0.1"};
  auto run = RunYaml(kCloudRpc, nullptr, o);
  EXPECT_GT(run->stats().gateway_forwards, 500u);
  EXPECT_GT(run->stats().app_lost, 100u);
  EXPECT_GT(CheckMessagePlaces(run->sink.events), run->stats().app_delivered / 2);
}

// The same with messages held at gateways (the blocking protocol), queued
// for a gateway's service, and control messages received at gateways and
// the controller.
TEST(Engine, MessagePlacesHoldThroughHoldsServiceQueuesAndControl) {
  auto run = RunYaml(R"(
seed: 5
run: {duration: 2ms}
topology: {kind: cloud, backends: 6, clients: 4, externals: 2, gateways: 4}
channels: {default: {latency: {dist: exponential, mean: 4us, shift: 2us}, loss: 0.02}}
service: {gateway: {dist: exponential, mean: 1us}}
workload: {kind: rpc, request_interval: {dist: exponential, mean: 4us}, p_external: 0.6}
protocol: {kind: blocking, snapshots: {start: 50us, rate_hz: 40000}}
)");
  EXPECT_GT(run->stats().held_max, 0u);
  EXPECT_GT(run->stats().control_delivered, 100u);
  EXPECT_GT(CheckMessagePlaces(run->sink.events), run->stats().app_delivered / 2);
}

TEST(Engine, DirectInboundRoutingBypassesGateways) {
  ScenarioOverrides o;
  o.sets = {"routing.inbound=direct"};
  auto run = RunYaml(kCloudRpc, nullptr, o);
  EXPECT_EQ(run->stats().gateway_forwards, 0u);
  EXPECT_GT(run->stats().app_delivered, 500u);
}

TEST(Engine, LossDropsTheConfiguredFraction) {
  ScenarioOverrides o;
  o.sets = {"channels.default.loss=0.2", "routing.inbound=direct"};
  auto run = RunYaml(kCloudRpc, nullptr, o);
  const auto& st = run->stats();
  const double frac = static_cast<double>(st.app_lost) / st.app_sent;
  EXPECT_NEAR(frac, 0.2, 0.02);
  EXPECT_GT(st.app_sent, 2000u);
}

const char* kTokens = R"(
seed: 3
run: {duration: 2ms}
topology: {kind: random, processes: 12, degree: 4}
channels: {default: {latency: {dist: exponential, mean: 5us}, fifo: false}}
workload: {kind: tokens, tokens: 7, hold: {dist: exponential, mean: 2us}}
)";

// The tokens workload keeps up to 2 peers inline with the token count and
// looks larger peer lists up in a table: a ring takes the first path, a
// complete graph of 12 (11 peers) the second, a random graph of mean degree
// 4 both.
struct TokensGraph {
  const char* topology;
  bool inline_only, table_only;
};
class TokensOnGraphs : public ::testing::TestWithParam<TokensGraph> {};

TEST_P(TokensOnGraphs, TokensAreConservedAndReachEveryPeer) {
  ScenarioOverrides o;
  o.sets = {std::string("topology=") + GetParam().topology};
  auto run = RunYaml(kTokens, nullptr, o);
  const auto& sink = run->sink;
  const World& world = run->engine->world();
  // Replay: tokens start round-robin over in-group processes.
  std::vector<std::int64_t> held(sink.names.size(), 0);
  for (int i = 0; i < 7; ++i) ++held[i % 12];
  std::set<MessageId> in_flight;
  std::set<std::pair<ActorId, ActorId>> passes;  // (from, to) seen
  for (const TraceRecord& e : sink.events) {
    if (e.kind == TraceRecord::kSend) {
      ASSERT_GT(held[e.actor], 0) << "process sent a token it did not hold";
      const auto peers = world.Neighbours(e.actor);
      ASSERT_TRUE(std::binary_search(peers.begin(), peers.end(), e.to)) << "passed to a non-peer";
      --held[e.actor];
      in_flight.insert(e.msg);
      passes.emplace(e.actor, e.to);
    } else if (e.kind == TraceRecord::kRecv) {
      ++held[e.actor];
      in_flight.erase(e.msg);
    }
    std::int64_t total = static_cast<std::int64_t>(in_flight.size());
    for (auto h : held) total += h;
    ASSERT_EQ(total, 7);
  }
  std::size_t edges = 0, min_degree = SIZE_MAX, max_degree = 0;
  for (ActorId a = 0; a < 12; ++a) {
    EXPECT_EQ(run->workload->LocalState(a), held[a]);
    edges += world.Neighbours(a).size();
    min_degree = std::min(min_degree, world.Neighbours(a).size());
    max_degree = std::max(max_degree, world.Neighbours(a).size());
  }
  // Each case takes the paths it is meant for (2 peers are kept inline).
  EXPECT_EQ(max_degree <= 2, GetParam().inline_only);
  EXPECT_EQ(min_degree > 2, GetParam().table_only);
  EXPECT_GT(sink.events.size(), 1000u);
  EXPECT_EQ(passes.size(), edges) << "uniform choice passes along every directed edge";
}

INSTANTIATE_TEST_SUITE_P(
    Engine, TokensOnGraphs,
    ::testing::Values(TokensGraph{"{kind: ring, processes: 12}", true, false},
                      TokensGraph{"{kind: random, processes: 12, degree: 4}", false, false},
                      TokensGraph{"{kind: complete, processes: 12}", false, true}));

// Sums the values of application messages in flight (sent, not yet arrived).
class ValueInFlight : public Protocol {
 public:
  std::string_view Name() const override { return "value-in-flight"; }
  void OnSend(Context&, ActorId, Message& m) override { in_flight += m.value; }
  void OnArrival(Context&, ActorId, Message& m) override {
    if (m.kind == MessageKind::kApp) in_flight -= m.value;
  }
  std::int64_t in_flight = 0;
};

TEST(Engine, BankConservesMoney) {
  const char* yaml = R"(
run: {duration: 3ms}
topology: {kind: complete, processes: 6}
workload: {kind: bank, initial_balance: 500, max_amount: 80, interval: {dist: exponential, mean: 3us}}
)";
  auto tracker = std::make_unique<ValueInFlight>();
  ValueInFlight* t = tracker.get();
  auto run = RunYaml(yaml, std::move(tracker));
  std::int64_t sum = 0;
  for (ActorId a = 0; a < 6; ++a) {
    EXPECT_GE(run->workload->LocalState(a), 0);
    sum += run->workload->LocalState(a);
  }
  EXPECT_EQ(sum + t->in_flight, 3000);
  EXPECT_EQ(run->workload->ConservedTotal(), 3000);
  EXPECT_GT(run->stats().app_delivered, 1000u);
  EXPECT_NE(sum, 3000);  // money really was in flight at the end (sanity)
}

TEST(Engine, StopsAtEventLimit) {
  ScenarioOverrides o;
  o.sets = {"run.max_events=1234"};
  auto run = RunYaml(kCloudRpc, nullptr, o);
  EXPECT_EQ(run->stats().events, 1234u);
  EXPECT_EQ(run->stats().reason, StopReason::kEventLimit);
}

TEST(Engine, StopsAtTimeLimit) {
  auto run = RunYaml(kCloudRpc);
  EXPECT_EQ(run->stats().reason, StopReason::kTimeLimit);
  for (const TraceRecord& e : run->sink.events) {
    ASSERT_LE(e.t.ns(), 5'000'000);
  }
  EXPECT_LE(run->stats().end_time.ns(), 5'000'000);
}

TEST(Engine, StopsWhenIdle) {
  ScenarioOverrides o;
  o.sets = {"workload.tokens=0"};
  auto run = RunYaml(kTokens, nullptr, o);
  EXPECT_EQ(run->stats().reason, StopReason::kIdle);
  EXPECT_EQ(run->stats().events, 0u);
}

TEST(Engine, GatewayServiceTimeQueuesMessages) {
  // A gateway that needs 20 us per message while clients send every ~10 us
  // in total: the queue makes inbound latency grow well beyond the links'.
  ScenarioOverrides fast, slow;
  fast.sets = {"topology.gateways=1"};
  slow.sets = {"topology.gateways=1", "service.gateway=20us"};
  auto a = RunYaml(kCloudRpc, nullptr, fast);
  auto b = RunYaml(kCloudRpc, nullptr, slow);
  EXPECT_GT(b->stats().app_latency.Mean(), a->stats().app_latency.Mean() * 3);
}

}  // namespace
}  // namespace snapsim

namespace snapsim {
namespace {

// Every resource limit stops the run cleanly, says which limit it was, and
// leaves results that cover the run so far.
TEST(EngineLimits, EachLimitStopsTheRunCleanly) {
  const char* yaml = R"(
run: {duration: 5ms}
topology: {kind: cloud, backends: 6, clients: 3, externals: 2, gateways: 3}
workload: {kind: rpc, request_interval: {dist: exponential, mean: 2us}}
protocol: {kind: blocking, snapshots: {start: 10us, interval: 5us}}
)";
  struct Case {
    std::string set;
    std::string limit;
  };
  const Case cases[] = {{"limits.pending_events=30", "pending_events"},
                        {"limits.messages_in_flight=20", "messages_in_flight"},
                        {"limits.held_messages=3", "held_messages"},
                        {"limits.snapshots=5", "snapshots"},
                        {"limits.trace_bytes=200000", "trace_bytes"}};
  for (const Case& c : cases) {
    ScenarioOverrides o;
    o.sets = {c.set};
    Scenario s = testing::MustLoad(yaml, o);
    RunOptions opt;
    opt.progress = false;
    opt.trace_path = (std::filesystem::temp_directory_path() / "snapsim_limit.jsonl").string();
    RunOutput out = RunScenario(s, opt);
    EXPECT_TRUE(out.error.empty()) << out.error;
    EXPECT_EQ(out.stats.reason, StopReason::kResourceLimit) << c.set;
    EXPECT_EQ(std::string(out.stats.limit), c.limit) << c.set;
    EXPECT_LT(out.stats.end_time.ns(), 5'000'000) << c.set;
    EXPECT_TRUE(std::filesystem::exists(opt.trace_path))
        << c.set;  // written so far, complete lines
    std::filesystem::remove(opt.trace_path);
    EXPECT_TRUE(out.check.has_value());
  }
}

TEST(EngineLimits, DefaultsDoNotTriggerOnOrdinaryRuns) {
  auto run = RunYaml(kCloudRpc);
  EXPECT_EQ(run->stats().reason, StopReason::kTimeLimit);
}

}  // namespace
}  // namespace snapsim
