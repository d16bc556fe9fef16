#include "checker/report_json.h"

namespace snapsim::checker {

const char* ChannelStateText(const SnapshotReport& s) {
  if (!s.channel_state_ok) return "n/a";
  return *s.channel_state_ok ? "ok" : "wrong";
}

nlohmann::json CountersToJson(const Counters& c) {
  return {{"initiated", c.initiated},
          {"accepted", c.accepted},
          {"rejected", c.rejected},
          {"unfinished", c.unfinished},
          {"complete", c.complete},
          {"consistent", c.consistent},
          {"inconsistent", c.inconsistent},
          {"accepted_inconsistent", c.accepted_inconsistent},
          {"false_rejections", c.false_rejections},
          {"unfinished_inconsistent", c.unfinished_inconsistent},
          {"channel_state_wrong", c.channel_state_wrong},
          {"cut_short", c.cut_short}};
}

nlohmann::json ReportToJson(const CheckReport& report) {
  nlohmann::json snaps = nlohmann::json::array();
  for (const SnapshotReport& s : report.snapshots) {
    snaps.push_back({{"id", s.id},
                     {"processes_recorded", s.processes_recorded},
                     {"complete", s.complete},
                     {"consistent", s.consistent},
                     {"accepted", s.accepted},
                     {"has_verdict", s.has_verdict},
                     {"unfinished", s.unfinished},
                     {"cut_short", s.cut_short},
                     {"class", Classify(s)},
                     {"channel_state", ChannelStateText(s)},
                     {"witness", s.witness},
                     {"channel_errors", s.channel_errors}});
  }
  return {{"in_group_processes", report.in_group_processes},
          {"snapshots", std::move(snaps)},
          {"counters", CountersToJson(report.counters)}};
}

}  // namespace snapsim::checker
