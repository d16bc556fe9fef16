// Helpers shared by the checker tests.
#pragma once

#include <sstream>
#include <string>
#include <variant>

#include "checker/offline_checker.h"
#include "checker/report.h"
#include "checker/report_json.h"
#include "checker/trace_file.h"

namespace snapsim::checker::testing {

inline std::string DataPath(const std::string& file) {
  return std::string(SNAPSIM_CHECKER_TEST_DATA) + "/" + file;
}

// Reads and checks JSON Lines text; aborts the test on malformed input.
inline CheckReport CheckText(const std::string& text, bool witnesses = true) {
  std::istringstream in(text);
  auto read = ReadTrace(in);
  if (auto* e = std::get_if<TraceError>(&read))
    throw std::runtime_error("line " + std::to_string(e->line) + ": " + e->message);
  auto checked = CheckTrace(std::get<CompactTrace>(read), witnesses);
  if (auto* e = std::get_if<TraceError>(&checked))
    throw std::runtime_error("line " + std::to_string(e->line) + ": " + e->message);
  return std::get<CheckReport>(checked);
}

inline std::string ReportText(const CheckReport& r) { return ReportToJson(r).dump(1); }

}  // namespace snapsim::checker::testing
