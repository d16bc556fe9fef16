#include "viz/draw_command.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <variant>

#include "checker/offline_checker.h"
#include "checker/trace_file.h"
#include "viz/atomic_file.h"
#include "viz/html_writer.h"
#include "viz/line_times.h"
#include "viz/shiviz_export.h"
#include "viz/svg_writer.h"

namespace snapsim::viz {
namespace {

struct Loaded {
  checker::CompactTrace trace;
  checker::CheckReport report;
  LineTimes times;
};

// Reads and checks the trace; on failure prints FILE:LINE: message and
// returns nullopt.
std::optional<Loaded> Load(const std::string& path, std::ostream& err) {
  auto fail = [&](const checker::TraceError& e) {
    if (e.line == 0) {
      err << fmt::format("{}: {}\n", path, e.message);
    } else {
      err << fmt::format("{}:{}: {}\n", path, e.line, e.message);
    }
    return std::nullopt;
  };
  auto read = checker::ReadTraceFile(path);
  if (auto* e = std::get_if<checker::TraceError>(&read)) return fail(*e);
  Loaded l;
  l.trace = std::move(std::get<checker::CompactTrace>(read));
  auto checked = checker::CheckTrace(l.trace, /*witnesses=*/true);
  if (auto* e = std::get_if<checker::TraceError>(&checked)) return fail(*e);
  l.report = std::move(std::get<checker::CheckReport>(checked));
  auto times = ReadLineTimes(path);
  if (!times) return fail({0, "cannot open the file"});
  l.times = std::move(*times);
  return l;
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    std::string part = s.substr(i, j - i);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    i = j + 1;
  }
  return out;
}

}  // namespace

int RunDraw(const DrawArgs& args, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  if (args.svg_out.empty() && args.html_out.empty()) {
    err << "snapsim draw: nothing to write: give --out FILE.svg and/or --html FILE.html\n";
    return 2;
  }
  DrawOptions opt;
  opt.snapshot = args.snapshot;
  for (auto [text, slot, name] :
       {std::tuple{&args.from, &opt.from, "--from"}, std::tuple{&args.to, &opt.to, "--to"}}) {
    if (text->empty()) continue;
    std::int64_t ns = 0;
    if (!ParseNs(*text, ns)) {
      err << fmt::format(
          "snapsim draw: {}: \"{}\" is not a time (expected e.g. 1500, 250ns, 12.5us, 3ms, 2s)\n",
          name, *text);
      return 2;
    }
    *slot = ns;
  }
  opt.actors = SplitCommas(args.actors);
  if (args.max_lanes == 0) {
    err << "snapsim draw: --max-lanes must be at least 1\n";
    return 2;
  }
  if (args.width_px < 200 || args.width_px > 100000) {
    err << "snapsim draw: --width must be between 200 and 100000 px\n";
    return 2;
  }
  opt.max_lanes = args.max_lanes;
  opt.max_events = args.max_events;
  opt.compress_gaps = args.compress_gaps;

  std::optional<Loaded> loaded = Load(args.trace, err);
  if (!loaded) return 2;
  const std::string title =
      fmt::format("snapsim: {}", std::filesystem::path(args.trace).filename().string());
  SvgOptions svg;
  svg.plot_width_px = args.width_px;

  struct Output {
    const std::string* path;
    bool html;
  };
  for (Output o : {Output{&args.svg_out, false}, Output{&args.html_out, true}}) {
    if (o.path->empty()) continue;
    DrawOptions this_opt = opt;
    this_opt.all_snapshots = o.html;
    // The page zooms, so it holds ten times the events and opens on the
    // snapshot.
    if (o.html && opt.max_events > 0) this_opt.max_events = opt.max_events * 10;
    auto built = BuildDiagram(loaded->trace, loaded->report, loaded->times, this_opt);
    if (auto* e = std::get_if<std::string>(&built)) {
      err << "snapsim draw: " << *e << "\n";
      return 2;
    }
    Diagram& d = std::get<Diagram>(built);
    d.title = title;
    const std::string failed = WriteFileAtomically(*o.path, [&](std::ostream& s) {
      if (o.html) {
        WriteHtml(d, svg, s);
      } else {
        WriteSvg(d, svg, s);
      }
    });
    if (!failed.empty()) {
      err << "snapsim draw: " << failed << "\n";
      return 3;
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out << fmt::format("wrote {}: {} lanes, {} events, {} arrows, window [{}, {}]", *o.path,
                       d.lanes.size(), d.dots.size() + d.marks.size(), d.arrows.size(),
                       FormatNs(d.axis.from()), FormatNs(d.axis.to()));
    if (!d.overlays.empty())
      out << fmt::format(", {}", o.html
                                     ? fmt::format("{} snapshots to choose from", d.overlays.size())
                                     : OverlaySummary(d, d.overlays[d.selected]));
    out << fmt::format(" ({:.2f} s)\n", secs);
    if (!o.html)
      for (const std::string& n : d.notes) out << "  note: " << n << "\n";
  }
  return 0;
}

int RunShivizExport(const std::string& trace, const std::string& out_path, std::ostream& out,
                    std::ostream& err) {
  std::optional<Loaded> loaded = Load(trace, err);
  if (!loaded) return 2;
  const std::string failed = WriteFileAtomically(
      out_path, [&](std::ostream& s) { WriteShiviz(loaded->trace, loaded->times, s); });
  if (!failed.empty()) {
    err << "snapsim export: " << failed << "\n";
    return 3;
  }
  out << fmt::format("wrote {}: {} events of {} actors (ShiViz log; paste or upload it)\n",
                     out_path, loaded->trace.EventCount(), loaded->trace.ActorCount());
  return 0;
}

}  // namespace snapsim::viz
