// The draw and export subcommands: space-time diagrams of a JSON Lines trace
// (SVG, interactive HTML) and its ShiViz export. The work is in viz/.
#include "viz/draw_command.h"

#include <iostream>
#include <memory>
#include <string>

#include "apps/command.h"

namespace snapsim::cli {

void AddDrawCommands(CLI::App& app, Commands& out) {
  auto args = std::make_shared<viz::DrawArgs>();
  auto snapshot = std::make_shared<SnapshotId>(0);
  CLI::App* draw = app.add_subcommand(
      "draw",
      "Draw a space-time diagram of a trace: lanes, messages, a snapshot's cut and, "
      "when it is inconsistent, the witness chain");
  draw->add_option("trace", args->trace, "Trace file (JSON Lines, see docs/trace-format.md)")
      ->required();
  draw->add_option("--out", args->svg_out, "Write a standalone SVG here");
  draw->add_option("--html", args->html_out,
                   "Write a self-contained HTML page here (choose the snapshot, zoom the window)");
  draw->add_option("--snapshot", *snapshot,
                   "Snapshot id to draw (default: the first inconsistent one, else the first)");
  draw->add_option("--from", args->from, "Window start: ns, or with a unit (250ns, 12.5us, 3ms)");
  draw->add_option("--to", args->to, "Window end, like --from");
  draw->add_option("--actors", args->actors,
                   "Comma-separated actors to give lanes (others share one collapsed lane)");
  draw->add_option("--max-lanes", args->max_lanes, "Most actors with a lane of their own")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  draw->add_option("--max-events", args->max_events,
                   "Most events drawn; a larger window is narrowed around the snapshot (0: no "
                   "limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  draw->add_option("--width", args->width_px, "Width of the time axis in px")
      ->check(CLI::Range(200, 100000))
      ->capture_default_str();
  draw->add_flag("--compress-gaps", args->compress_gaps,
                 "Shorten idle gaps longer than 2% of the window");
  out.push_back({draw, [args, snapshot, draw] {
                   if (draw->count("--snapshot")) args->snapshot = *snapshot;
                   return viz::RunDraw(*args, std::cout, std::cerr);
                 }});

  struct ExportArgs {
    std::string trace, out;
    bool shiviz = false;
  };
  auto ex = std::make_shared<ExportArgs>();
  CLI::App* exp = app.add_subcommand("export", "Export a trace to another tool's format");
  exp->add_option("trace", ex->trace, "Trace file (JSON Lines)")->required();
  exp->add_flag("--shiviz", ex->shiviz, "ShiViz vector-clock log (the only format so far)")
      ->required();
  exp->add_option("--out", ex->out, "Output file")->required();
  out.push_back(
      {exp, [ex] { return viz::RunShivizExport(ex->trace, ex->out, std::cout, std::cerr); }});
}

}  // namespace snapsim::cli
