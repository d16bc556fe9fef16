// Replays, in the normal test suite, what the fuzz targets do: every input
// that once broke a target (tests/fuzz/regressions/) and the seed corpora
// (shipped scenarios, bad-input scenarios, checker traces) go through the
// scenario loader (and a short run) or the trace reader and checker. Each
// must end in a result or a located error.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include "checker/offline_checker.h"
#include "checker/trace_file.h"
#include "experiments/runner.h"
#include "experiments/scenario.h"

namespace snapsim {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> FilesIn(const std::string& dir, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && (ext.empty() || e.path().extension() == ext))
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kRoot = SNAPSIM_SOURCE_DIR;

TEST(FuzzRegressions, ScenarioInputsEndInAResultOrALocatedError) {
  std::vector<fs::path> files = FilesIn(kRoot + "/tests/fuzz/regressions/scenario", "");
  for (auto& p : FilesIn(kRoot + "/tests/cli/data", ".yaml")) files.push_back(p);
  ASSERT_GT(files.size(), 5u);
  for (const fs::path& p : files) {
    LoadResult r = LoadScenarioText(Read(p), p.filename().string(), "/nonexistent-fuzz-dir");
    if (!r.scenario) {
      EXPECT_FALSE(r.error.empty()) << p;
      continue;
    }
    r.scenario->stop.max_events = 5000;
    RunOptions o;
    o.progress = false;
    RunOutput out = RunScenario(*r.scenario, o);
    EXPECT_TRUE(out.error.empty()) << p << ": " << out.error;
  }
}

TEST(FuzzRegressions, TraceInputsEndInAReportOrALocatedError) {
  std::vector<fs::path> files = FilesIn(kRoot + "/tests/fuzz/regressions/trace", "");
  for (auto& p : FilesIn(kRoot + "/tests/checker/data", ".jsonl")) files.push_back(p);
  ASSERT_GT(files.size(), 5u);
  for (const fs::path& p : files) {
    std::istringstream in(Read(p));
    auto read = checker::ReadTrace(in);
    if (auto* e = std::get_if<checker::TraceError>(&read)) {
      EXPECT_GT(e->line, 0u) << p;
      continue;
    }
    auto checked = checker::CheckTrace(std::get<checker::CompactTrace>(read), true);
    if (auto* e = std::get_if<checker::TraceError>(&checked)) {
      EXPECT_FALSE(e->message.empty()) << p;
    }
  }
}

}  // namespace
}  // namespace snapsim
