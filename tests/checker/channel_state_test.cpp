// The channel-state check: missing, extra, order on FIFO channels only, a
// channel left out, and "n/a" without channel_state records.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "checker/channel_compare.h"
#include "checker/online_checker.h"
#include "random_trace.h"
#include "test_util.h"

namespace snapsim::checker {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(CheckerChannelState, GoldenTraceNamesMissingExtraAndOrder) {
  const CheckReport r = testing::CheckText(ReadFile(testing::DataPath("channel_states.jsonl")));
  ASSERT_EQ(r.snapshots.size(), 4u);
  for (const auto& s : r.snapshots) {
    EXPECT_TRUE(s.consistent) << s.id;
  }

  EXPECT_EQ(r.snapshots[0].channel_state_ok, false);
  EXPECT_EQ(r.snapshots[0].channel_errors,
            std::vector<std::string>{"p0->p1: order a2, a1 (expected a1, a2)"});
  EXPECT_EQ(r.snapshots[1].channel_state_ok, false);
  EXPECT_EQ(r.snapshots[1].channel_errors,
            std::vector<std::string>{"p0->p1: missing a2; extra zz"});
  // Reordered on the non-FIFO channel p1->p0: fine.
  EXPECT_EQ(r.snapshots[2].channel_state_ok, true);
  EXPECT_TRUE(r.snapshots[2].channel_errors.empty());
  EXPECT_EQ(r.snapshots[3].channel_state_ok, false);
  EXPECT_EQ(r.snapshots[3].channel_errors,
            std::vector<std::string>{"p1->p0: no channel state recorded; missing b1, b2"});
  EXPECT_EQ(r.counters.channel_state_wrong, 3u);
}

// A run that ends while snapshots are still being recorded: in a snapshot
// with a cut_short record a channel without a record is not judged (its
// state may have been on the way), but a record that exists still is; both
// checkers agree.
TEST(CheckerChannelState, CutShortSnapshotJudgesOnlyRecordedChannels) {
  std::string text = ReadFile(testing::DataPath("channel_states.jsonl")) +
                     "{\"type\":\"cut_short\",\"snapshot\":4}\n"
                     "{\"type\":\"cut_short\",\"snapshot\":2}\n";
  // Message names as the online checker gives them (m<id>), so that both
  // reports can be compared whole.
  for (const auto& [from, to] :
       {std::pair{"a1", "m1"}, {"a2", "m2"}, {"b1", "m3"}, {"b2", "m4"}, {"zz", "m9"}})
    for (std::size_t at; (at = text.find(std::string("\"") + from + "\"")) != std::string::npos;)
      text.replace(at + 1, 2, to);
  const CheckReport r = testing::CheckText(text);
  ASSERT_EQ(r.snapshots.size(), 4u);
  EXPECT_FALSE(r.snapshots[0].cut_short);
  EXPECT_TRUE(r.snapshots[1].cut_short);
  EXPECT_TRUE(r.snapshots[3].cut_short);
  EXPECT_EQ(r.snapshots[1].channel_errors,
            std::vector<std::string>{"p0->p1: missing m2; extra m9"});
  EXPECT_EQ(r.snapshots[3].channel_state_ok, true);
  EXPECT_TRUE(r.snapshots[3].channel_errors.empty());
  EXPECT_EQ(r.counters.channel_state_wrong, 2u);
  EXPECT_EQ(r.counters.cut_short, 2u);

  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  OnlineChecker online;
  testing::Replay(lines, online);
  EXPECT_EQ(testing::ReportText(online.TakeReport()), testing::ReportText(r));
}

TEST(CheckerChannelState, NotApplicableWithoutRecords) {
  const CheckReport r = testing::CheckText(ReadFile(testing::DataPath("hidden_chain.jsonl")));
  ASSERT_EQ(r.snapshots.size(), 1u);
  EXPECT_FALSE(r.snapshots[0].channel_state_ok.has_value());
}

TEST(CheckerChannelState, CompareCountsDuplicatesAndIgnoresOrderOffFifo) {
  const MessageNamer name = [](std::uint64_t k) { return "m" + std::to_string(k); };
  EXPECT_EQ(CompareChannelState({1, 2}, {1, 2}, true, name), std::nullopt);
  EXPECT_EQ(CompareChannelState({1, 2}, {2, 1}, false, name), std::nullopt);
  EXPECT_EQ(CompareChannelState({1, 2}, {2, 1}, true, name), "order m2, m1 (expected m1, m2)");
  EXPECT_EQ(CompareChannelState({1}, {1, 1}, false, name), "extra m1");
  EXPECT_EQ(CompareChannelState({1, 2, 3}, {3}, true, name), "missing m1, m2");
  EXPECT_EQ(CompareChannelState({}, {4}, true, name), "extra m4");
}

TEST(CheckerChannelState, ChannelWithAnEndWithoutCutPointIsNotJudged) {
  // p1 never takes snapshot 1: the recorded (nonsense) state of p0->p1 is not
  // judged, while p0->p2 is.
  const std::string text = R"({"type":"actor","name":"p0","group":"in"}
{"type":"actor","name":"p1","group":"in"}
{"type":"actor","name":"p2","group":"in"}
{"type":"send","actor":"p0","msg":"x","to":"p2"}
{"type":"snapshot","actor":"p0","snapshot":1}
{"type":"snapshot","actor":"p2","snapshot":1}
{"type":"recv","actor":"p2","msg":"x"}
{"type":"channel_state","snapshot":1,"from":"p0","to":"p1","msgs":["q"]}
{"type":"channel_state","snapshot":1,"from":"p0","to":"p2","msgs":["x"]}
)";
  const CheckReport r = testing::CheckText(text);
  ASSERT_EQ(r.snapshots.size(), 1u);
  EXPECT_FALSE(r.snapshots[0].complete);
  EXPECT_EQ(r.snapshots[0].processes_recorded, 2u);
  EXPECT_EQ(r.snapshots[0].channel_state_ok, true);
}

}  // namespace
}  // namespace snapsim::checker

