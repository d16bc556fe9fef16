// A self-contained HTML page around an interactive diagram (svg_writer.h in
// interactive mode): every snapshot with a cut point in the window can be
// chosen from a list, and the time window zoomed and panned (buttons, mouse
// wheel, drag, or typed times). Inline CSS and JavaScript only: the page
// needs no network access.
//
// The URL fragment selects state, so a page can be opened at a given view:
// "#snapshot=2", "#snapshot=2&from=120us&to=180us". After the script runs,
// <body data-snapshot="ID" data-ready="1"> tells a headless browser (or a
// test) which snapshot is shown.
#pragma once

#include <ostream>
#include <string>

#include "viz/layout.h"
#include "viz/svg_writer.h"

namespace snapsim::viz {

// REQUIRES: `d` was built with DrawOptions::all_snapshots for a useful list.
void WriteHtml(const Diagram& d, const SvgOptions& svg, std::ostream& out);

}  // namespace snapsim::viz
