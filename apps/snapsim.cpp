// snapsim: the command line. Parses arguments and dispatches; the work is
// done by the experiments/ and checker/ libraries.
//
// Exit codes: 0 success; 1 `check` found an accepted snapshot inconsistent;
// 2 bad input (scenario, trace, arguments); 3 an output file could not be
// written.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "checker/check_command.h"
#include "experiments/results.h"
#include "experiments/runner.h"
#include "experiments/scenario.h"
#include "protocols/registry.h"
#include "sim/distribution.h"
#include "sim/workloads/registry.h"
#include "topologies/topology.h"

namespace {

using namespace snapsim;

struct ScenarioArgs {
  std::string path;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;
};

void AddScenarioArgs(CLI::App* cmd, ScenarioArgs& args) {
  cmd->add_option("scenario", args.path, "Scenario YAML file")->required();
  cmd->add_option("--seed", args.seed, "Override the scenario's seed");
  cmd->add_option("--set", args.sets,
                  "Override a scenario key, e.g. --set topology.backends=16 (repeatable)")
      ->take_all()
      ->allow_extra_args(false);
}

std::optional<Scenario> Load(const ScenarioArgs& args) {
  ScenarioOverrides o;
  o.seed = args.seed;
  o.sets = args.sets;
  LoadResult r = LoadScenario(args.path, o);
  if (!r.error.empty()) {
    std::cerr << "snapsim: " << r.error << "\n";
    return std::nullopt;
  }
  return std::move(*r.scenario);
}

int CmdRun(const ScenarioArgs& args, const std::string& out_dir, const std::string& trace,
           bool quiet) {
  std::optional<Scenario> s = Load(args);
  if (!s) return 2;
  RunOptions options;
  options.trace_path = trace;
  RunOutput run = RunScenario(*s, options);
  if (!run.error.empty()) {
    std::cerr << "snapsim: " << run.error << "\n";
    return 3;
  }
  if (!quiet) PrintHumanSummary(std::cout, *s, run);
  if (!out_dir.empty()) {
    std::string error;
    if (!WriteRunResults(out_dir, *s, run, &error)) {
      std::cerr << "snapsim: " << error << "\n";
      return 3;
    }
    if (!quiet) std::cout << fmt::format("  results    {}/summary.json, {}/snapshots.csv\n", out_dir, out_dir);
  }
  if (!trace.empty() && !quiet) std::cout << fmt::format("  trace      {}\n", trace);
  return 0;
}

int CmdValidate(const ScenarioArgs& args, bool print_resolved) {
  std::optional<Scenario> s = Load(args);
  if (!s) return 2;
  if (print_resolved)
    std::cout << s->resolved.dump(2) << "\n";
  else
    std::cout << fmt::format("{}: ok ({} actors, workload {}, protocol {})\n", args.path,
                             s->world.names.size(),
                             s->resolved["workload"]["kind"].get<std::string>(),
                             s->protocol.kind);
  return 0;
}

int CmdList() {
  std::cout << "protocols:\n";
  for (const auto& p : Protocols()) std::cout << fmt::format("  {:<22} {}\n", p.name, p.summary);
  std::cout << "workloads:\n";
  for (const auto& w : Workloads()) std::cout << fmt::format("  {:<22} {}\n", w.name, w.summary);
  std::cout << "topologies:\n";
  for (const auto& t : TopologyKinds())
    std::cout << fmt::format("  {:<22} {}\n", t.name, t.summary);
  std::cout << "distributions:\n";
  for (DistKind k : AllDistKinds()) std::cout << fmt::format("  {}\n", DistKindName(k));
  std::cout << "channel kinds (keys under channels:):\n";
  for (std::size_t k = 0; k < kChannelKindCount; ++k)
    std::cout << fmt::format("  {}\n", ChannelKindName(static_cast<ChannelKind>(k)));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"snapsim: a discrete-event simulator for distributed snapshot protocols"};
  app.require_subcommand(1);
  app.set_version_flag("--version", SnapsimVersion());

  ScenarioArgs run_args;
  std::string out_dir, trace;
  bool quiet = false;
  CLI::App* run = app.add_subcommand("run", "Run a scenario and print a summary");
  AddScenarioArgs(run, run_args);
  run->add_option("--out", out_dir, "Write summary.json and snapshots.csv into this folder");
  run->add_option("--trace", trace, "Write the JSON Lines trace to this file");
  run->add_flag("--quiet,-q", quiet, "Print nothing on success");

  ScenarioArgs validate_args;
  bool print_resolved = false;
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario without running it");
  AddScenarioArgs(validate, validate_args);
  validate->add_flag("--print", print_resolved, "Print the resolved configuration as JSON");

  CLI::App* list = app.add_subcommand("list", "List protocols, workloads, topologies, distributions");

  std::string trace_path;
  bool check_json = false;
  CLI::App* check = app.add_subcommand(
      "check", "Check every snapshot of a JSON Lines trace for causal consistency");
  check->add_option("trace", trace_path, "Trace file (JSON Lines, see docs/trace-format.md)")
      ->required();
  check->add_flag("--json", check_json, "Print the report as JSON");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*run) return CmdRun(run_args, out_dir, trace, quiet);
  if (*validate) return CmdValidate(validate_args, print_resolved);
  if (*list) return CmdList();
  if (*check) return checker::RunCheckCommand(trace_path, check_json, std::cout, std::cerr);
  return 2;
}
