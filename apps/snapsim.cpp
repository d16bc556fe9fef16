// snapsim: the command line. main() only assembles the subcommands (one file
// each in apps/), parses, and runs the chosen one; the work is done by the
// experiments/ and checker/ libraries.
//
// Exit codes: 0 success; 1 `check` found an accepted snapshot inconsistent;
// 2 bad input (scenario, trace, arguments); 3 an output file could not be
// written; 4 a run stopped at one of its limits (results marked truncated);
// 5 a run could not go on (memory ran out, or a model limit such as 2^32
// snapshot ids was passed): nothing written.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>

#include "apps/command.h"
#include "experiments/results.h"

int main(int argc, char** argv) {
  using namespace snapsim;
  CLI::App app{"snapsim: a discrete-event simulator for distributed snapshot protocols"};
  app.require_subcommand(1);
  app.set_version_flag("--version", SnapsimVersion());

  cli::Commands commands;
  cli::AddRunCommands(app, commands);
  cli::AddCheckCommand(app, commands);
  cli::AddDrawCommands(app, commands);
  cli::AddSweepCommands(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  // Last resort: memory can run out anywhere (loading a huge topology,
  // reading a huge trace); unwinding removes unfinished files.
  try {
    for (const cli::Command& c : commands)
      if (*c.sub) return c.run();
  } catch (const std::bad_alloc&) {
    std::cerr << "snapsim: out of memory; no results were written\n";
    return 5;
  } catch (const std::exception& e) {
    std::cerr << "snapsim: " << e.what() << "; no results were written\n";
    return 5;
  }
  return 2;
}
