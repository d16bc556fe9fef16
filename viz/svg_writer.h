// Writing a laid-out Diagram (layout.h) as SVG: lanes grouped by kind,
// messages as arrows (control messages dashed), local snapshots as marks, the
// chosen snapshot's cut as a line through its marks, the witness chain of an
// inconsistent snapshot in red with numbered, labelled hops, and recorded
// channel states next to the receiver's cut point. Streams text straight to
// the output; no document tree is built.
//
// Standalone mode draws the selected overlay and a caption (verdict, witness,
// notes). Interactive mode (for html_writer.h) draws every overlay, hidden
// except the selected one, gives each positioned element its virtual-time
// coordinates (data-v, data-v1/data-v2, data-vs) so the page can re-scale the
// time axis, and leaves captions to the page.
#pragma once

#include <ostream>
#include <string>

#include "viz/layout.h"

namespace snapsim::viz {

struct SvgOptions {
  int plot_width_px = 1200;  // Default: 1200 px of time axis
  int lane_height_px = 34;
  bool interactive = false;
};

// Pixel geometry shared by the SVG and the page's script.
struct SvgGeometry {
  int left = 130, top = 70, right = 230;
  int plot_width = 1200, lane_height = 34;
  int plot_bottom = 0;  // y below the last lane
  int width = 0, height = 0;
};

SvgGeometry ComputeGeometry(const Diagram& d, const SvgOptions& opt, int caption_lines);

// Writes the SVG document (no XML declaration, so it can be inlined in HTML).
void WriteSvg(const Diagram& d, const SvgOptions& opt, std::ostream& out);

// Escapes &, <, >, " for XML text and attributes.
std::string XmlEscape(const std::string& s);

// The one-line summary of a snapshot overlay, e.g. "snapshot 4: VIOLATION
// (accepted, inconsistent), 8/8 recorded, channel states wrong".
std::string OverlaySummary(const Diagram& d, const SnapshotOverlay& o);

}  // namespace snapsim::viz
