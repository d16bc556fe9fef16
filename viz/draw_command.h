// The `snapsim draw` and `snapsim export --shiviz` commands, as functions the
// CLI (apps/draw_command.cpp) calls: read and check the trace (checker/),
// lay it out (layout.h) and write the outputs atomically.
//
// Exit codes: 0 done; 2 bad input: a malformed or unreadable trace
// ("FILE:LINE: message" on stderr, nothing written) or bad options; 3 an
// output file could not be written.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "viz/layout.h"

namespace snapsim::viz {

struct DrawArgs {
  std::string trace;
  std::string svg_out;   // empty: no SVG
  std::string html_out;  // empty: no HTML page
  std::optional<SnapshotId> snapshot;
  std::string from, to;  // times like "120us"; empty: the trace's ends
  std::string actors;    // comma separated; empty: all
  std::size_t max_lanes = 32;
  std::size_t max_events = 400;
  bool compress_gaps = false;
  int width_px = 1200;
};

int RunDraw(const DrawArgs& args, std::ostream& out, std::ostream& err);

// Writes the ShiViz log of `trace` to `out_path`.
int RunShivizExport(const std::string& trace, const std::string& out_path, std::ostream& out,
                    std::ostream& err);

}  // namespace snapsim::viz
