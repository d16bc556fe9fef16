// The run, validate and list subcommands.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/command.h"
#include "experiments/results.h"
#include "experiments/runner.h"
#include "experiments/scenario.h"
#include "protocols/registry.h"
#include "sim/distribution.h"
#include "sim/workloads/registry.h"
#include "topologies/topology.h"

namespace snapsim::cli {

namespace {

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

// Quotes an argument for a POSIX shell when it needs it.
std::string ShellQuote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-./=:,+@") == std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The command that reproduces this run with a trace, and checks it.
std::string ReplayCommand(const ScenarioArgs& args, std::uint64_t seed) {
  std::string cmd = "snapsim run " + ShellQuote(args.path) + " --seed " + std::to_string(seed);
  for (const std::string& set : args.sets) cmd += " --set " + ShellQuote(set);
  return cmd + " --trace replay.jsonl && snapsim check replay.jsonl";
}

int CmdRun(const ScenarioArgs& args, const std::string& out_dir, const std::string& trace,
           const std::string& witnesses, bool quiet) {
  std::optional<Scenario> s = Load(args);
  if (!s) return 2;
  RunOptions options;
  options.trace_path = trace;
  options.witnesses = witnesses != "off";
  options.witness_replay_beside = witnesses == "beside";
  RunOutput run = RunScenario(*s, options);
  if (!run.error.empty()) {
    std::cerr << "snapsim: " << run.error << "\n";
    return run.aborted ? 5 : 3;
  }
  if (!quiet) PrintHumanSummary(std::cout, *s, run);
  if (!out_dir.empty()) {
    std::string error;
    if (!WriteRunResults(out_dir, *s, run, &error)) {
      std::cerr << "snapsim: " << error << "\n";
      return 3;
    }
    if (!quiet)
      std::cout << fmt::format("  results    {}/summary.json, {}/snapshots.csv\n", out_dir,
                               out_dir);
  }
  if (!trace.empty() && !quiet) std::cout << fmt::format("  trace      {}\n", trace);
  if (run.check && run.check->counters.accepted_inconsistent > 0 && !quiet)
    std::cout << "  replay     " << ReplayCommand(args, s->seed) << "\n";
  if (run.stats.reason == StopReason::kResourceLimit) {
    std::cerr << fmt::format(
        "snapsim: {}: the run stopped at limits.{} = {} (results are marked truncated; raise "
        "the limit in the scenario's limits: section if the run is meant to be this large)\n",
        args.path, run.stats.limit, run.stats.limit_value);
    return 4;
  }
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
                             s->resolved["workload"]["kind"].get<std::string>(), s->protocol.kind);
  return 0;
}

int CmdList() {
  std::cout << "protocols:\n";
  for (const auto& p : Protocols()) std::cout << fmt::format("  {:<30} {}\n", p.name, p.summary);
  std::cout << "workloads:\n";
  for (const auto& w : Workloads()) std::cout << fmt::format("  {:<30} {}\n", w.name, w.summary);
  std::cout << "topologies:\n";
  for (const auto& t : TopologyKinds())
    std::cout << fmt::format("  {:<30} {}\n", t.name, t.summary);
  std::cout << "distributions:\n";
  for (DistKind k : AllDistKinds()) std::cout << fmt::format("  {}\n", DistKindName(k));
  std::cout << "channel kinds (keys under channels:):\n";
  for (std::size_t k = 0; k < kChannelKindCount; ++k)
    std::cout << fmt::format("  {}\n", ChannelKindName(static_cast<ChannelKind>(k)));
  return 0;
}

}  // namespace

void AddRunCommands(CLI::App& app, Commands& out) {
  struct RunArgs {
    ScenarioArgs scenario;
    std::string out_dir, trace;
    std::string witnesses = "beside";
    bool quiet = false;
  };
  auto run_args = std::make_shared<RunArgs>();
  CLI::App* run = app.add_subcommand("run", "Run a scenario and print a summary");
  AddScenarioArgs(run, run_args->scenario);
  run->add_option("--out", run_args->out_dir,
                  "Write summary.json and snapshots.csv into this folder");
  run->add_option("--trace", run_args->trace, "Write the JSON Lines trace to this file");
  run->add_option("--witnesses", run_args->witnesses,
                  "Causal chains of inconsistent snapshots: found by a replay of the run beside "
                  "it (beside, the default: a second thread), after it (after: one thread), or "
                  "not at all (off: verdicts only)")
      ->check(CLI::IsMember({"beside", "after", "off"}));
  run->add_flag("--quiet,-q", run_args->quiet, "Print nothing on success");
  out.push_back({run, [run_args] {
                   return CmdRun(run_args->scenario, run_args->out_dir, run_args->trace,
                                 run_args->witnesses, run_args->quiet);
                 }});

  struct ValidateArgs {
    ScenarioArgs scenario;
    bool print = false;
  };
  auto validate_args = std::make_shared<ValidateArgs>();
  CLI::App* validate = app.add_subcommand("validate", "Check a scenario without running it");
  AddScenarioArgs(validate, validate_args->scenario);
  validate->add_flag("--print", validate_args->print, "Print the resolved configuration as JSON");
  out.push_back({validate, [validate_args] {
                   return CmdValidate(validate_args->scenario, validate_args->print);
                 }});

  CLI::App* list =
      app.add_subcommand("list", "List protocols, workloads, topologies, distributions");
  out.push_back({list, [] { return CmdList(); }});
}

}  // namespace snapsim::cli