namespace snapsim::checker {
namespace {

// A control message (a marker of an earlier snapshot) sent inside the cut and
// received outside it belongs to no channel state; an application message in
// the same position does. Checked offline and online.
const char* kControlCrossing = R"({"type":"actor","name":"p0","group":"in"}
{"type":"actor","name":"p1","group":"in"}
{"type":"channel","from":"p0","to":"p1","fifo":true}
{"type":"send","actor":"p0","msg":"c1","to":"p1","control":true}
{"type":"send","actor":"p0","msg":"a1","to":"p1"}
{"type":"snapshot","actor":"p0","snapshot":1}
{"type":"snapshot","actor":"p1","snapshot":1}
{"type":"recv","actor":"p1","msg":"c1"}
{"type":"recv","actor":"p1","msg":"a1"}
{"type":"channel_state","snapshot":1,"from":"p0","to":"p1","msgs":["a1"]}
)";

TEST(CheckerChannelState, ControlMessagesAreNeverChannelState) {
  const CheckReport r = testing::CheckText(kControlCrossing);
  ASSERT_EQ(r.snapshots.size(), 1u);
  EXPECT_EQ(r.snapshots[0].channel_state_ok, true) << r.snapshots[0].channel_errors.size();
  // The same trace with c1 as an application message: c1 is missing.
  std::string app = kControlCrossing;
  app.replace(app.find(",\"control\":true"), 15, "");
  const CheckReport r2 = testing::CheckText(app);
  EXPECT_EQ(r2.snapshots[0].channel_state_ok, false);
  EXPECT_EQ(r2.snapshots[0].channel_errors, std::vector<std::string>{"p0->p1: missing c1"});
}

TEST(CheckerChannelState, OnlineControlMessagesAreNeverChannelState) {
  for (bool control : {true, false}) {
    OnlineChecker c;
    c.Actor(0, "p0", ActorGroup::kIn);
    c.Actor(1, "p1", ActorGroup::kIn);
    c.Channel(0, 1, true);
    if (control)
      c.SendControl(SimTime(0), 0, 1, 1);
    else
      c.Send(SimTime(0), 0, 1, 1);
    c.Send(SimTime(0), 0, 2, 1);
    c.Snapshot(SimTime(1), 0, 1, 0);
    c.Snapshot(SimTime(1), 1, 1, 0);
    c.Recv(SimTime(2), 1, 1);
    c.Recv(SimTime(2), 1, 2);
    const MessageId recorded[] = {2};
    c.ChannelState(1, 0, 1, recorded);
    c.Finish();
    const CheckReport r = c.TakeReport();
    ASSERT_EQ(r.snapshots.size(), 1u);
    EXPECT_EQ(r.snapshots[0].channel_state_ok, control) << "control=" << control;
  }
}

// A second record of one channel in one snapshot is an error however the
// records are ordered: right after the first, after later snapshots were
// recorded on the channel, and after many more records; a record older than
// the channel's latest is not a repeat by itself (RecordedIds keeps the
// older intervals).
TEST(CheckerChannelState, OnlineRejectsARepeatInAnyOrder) {
  struct Call {
    SnapshotId id;
    ActorId from, to;
  };
  // Returns the 1-based index, among `calls`, of the call reported, or 0.
  const auto first_repeat = [](const std::vector<Call>& calls) -> std::size_t {
    OnlineChecker c;
    for (ActorId a = 0; a < 3; ++a) c.Actor(a, "p" + std::to_string(a), ActorGroup::kIn);
    for (ActorId a = 0; a < 3; ++a) {
      c.Channel(a, (a + 1) % 3, true);
      c.Channel((a + 1) % 3, a, true);
    }
    for (const Call& call : calls) c.ChannelState(call.id, call.from, call.to, {});
    c.Finish();
    const CheckReport r = c.TakeReport();
    if (!r.error) return 0;
    EXPECT_NE(r.error->message.find("second channel state"), std::string::npos) << r.error->message;
    return r.error->line - 9;  // 3 actors and 6 channels before
  };
  EXPECT_EQ(first_repeat({{1, 0, 1}, {1, 0, 1}}), 2u);
  EXPECT_EQ(first_repeat({{1, 0, 1}, {2, 0, 1}, {1, 0, 1}}), 3u);
  EXPECT_EQ(first_repeat({{2, 0, 1}, {1, 0, 1}, {3, 0, 1}}), 0u);
  EXPECT_EQ(first_repeat({{2, 0, 1}, {1, 0, 1}, {1, 0, 1}}), 3u);
  // Snapshot 1, created first (on p2->p1), recorded on p0->p1 after snapshot
  // 2 was: older than the channel's latest, but new (the bitset says so).
  EXPECT_EQ(first_repeat({{1, 2, 1}, {2, 0, 1}, {1, 0, 1}}), 0u);
  EXPECT_EQ(first_repeat({{1, 2, 1}, {2, 0, 1}, {1, 0, 1}, {1, 0, 1}}), 4u);
  std::vector<Call> many;
  for (SnapshotId s = 1; s <= 20; ++s) {
    many.push_back({s, 0, 1});
    many.push_back({s, 2, 1});
  }
  EXPECT_EQ(first_repeat(many), 0u);
  many.push_back({5, 2, 1});
  EXPECT_EQ(first_repeat(many), many.size());
  many.back() = {21, 2, 1};
  many.push_back({21, 2, 1});
  EXPECT_EQ(first_repeat(many), many.size());
  // Every channel of snapshot 1 (its bitset released), then more records
  // than are deferred, then a repeat of snapshot 1.
  std::vector<Call> whole;
  for (ActorId a = 0; a < 3; ++a) {
    whole.push_back({1, a, (a + 1) % 3});
    whole.push_back({1, (a + 1) % 3, a});
  }
  for (SnapshotId s = 2; s <= 7; ++s)
    for (ActorId a = 0; a < 3; ++a) whole.push_back({s, a, (a + 1) % 3});
  EXPECT_EQ(first_repeat(whole), 0u);
  whole.push_back({1, 2, 0});
  EXPECT_EQ(first_repeat(whole), whole.size());
  // Ids far apart (1024 and 2048 apart share a slot of the stream's table
  // of recent lookups) are distinct snapshots, in either order.
  EXPECT_EQ(first_repeat({{1, 0, 1}, {1025, 0, 1}, {2049, 0, 1}, {1, 2, 1}}), 0u);
  EXPECT_EQ(first_repeat({{1025, 0, 1}, {1, 0, 1}, {1025, 2, 1}, {1, 2, 1}}), 0u);
  EXPECT_EQ(first_repeat({{1, 0, 1}, {1025, 0, 1}, {1, 0, 1}}), 3u);
  EXPECT_EQ(first_repeat({{1, 0, 1}, {1025, 0, 1}, {1025, 0, 1}}), 3u);
}

// The same at a receiver with more than two channels, whose third and later
// channels always take the bitset.
TEST(CheckerChannelState, OnlineRejectsARepeatOnALaterChannel) {
  const auto repeat_at = [](const std::vector<std::pair<SnapshotId, ActorId>>& records) {
    OnlineChecker c;
    for (ActorId a = 0; a < 5; ++a) c.Actor(a, "p" + std::to_string(a), ActorGroup::kIn);
    for (ActorId a = 1; a < 5; ++a) c.Channel(a, 0, true);  // p1..p4 -> p0
    for (const auto& [id, from] : records) c.ChannelState(id, from, 0, {});
    c.Finish();
    const CheckReport r = c.TakeReport();
    return r.error ? r.error->line - 9 : 0;  // 5 actors and 4 channels before
  };
  EXPECT_EQ(repeat_at({{1, 4}, {1, 3}, {2, 4}, {1, 1}, {2, 3}}), 0u);
  EXPECT_EQ(repeat_at({{1, 4}, {1, 3}, {2, 4}, {1, 4}}), 4u);
  EXPECT_EQ(repeat_at({{1, 4}, {2, 1}, {1, 1}, {1, 3}, {1, 3}}), 5u);
}

// An empty record made just before its snapshot becomes final counts as a
// record when the snapshot is judged: the expected message is reported
// missing from it, not the record as absent.
TEST(CheckerChannelState, OnlineEmptyRecordJustBeforeFinalIsARecord) {
  OnlineChecker c;
  c.Actor(0, "p0", ActorGroup::kIn);
  c.Actor(1, "p1", ActorGroup::kIn);
  c.Channel(0, 1, true);
  c.Channel(1, 0, true);
  c.Send(SimTime(0), 0, 1, 1);
  c.Snapshot(SimTime(1), 0, 1, 0);
  c.Snapshot(SimTime(1), 1, 1, 0);
  c.ChannelState(1, 0, 1, {});  // m1 is on the way: wrong
  c.Recv(SimTime(2), 1, 1);     // snapshot 1 becomes final here
  c.ChannelState(1, 1, 0, {});
  c.Finish();
  const CheckReport r = c.TakeReport();
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(r.snapshots.size(), 1u);
  EXPECT_EQ(r.snapshots[0].channel_errors, std::vector<std::string>{"p0->p1: missing m1"});
}

// Snapshot ids at the top of their range: runs and intervals that end at the
// largest id neither wrap nor loop (review of the twentieth pass).
TEST(CheckerChannelState, OnlineIdsAtTheTopOfTheRange) {
  constexpr SnapshotId kMax = std::numeric_limits<SnapshotId>::max();
  {
    // Ranked in order from the first, so CutPass::SnapshotRun takes them.
    OnlineChecker c;
    c.Actor(0, "p0", ActorGroup::kIn);
    c.Actor(1, "p1", ActorGroup::kIn);
    c.Snapshots(SimTime(0), 0, kMax - 2, kMax, 0);
    c.Snapshots(SimTime(0), 1, kMax - 2, kMax, 0);
    c.Finish();
    const CheckReport r = c.TakeReport();
    ASSERT_FALSE(r.error) << r.error->message;
    EXPECT_EQ(r.snapshots.size(), 3u);
  }
  {
    // Two intervals that both end at the largest id: snapshot kMax, open at
    // the end (p2 never takes it), is judged once, its error reported once.
    OnlineChecker c;
    for (ActorId a = 0; a < 3; ++a) c.Actor(a, "p" + std::to_string(a), ActorGroup::kIn);
    c.Channel(0, 1, true);
    c.Channel(1, 0, true);
    for (ActorId a = 0; a < 3; ++a) c.Snapshot(SimTime(0), a, 5, 0);
    c.Snapshot(SimTime(1), 0, kMax, 0);
    c.Snapshot(SimTime(1), 1, kMax, 0);
    c.ChannelStates(kMax - 1, kMax, 1, 0, {});
    const std::vector<MessageId> extra{42};
    c.ChannelState(kMax, 0, 1, extra);
    c.Finish();
    const CheckReport r = c.TakeReport();
    ASSERT_FALSE(r.error) << r.error->message;
    const auto it = std::ranges::find(r.snapshots, kMax, &SnapshotReport::id);
    ASSERT_NE(it, r.snapshots.end());
    ASSERT_EQ(it->channel_errors.size(), 1u);
    EXPECT_NE(it->channel_errors[0].find("m42"), std::string::npos) << it->channel_errors[0];
  }
}

// A run of one non-empty state over a snapshot already judged (1) and one
// not yet final (2) is judged as one record per id: the first against what
// was awaited, the second when its snapshot becomes final.
TEST(CheckerChannelState, OnlineRunAcrossAJudgedAndAnOpenSnapshot) {
  const auto report = [](bool as_run, const std::vector<MessageId>& msgs) {
    OnlineChecker c;
    for (ActorId a = 0; a < 3; ++a) c.Actor(a, "p" + std::to_string(a), ActorGroup::kIn);
    c.Channel(0, 1, true);
    c.Channel(1, 0, true);
    c.Send(SimTime(0), 0, 1, 1);
    for (ActorId a = 0; a < 3; ++a) c.Snapshot(SimTime(1), a, 1, 0);
    c.Snapshot(SimTime(2), 0, 2, 0);
    c.Snapshot(SimTime(2), 1, 2, 0);
    c.Recv(SimTime(3), 1, 1);  // m1 crossed cuts 1 and 2; snapshot 1 is final
    if (as_run) {
      c.ChannelStates(1, 2, 0, 1, msgs);
      c.ChannelStates(1, 2, 1, 0, {});
    } else {
      for (SnapshotId id : {1, 2}) {
        c.ChannelState(id, 0, 1, msgs);
        c.ChannelState(id, 1, 0, {});
      }
    }
    c.Snapshot(SimTime(4), 2, 2, 0);  // snapshot 2 is final
    c.Finish();
    return c.TakeReport();
  };
  for (const std::vector<MessageId>& msgs :
       {std::vector<MessageId>{1}, std::vector<MessageId>{}, std::vector<MessageId>{1, 1}}) {
    const CheckReport run = report(true, msgs), per_id = report(false, msgs);
    ASSERT_FALSE(run.error) << run.error->message;
    EXPECT_EQ(testing::ReportText(run), testing::ReportText(per_id));
    ASSERT_EQ(run.snapshots.size(), 2u);
    for (const SnapshotReport& s : run.snapshots)
      EXPECT_EQ(s.channel_errors.empty(), msgs.size() == 1) << "snapshot " << s.id;
  }
}

}  // namespace
}  // namespace snapsim::checker
