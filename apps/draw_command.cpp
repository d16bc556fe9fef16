// The draw subcommands (registered here; see apps/command.h).
#include "apps/command.h"

namespace snapsim::cli {

void AddDrawCommands(CLI::App& app, Commands& out) {}

}  // namespace snapsim::cli
