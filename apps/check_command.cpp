// The check subcommand: the causal-cut checker on a JSON Lines trace.
#include "checker/check_command.h"

#include <iostream>
#include <memory>
#include <string>

#include "apps/command.h"

namespace snapsim::cli {

void AddCheckCommand(CLI::App& app, Commands& out) {
  struct CheckArgs {
    std::string trace;
    bool json = false;
  };
  auto args = std::make_shared<CheckArgs>();
  CLI::App* check = app.add_subcommand(
      "check", "Check every snapshot of a JSON Lines trace for causal consistency");
  check->add_option("trace", args->trace, "Trace file (JSON Lines, see docs/trace-format.md)")
      ->required();
  check->add_flag("--json", args->json, "Print the report as JSON");
  out.push_back({check, [args] {
                   return checker::RunCheckCommand(args->trace, args->json, std::cout, std::cerr);
                 }});
}

}  // namespace snapsim::cli
