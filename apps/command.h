// How the snapsim command line is put together: each file in apps/ adds its
// subcommands to the CLI11 app and says what to run when one is chosen.
// main() parses, then runs the chosen command's action. Option storage lives
// in the action's captures (shared_ptr), so it outlives parsing.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace snapsim::cli {

struct Command {
  CLI::App* sub;             // the CLI11 subcommand
  std::function<int()> run;  // its action; returns the process exit code
};
using Commands = std::vector<Command>;

// run, validate, list (apps/run_commands.cpp).
void AddRunCommands(CLI::App& app, Commands& out);
// check (apps/check_command.cpp).
void AddCheckCommand(CLI::App& app, Commands& out);
// draw, export (apps/draw_command.cpp).
void AddDrawCommands(CLI::App& app, Commands& out);
// sweep, merge (apps/sweep_command.cpp).
void AddSweepCommands(CLI::App& app, Commands& out);

}  // namespace snapsim::cli
