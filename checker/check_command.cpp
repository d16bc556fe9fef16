#include "checker/check_command.h"

#include <fmt/format.h>

#include <variant>

#include "checker/offline_checker.h"
#include "checker/report_json.h"
#include "checker/trace_file.h"

namespace snapsim::checker {
namespace {

const char* YesNo(bool b) { return b ? "yes" : "no"; }

void PrintTable(const CheckReport& r, std::ostream& out) {
  out << fmt::format("{:>10}  {:>9}  {:>8}  {:>10}  {:>8}  {:>13}  {}\n", "snapshot", "recorded",
                     "complete", "consistent", "accepted", "channel_state", "class");
  for (const SnapshotReport& s : r.snapshots) {
    out << fmt::format("{:>10}  {:>9}  {:>8}  {:>10}  {:>8}  {:>13}  {}\n", s.id,
                       fmt::format("{}/{}", s.processes_recorded, r.in_group_processes),
                       YesNo(s.complete), YesNo(s.consistent),
                       s.unfinished    ? "-"
                       : s.has_verdict ? YesNo(s.accepted)
                                       : "yes*",
                       ChannelStateText(s), Classify(s));
    if (!s.consistent) {
      out << "            witness: "
          << (s.witness.empty() ? std::string("(none found)")
                                : fmt::format("{}", fmt::join(s.witness, " -> ")))
          << "\n";
    }
    for (const std::string& e : s.channel_errors) out << "            channel " << e << "\n";
  }
  const Counters& c = r.counters;
  out << "(* = no verdict in the trace: counted as accepted; - = unfinished when the run ended)\n";
  out << fmt::format(
      "initiated {}  accepted {}  rejected {}  unfinished {}  complete {}  consistent {}  "
      "inconsistent {}  accepted_inconsistent {}  false_rejections {}  channel_state_wrong {}  "
      "cut_short {}\n",
      c.initiated, c.accepted, c.rejected, c.unfinished, c.complete, c.consistent, c.inconsistent,
      c.accepted_inconsistent, c.false_rejections, c.channel_state_wrong, c.cut_short);
  if (c.accepted_inconsistent > 0) {
    out << fmt::format("VIOLATION: {} accepted snapshot(s) inconsistent\n",
                       c.accepted_inconsistent);
  }
  if (c.cut_short > 0) {
    out << fmt::format(
        "note: the run ended before {} snapshot(s) were fully recorded; their channels with no "
        "record are not judged\n",
        c.cut_short);
  }
  if (c.unfinished_inconsistent > 0) {
    out << fmt::format(
        "note: {} unfinished snapshot(s) already inconsistent (not accepted, so no violation)\n",
        c.unfinished_inconsistent);
  }
}

}  // namespace

int RunCheckCommand(const std::string& trace_path, bool json, std::ostream& out,
                    std::ostream& err) {
  auto print_error = [&](const TraceError& e) {
    if (e.line == 0) {
      err << fmt::format("{}: {}\n", trace_path, e.message);
    } else {
      err << fmt::format("{}:{}: {}\n", trace_path, e.line, e.message);
    }
    return 2;
  };
  auto read = ReadTraceFile(trace_path);
  if (auto* e = std::get_if<TraceError>(&read)) return print_error(*e);
  auto checked = CheckTrace(std::get<CompactTrace>(read), /*witnesses=*/true);
  if (auto* e = std::get_if<TraceError>(&checked)) return print_error(*e);
  const CheckReport& report = std::get<CheckReport>(checked);
  if (json) {
    out << ReportToJson(report).dump(2) << "\n";
  } else {
    PrintTable(report, out);
  }
  return report.counters.accepted_inconsistent > 0 ? 1 : 0;
}

}  // namespace snapsim::checker
