// The sweep subcommands (registered here; see apps/command.h).
#include "apps/command.h"

namespace snapsim::cli {

void AddSweepCommands(CLI::App& app, Commands& out) {}

}  // namespace snapsim::cli
