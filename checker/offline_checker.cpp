#include "checker/offline_checker.h"

#include "checker/cut_pass.h"
#include "checker/report_builder.h"
#include "checker/topo_pass.h"

namespace snapsim::checker {

std::variant<CheckReport, TraceError> CheckTrace(CompactTrace& trace, bool witnesses) {
  CutPass pass;
  for (ActorGroup g : trace.actor_groups) pass.AddActor(g);
  if (auto err = RunInTopologicalOrder(trace, pass)) return *err;
  return BuildReport(pass, trace, witnesses);
}

}  // namespace snapsim::checker
