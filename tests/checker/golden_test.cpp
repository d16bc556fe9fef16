// Golden traces with known verdicts and witnesses, through RunCheckCommand.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "checker/check_command.h"
#include "test_util.h"

namespace snapsim::checker {
namespace {

using testing::DataPath;

struct CommandRun {
  int code;
  std::string out, err;
};

CommandRun Check(const std::string& file, bool json) {
  std::ostringstream out, err;
  const int code = RunCheckCommand(DataPath(file), json, out, err);
  return {code, out.str(), err.str()};
}

TEST(CheckerGolden, ConsistentTraceExitsZero) {
  const CommandRun r = Check("consistent.jsonl", true);
  EXPECT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["snapshots"].size(), 1u);
  const auto& s = j["snapshots"][0];
  EXPECT_EQ(s["id"], 1);
  EXPECT_EQ(s["processes_recorded"], 2);
  EXPECT_EQ(s["complete"], true);
  EXPECT_EQ(s["consistent"], true);
  EXPECT_EQ(s["accepted"], true);
  EXPECT_EQ(s["channel_state"], "ok");
  EXPECT_EQ(s["class"], "ok");
  EXPECT_TRUE(s["witness"].empty());
  EXPECT_EQ(j["counters"]["initiated"], 1);
  EXPECT_EQ(j["counters"]["accepted_inconsistent"], 0);
}

TEST(CheckerGolden, HiddenChainThroughOutGroupIsFoundWithItsWitness) {
  const CommandRun r = Check("hidden_chain.jsonl", true);
  EXPECT_EQ(r.code, 1) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["snapshots"].size(), 1u);
  const auto& s = j["snapshots"][0];
  EXPECT_EQ(s["id"], 4);
  EXPECT_EQ(s["consistent"], false);
  EXPECT_EQ(s["complete"], true);
  EXPECT_EQ(s["has_verdict"], false);
  EXPECT_EQ(s["accepted"], true);  // no verdict counts as accepted
  EXPECT_EQ(s["class"], "VIOLATION");
  EXPECT_EQ(s["channel_state"], "n/a");
  const std::vector<std::string> expected = {"p1 snapshot#4",  "p1 send m9",
                                             "o2 recv m9",     "o2 send m10",
                                             "g0 forward m10", "p3 recv m10 (inside the cut)"};
  EXPECT_EQ(s["witness"].get<std::vector<std::string>>(), expected);
  EXPECT_EQ(j["counters"]["accepted_inconsistent"], 1);
}

TEST(CheckerGolden, TableShowsWitnessAndCounters) {
  const CommandRun r = Check("hidden_chain.jsonl", false);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("witness: p1 snapshot#4 -> p1 send m9 -> o2 recv m9 -> o2 send m10 -> "
                       "g0 forward m10 -> p3 recv m10 (inside the cut)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("accepted_inconsistent 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("VIOLATION"), std::string::npos) << r.out;
  EXPECT_TRUE(r.err.empty());
}

TEST(CheckerGolden, ClassificationAgainstVerdicts) {
  const CommandRun r = Check("classification.jsonl", true);
  EXPECT_EQ(r.code, 0) << r.err;  // the inconsistent one was rejected
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["snapshots"].size(), 3u);
  EXPECT_EQ(j["snapshots"][0]["class"], "ok");
  EXPECT_EQ(j["snapshots"][1]["class"], "correct rejection");
  EXPECT_EQ(
      j["snapshots"][1]["witness"].get<std::vector<std::string>>(),
      (std::vector<std::string>{"p0 snapshot#2", "p0 send m5", "p1 recv m5 (inside the cut)"}));
  EXPECT_EQ(j["snapshots"][2]["class"], "false rejection");
  const auto& c = j["counters"];
  EXPECT_EQ(c["initiated"], 3);
  EXPECT_EQ(c["accepted"], 1);
  EXPECT_EQ(c["rejected"], 2);
  EXPECT_EQ(c["complete"], 3);
  EXPECT_EQ(c["consistent"], 2);
  EXPECT_EQ(c["inconsistent"], 1);
  EXPECT_EQ(c["accepted_inconsistent"], 0);
  EXPECT_EQ(c["false_rejections"], 1);
  EXPECT_EQ(c["channel_state_wrong"], 0);
}

// Snapshots the run ended before the protocol finished: judged for their cut
// (2 is already inconsistent, and its recorded channel state is wrong), but
// neither accepted nor rejected nor counted as having a wrong channel state.
TEST(CheckerGolden, UnfinishedSnapshotsCountAsNeitherAcceptedNorRejected) {
  const CommandRun r = Check("unfinished.jsonl", true);
  EXPECT_EQ(r.code, 0) << r.err;  // an unfinished inconsistent snapshot is no violation
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["snapshots"].size(), 3u);
  EXPECT_EQ(j["snapshots"][0]["class"], "ok");
  EXPECT_EQ(j["snapshots"][1]["class"], "unfinished");
  EXPECT_EQ(j["snapshots"][1]["unfinished"], true);
  EXPECT_EQ(j["snapshots"][1]["accepted"], false);
  EXPECT_EQ(j["snapshots"][1]["has_verdict"], false);
  EXPECT_EQ(j["snapshots"][1]["consistent"], false);
  EXPECT_FALSE(j["snapshots"][1]["witness"].empty());
  EXPECT_EQ(j["snapshots"][1]["channel_state"], "wrong");
  EXPECT_EQ(j["snapshots"][2]["class"], "unfinished");
  EXPECT_EQ(j["snapshots"][2]["complete"], false);
  const auto& c = j["counters"];
  EXPECT_EQ(c["initiated"], 3);
  EXPECT_EQ(c["accepted"], 1);
  EXPECT_EQ(c["rejected"], 0);
  EXPECT_EQ(c["unfinished"], 2);
  EXPECT_EQ(c["inconsistent"], 1);
  EXPECT_EQ(c["accepted_inconsistent"], 0);
  EXPECT_EQ(c["false_rejections"], 0);
  EXPECT_EQ(c["channel_state_wrong"], 0);
  EXPECT_EQ(c["unfinished_inconsistent"], 1);

  const CommandRun table = Check("unfinished.jsonl", false);
  EXPECT_NE(table.out.find("unfinished 2"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("note: 1 unfinished snapshot(s) already inconsistent"),
            std::string::npos)
      << table.out;
}

TEST(CheckerGolden, OutputIsDeterministic) {
  EXPECT_EQ(Check("channel_states.jsonl", false).out, Check("channel_states.jsonl", false).out);
  EXPECT_EQ(Check("hidden_chain.jsonl", true).out, Check("hidden_chain.jsonl", true).out);
}

TEST(CheckerGolden, UnreadableFileExitsTwo) {
  const CommandRun r = Check("no_such_file.jsonl", false);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no_such_file.jsonl: cannot open"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

}  // namespace
}  // namespace snapsim::checker
