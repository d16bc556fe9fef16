// Every malformed-trace case: exit code 2 and "FILE:LINE: what" on err.
#include <gtest/gtest.h>

#include <sstream>

#include "checker/check_command.h"
#include "test_util.h"

namespace snapsim::checker {
namespace {

struct Case {
  const char* file;
  int line;
  const char* what;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.file; }

class CheckerMalformed : public ::testing::TestWithParam<Case> {};

TEST_P(CheckerMalformed, ReportsLineAndExitsTwo) {
  const Case& c = GetParam();
  std::ostringstream out, err;
  const std::string path = testing::DataPath(c.file);
  EXPECT_EQ(RunCheckCommand(path, false, out, err), 2);
  const std::string prefix = path + ":" + std::to_string(c.line) + ": ";
  EXPECT_EQ(err.str().rfind(prefix, 0), 0u) << err.str();
  EXPECT_NE(err.str().find(c.what), std::string::npos) << err.str();
  EXPECT_TRUE(out.str().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Checker, CheckerMalformed,
    ::testing::Values(Case{"bad_json.jsonl", 4, "invalid JSON"},
                      Case{"not_object.jsonl", 4, "must be a JSON object"},
                      Case{"missing_field.jsonl", 4, "missing field \"msg\""},
                      Case{"wrong_type.jsonl", 4, "field \"t\" must be an integer"},
                      Case{"wrong_type_msg.jsonl", 4, "field \"msg\" must be a string"},
                      Case{"unknown_type.jsonl", 4, "unknown type \"teleport\""},
                      Case{"bad_group.jsonl", 1, "unknown group \"inside\""},
                      Case{"unknown_actor.jsonl", 5, "unknown actor \"p7\""},
                      Case{"actor_after_use.jsonl", 2, "unknown actor \"p1\""},
                      Case{"recv_without_send.jsonl", 5, "recv of \"m1\" without a send"},
                      Case{"forward_without_send.jsonl", 4, "forward of \"m1\" without a send"},
                      Case{"duplicate_send.jsonl", 5, "\"m1\" sent twice (first at line 4)"},
                      Case{"double_recv.jsonl", 6, "\"m1\" received twice (first at line 5)"},
                      Case{"cycle.jsonl", 4, "happens-before has a cycle"},
                      Case{"double_snapshot.jsonl", 6, "\"p0\" takes snapshot 1 twice"},
                      Case{"snapshot_not_in_group.jsonl", 4, "not an in-group process"},
                      Case{"wrong_hop.jsonl", 5, "its previous hop sent it to \"g0\""},
                      Case{"channel_twice.jsonl", 4, "channel p0->p1 declared twice"},
                      Case{"channel_twice_out_of_order.jsonl", 8, "channel p0->p1 declared twice"},
                      Case{"unfinished_after_verdict.jsonl", 4,
                           "unfinished record for snapshot 1, which already has a verdict"},
                      Case{"second_cut_short.jsonl", 4, "second cut_short record for snapshot 1"},
                      Case{
                          "verdict_after_unfinished.jsonl", 4,
                          "second verdict for snapshot 1, which already has an unfinished record"}),
    [](const ::testing::TestParamInfo<Case>& info) {
      std::string name = info.param.file;
      return name.substr(0, name.find('.'));
    });

}  // namespace
}  // namespace snapsim::checker
