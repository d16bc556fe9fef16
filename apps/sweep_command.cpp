// The sweep and merge subcommands (see experiments/sweep/sweep_runner.h and
// docs/experiments.md).
#include <iostream>
#include <memory>
#include <string>

#include "apps/command.h"
#include "experiments/sweep/sweep_runner.h"

namespace snapsim::cli {

void AddSweepCommands(CLI::App& app, Commands& out) {
  struct SweepCliArgs {
    sweep::SweepArgs args;
    std::optional<std::uint64_t> seed;
    std::vector<std::string> sets;
    bool quiet = false;
  };
  auto s = std::make_shared<SweepCliArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Run every point of a scenario's sweep: section, in parallel; results.csv, "
      "aggregate.csv");
  cmd->add_option("scenario", s->args.scenario, "Scenario YAML file with a sweep: section")
      ->required();
  cmd->add_option("--out", s->args.out_dir,
                  "Folder for manifest.json, runs/, results.csv and aggregate.csv");
  cmd->add_option("--jobs,-j", s->args.jobs,
                  "Threads (default: one per core; with --mpi: 1 per rank)")
      ->check(CLI::Range(1u, 4096u));
  cmd->add_flag("--resume", s->args.resume,
                "Continue a sweep in --out: skip finished runs, run the others");
  cmd->add_flag("--allow-mixed-builds", s->args.allow_mixed_builds,
                "With --resume: continue even though --out's runs were made by another snapsim "
                "commit (their rows and this build's land in one table)")
      ->needs("--resume");
  cmd->add_option("--shard", s->args.shard,
                  "Run only shard I of N (I/N, 1 <= I <= N): runs whose index % N == I - 1");
  cmd->add_flag("--per-run", s->args.per_run,
                "Also write runs/<run>/summary.json and snapshots.csv for every run");
  cmd->add_flag("--mpi", s->args.mpi, "Spread the runs over MPI ranks (under mpirun)");
  cmd->add_flag("--list", s->args.list,
                "Print the runs (index, point, repetition, seed, values); run none");
  cmd->add_option("--seed", s->seed, "Override the scenario's base seed");
  cmd->add_option("--set", s->sets,
                  "Override a key for every point (e.g. --set run.duration=2ms), or a sweep key "
                  "(--set sweep.repetitions=1, --set 'sweep.parameters.topology.gateways=[2, 8]')")
      ->take_all()
      ->allow_extra_args(false);
  cmd->add_flag("--quiet,-q", s->quiet, "No progress on stderr");
  out.push_back({cmd, [s] {
                   sweep::SweepArgs args = s->args;
                   args.load.seed = s->seed;
                   args.load.sets = s->sets;
                   args.progress = !s->quiet;
                   return sweep::RunSweepCommand(args, std::cout, std::cerr);
                 }});

  auto m = std::make_shared<sweep::MergeArgs>();
  CLI::App* merge = app.add_subcommand(
      "merge", "Join sweep folders (shards of one sweep) into one results.csv and aggregate.csv");
  merge->add_option("dirs", m->dirs, "Sweep folders written by snapsim sweep --shard")->required();
  merge
      ->add_option("--out", m->out_dir,
                   "Folder for the merged results (new, empty, or one of the inputs)")
      ->required();
  merge->add_flag("--allow-missing", m->allow_missing,
                  "Write the tables even when some runs of the sweep are missing");
  merge->add_flag("--allow-mixed-builds", m->allow_mixed_builds,
                  "Merge even when the runs were made by different snapsim commits");
  out.push_back({merge, [m] { return sweep::RunMergeCommand(*m, std::cout, std::cerr); }});
}

}  // namespace snapsim::cli
