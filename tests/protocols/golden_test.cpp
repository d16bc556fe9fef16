// Golden cases: tiny scripted runs whose recorded states and channel states
// are worked out by hand in the comments (constant 10 us latencies).
#include <gtest/gtest.h>

#include <map>

#include "checker/online_checker.h"
#include "tests/support/run_helpers.h"

namespace snapsim {
namespace {

using testing::TraceRecord;

struct Golden {
  std::map<std::string, std::int64_t> states;  // process -> recorded state
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> channels;  // non-empty
};

// Runs `yaml` and returns what snapshot 1 recorded, by actor names; message
// ids are replaced by "<sender>:<value>" so expectations read naturally.
Golden Record(const std::string& yaml, checker::CheckReport* report) {
  auto proto_free = testing::MustLoad(yaml);
  auto workload = MakeWorkload(proto_free.workload);
  auto protocol = MakeProtocol(proto_free.protocol);
  Engine engine(proto_free.world, *protocol, *workload);
  testing::RecordingSink sink;
  checker::OnlineChecker online;
  engine.AddSink(&sink);
  engine.AddSink(&online);
  engine.Run(proto_free.stop);
  *report = online.TakeReport();
  std::map<MessageId, std::string> label;
  for (const TraceRecord& e : sink.events)
    if (e.kind == TraceRecord::kSend) label[e.msg] = sink.names[e.actor];
  Golden g;
  for (const TraceRecord& e : sink.events) {
    if (e.snapshot != 1) continue;
    if (e.kind == TraceRecord::kSnapshot) g.states[sink.names[e.actor]] = e.state;
    if (e.kind == TraceRecord::kChannelState && !e.msgs.empty())
      for (MessageId m : e.msgs)
        g.channels[{sink.names[e.actor], sink.names[e.to]}].push_back(label[m]);
  }
  return g;
}

void ExpectCheckerHappy(const checker::CheckReport& r) {
  ASSERT_EQ(r.snapshots.size(), 1u);
  EXPECT_TRUE(r.snapshots[0].complete);
  EXPECT_TRUE(r.snapshots[0].consistent);
  ASSERT_TRUE(r.snapshots[0].channel_state_ok.has_value());
  EXPECT_TRUE(*r.snapshots[0].channel_state_ok);
}

// Two processes, Chandy-Lamport. p0 holds the token and sends it at 5 us
// (arrives 15 us). p1 initiates at 8 us: records 0 and sends a marker (arrives
// at p0 at 18 us). p0 records 0 on that marker and sends its marker (arrives
// 28 us). p1 recorded p0 -> p1 from 8 us to 28 us: the token, arrived at 15 us.
TEST(Golden, TwoProcessesTokenInFlight) {
  checker::CheckReport report;
  Golden g = Record(R"(
topology: {kind: complete, processes: 2}
channels: {default: {latency: 10us}}
workload: {kind: script, initial: [1, 0], sends: [{at: 5us, from: p0, to: p1}]}
protocol: {kind: chandy-lamport, snapshots: {times: [8us], initiators: [p1]}}
)",
                    &report);
  EXPECT_EQ(g.states, (std::map<std::string, std::int64_t>{{"p0", 0}, {"p1", 0}}));
  using Ch = decltype(g.channels);
  EXPECT_EQ(g.channels, (Ch{{{"p0", "p1"}, {"p0"}}}));
  ExpectCheckerHappy(report);
}

// Three processes, complete graph, Chandy-Lamport. p0 holds 3 tokens, sends
// one to p1 at 1 us (arrives 11 us) and one to p2 at 2 us (arrives 12 us).
// p1 initiates at 5 us: records 0; markers reach p0 and p2 at 15 us, where p0
// records 1 and p2 records 1 (its token arrived at 12 us). p1 records
// p0 -> p1 until p0's marker at 25 us: the token that arrived at 11 us.
// Total 1 + 0 + 1 + 1 in flight = 3.
TEST(Golden, ThreeProcessesChandyLamport) {
  checker::CheckReport report;
  Golden g = Record(R"(
topology: {kind: complete, processes: 3}
channels: {default: {latency: 10us}}
workload:
  kind: script
  initial: [3, 0, 0]
  sends: [{at: 1us, from: p0, to: p1}, {at: 2us, from: p0, to: p2}]
protocol: {kind: chandy-lamport, snapshots: {times: [5us], initiators: [p1]}}
)",
                    &report);
  EXPECT_EQ(g.states, (std::map<std::string, std::int64_t>{{"p0", 1}, {"p1", 0}, {"p2", 1}}));
  using Ch = decltype(g.channels);
  EXPECT_EQ(g.channels, (Ch{{{"p0", "p1"}, {"p0"}}}));
  ExpectCheckerHappy(report);
}

// Eight processes, a star around p0, Lai-Yang. Everyone starts with 10. At
// 1 us each p_i (i = 1..7) sends i to p0 (arrives 11 us). p0 initiates at 5 us
// (records 10) and reports to every p_i (arrives 15 us, tagged 1): each p_i
// records 10 - i before delivering it. Its transfer was tagged 0 and reached
// p0 after p0's cut: it is p_i -> p0's channel state. p_i's report (count 1,
// arrives 25 us) closes that channel. Total 10 + sum(10 - i) + sum(i) = 80.
TEST(Golden, EightProcessesLaiYangStar) {
  std::string sends;
  for (int i = 1; i <= 7; ++i)
    sends +=
        "{at: 1us, from: p" + std::to_string(i) + ", to: p0, value: " + std::to_string(i) + "}, ";
  checker::CheckReport report;
  Golden g = Record(R"(
topology: {kind: star, processes: 8}
channels: {default: {latency: 10us, fifo: false}}
workload: {kind: script, initial: [10, 10, 10, 10, 10, 10, 10, 10], sends: [)" +
                        sends + R"(]}
protocol: {kind: lai-yang, snapshots: {times: [5us], initiators: [p0]}}
)",
                    &report);
  std::map<std::string, std::int64_t> states{{"p0", 10}};
  using Ch = decltype(g.channels);
  Ch channels;
  for (int i = 1; i <= 7; ++i) {
    states["p" + std::to_string(i)] = 10 - i;
    channels[{"p" + std::to_string(i), "p0"}] = {"p" + std::to_string(i)};
  }
  EXPECT_EQ(g.states, states);
  EXPECT_EQ(g.channels, channels);
  ExpectCheckerHappy(report);
}

}  // namespace
}  // namespace snapsim
