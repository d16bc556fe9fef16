// Unit and golden tests of the drawing library (viz/): the time scanner, the
// time axis, the layout of a small hidden-causality trace, the SVG writer and
// the ShiViz export. The SVG's well-formedness is checked by svg_check.py
// (ctest Draw.svg_*), the page in Chromium by chromium_test.sh.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <variant>

#include "checker/offline_checker.h"
#include "checker/trace_file.h"
#include "viz/layout.h"
#include "viz/line_times.h"
#include "viz/shiviz_export.h"
#include "viz/svg_writer.h"
#include "viz/time_axis.h"

namespace snapsim::viz {
namespace {

struct Loaded {
  checker::CompactTrace trace;
  checker::CheckReport report;
  LineTimes times;
};

Loaded Load(const std::string& name) {
  const std::string path = std::string(SNAPSIM_DRAW_TEST_DATA) + "/" + name;
  auto read = checker::ReadTraceFile(path);
  EXPECT_TRUE(std::holds_alternative<checker::CompactTrace>(read)) << path;
  Loaded l;
  l.trace = std::get<checker::CompactTrace>(std::move(read));
  auto checked = checker::CheckTrace(l.trace, true);
  l.report = std::get<checker::CheckReport>(std::move(checked));
  l.times = *ReadLineTimes(path);
  return l;
}

Diagram Build(const Loaded& l, const DrawOptions& opt = {}) {
  auto d = BuildDiagram(l.trace, l.report, l.times, opt);
  EXPECT_TRUE(std::holds_alternative<Diagram>(d)) << std::get<std::string>(d);
  return std::get<Diagram>(std::move(d));
}

std::size_t Count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

TEST(DrawLineTimes, ScansTopLevelTOnly) {
  auto scan = [](const std::string& s) { return ScanLineTime(s.data(), s.data() + s.size()); };
  EXPECT_EQ(scan(R"({"type":"send","actor":"t","msg":"m1","to":"p1","t":1234})"), 1234);
  EXPECT_EQ(scan(R"({ "t" : -5 , "type":"internal"})"), -5);
  EXPECT_EQ(scan(R"({"type":"channel_state","msgs":["t",{"t":3}],"x":"\"t\":9"})"), kNoTime);
  EXPECT_EQ(scan(R"({"type":"internal","actor":"p0"})"), kNoTime);
  EXPECT_EQ(scan(R"({"type":"internal","t":1.5})"), kNoTime);
  EXPECT_EQ(scan("not json"), kNoTime);
}

TEST(DrawLineTimes, ReadsEveryLine) {
  auto t = ReadLineTimes(std::string(SNAPSIM_DRAW_TEST_DATA) + "/hidden.jsonl");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->At(1), kNoTime);  // actor line
  EXPECT_EQ(t->At(8), 100);
  EXPECT_EQ(t->At(23), 1200);
  EXPECT_EQ(t->At(999), kNoTime);
  EXPECT_FALSE(ReadLineTimes("/nonexistent/trace.jsonl"));
}

TEST(DrawTimeAxis, RealScaleIsLinear) {
  TimeAxis a(100, 1100);
  EXPECT_DOUBLE_EQ(a.Span(), 1000);
  EXPECT_DOUBLE_EQ(a.Virtual(600), 500);
  EXPECT_DOUBLE_EQ(a.Virtual(0), 0);  // clamped
  EXPECT_TRUE(a.breaks().empty());
  EXPECT_FALSE(a.Ticks(10).empty());
}

TEST(DrawTimeAxis, CompressedShortensIdleGapsMonotonically) {
  // Two bursts one second apart.
  std::vector<std::int64_t> ts = {0, 10, 20, 1'000'000'000, 1'000'000'010};
  TimeAxis a = TimeAxis::Compressed(0, 1'000'000'010, ts);
  ASSERT_EQ(a.breaks().size(), 1u);
  EXPECT_LT(a.Span(), 1e9 / 10);
  double prev = -1;
  for (std::int64_t t : {0LL, 10LL, 20LL, 500'000'000LL, 1'000'000'000LL, 1'000'000'010LL}) {
    EXPECT_GT(a.Virtual(t), prev) << t;
    prev = a.Virtual(t);
  }
  EXPECT_DOUBLE_EQ(a.Virtual(1'000'000'010) - a.Virtual(1'000'000'000), 10);
  for (const AxisTick& tick : a.Ticks(10)) {
    EXPECT_FALSE(tick.v > a.breaks()[0].virt_begin && tick.v < a.breaks()[0].virt_end);
  }
}

TEST(DrawTimeAxis, FormatsAndParsesDurations) {
  EXPECT_EQ(FormatNs(0), "0");
  EXPECT_EQ(FormatNs(250), "250 ns");
  EXPECT_EQ(FormatNs(12500), "12.5 us");
  EXPECT_EQ(FormatNs(3'000'000), "3 ms");
  std::int64_t ns = 0;
  EXPECT_TRUE(ParseNs("12.5us", ns));
  EXPECT_EQ(ns, 12500);
  EXPECT_TRUE(ParseNs("1500", ns));
  EXPECT_EQ(ns, 1500);
  EXPECT_TRUE(ParseNs("2s", ns));
  EXPECT_EQ(ns, 2'000'000'000);
  EXPECT_FALSE(ParseNs("12 parsecs", ns));
  EXPECT_FALSE(ParseNs("", ns));
}

TEST(DrawLayout, HiddenCausalityGolden) {
  Loaded l = Load("hidden.jsonl");
  Diagram d = Build(l);
  // Lanes grouped: in-group, gateways, controller, out-group.
  std::vector<std::string> names;
  for (const Lane& lane : d.lanes) names.push_back(lane.name);
  EXPECT_EQ(names, (std::vector<std::string>{"p0", "p1", "g0", "ctl", "o0"}));
  EXPECT_FALSE(d.logical_time);
  EXPECT_EQ(d.axis.from(), 100);
  EXPECT_EQ(d.axis.to(), 1200);
  // Six message hops (m4 has two), one of them control.
  ASSERT_EQ(d.arrows.size(), 6u);
  int control = 0;
  for (const Arrow& a : d.arrows) control += a.control;
  EXPECT_EQ(control, 1);
  EXPECT_EQ(d.marks.size(), 4u);
  // The default snapshot is the inconsistent one, with its witness.
  ASSERT_EQ(d.overlays.size(), 1u);
  const SnapshotOverlay& o = d.overlays[0];
  EXPECT_EQ(o.report.id, 1u);
  EXPECT_EQ(o.verdict, "VIOLATION");
  ASSERT_EQ(o.cut.size(), 2u);
  EXPECT_DOUBLE_EQ(o.cut[0].v, 100);  // p0 at t=200
  EXPECT_DOUBLE_EQ(o.cut[1].v, 600);  // p1 at t=700
  ASSERT_EQ(o.steps.size(), 6u);
  EXPECT_EQ(o.steps[0].text, "p0 snapshot#1");
  EXPECT_EQ(o.steps[4].lane, 2u);  // g0 forward m4
  ASSERT_EQ(o.segments.size(), 5u);
  int hops = 0;
  for (const WitnessSegment& s : o.segments) hops += !s.along_lane;
  EXPECT_EQ(hops, 3);
  EXPECT_EQ(o.segments[1].label, "m3");
  // The recorded channel state p0->p1 = {m1}, next to p1's cut, m1 highlighted.
  ASSERT_EQ(o.channels.size(), 1u);
  EXPECT_EQ(o.channels[0].text, "p0->p1: {m1}");
  EXPECT_EQ(o.channels[0].lane, 1u);
  EXPECT_FALSE(o.channels[0].wrong);
  ASSERT_EQ(o.channel_arrows.size(), 1u);
  EXPECT_EQ(l.trace.MessageName(d.arrows[o.channel_arrows[0]].msg), "m1");
  EXPECT_TRUE(d.notes.empty());
}

TEST(DrawLayout, ChosenSnapshotAndAllSnapshots) {
  Loaded l = Load("hidden.jsonl");
  DrawOptions opt;
  opt.snapshot = 2;
  Diagram d = Build(l, opt);
  ASSERT_EQ(d.overlays.size(), 1u);
  EXPECT_EQ(d.overlays[0].report.id, 2u);
  EXPECT_TRUE(d.overlays[0].steps.empty());
  opt.all_snapshots = true;
  d = Build(l, opt);
  ASSERT_EQ(d.overlays.size(), 2u);
  EXPECT_EQ(d.overlays[d.selected].report.id, 2u);
}

TEST(DrawLayout, BadOptionsAreErrors) {
  Loaded l = Load("hidden.jsonl");
  DrawOptions opt;
  opt.snapshot = 9;
  auto d = BuildDiagram(l.trace, l.report, l.times, opt);
  ASSERT_TRUE(std::holds_alternative<std::string>(d));
  EXPECT_EQ(std::get<std::string>(d), "--snapshot: snapshot 9 is not in the trace");
  opt = {};
  opt.actors = {"p0", "zz"};
  d = BuildDiagram(l.trace, l.report, l.times, opt);
  EXPECT_EQ(std::get<std::string>(d), "--actors: unknown actor \"zz\"");
  opt = {};
  opt.from = 500;
  opt.to = 400;
  d = BuildDiagram(l.trace, l.report, l.times, opt);
  ASSERT_TRUE(std::holds_alternative<std::string>(d));
}

TEST(DrawLayout, WindowClipsArrowsAndSaysWhatIsLeftOut) {
  Loaded l = Load("hidden.jsonl");
  DrawOptions opt;
  opt.from = 350;
  opt.to = 650;
  Diagram d = Build(l, opt);
  bool clipped = false;
  for (const Arrow& a : d.arrows) {
    clipped |= a.clipped_a || a.clipped_b;
    EXPECT_GE(a.a.v, 0);
    EXPECT_LE(a.b.v, d.axis.Span());
  }
  EXPECT_TRUE(clipped);
  ASSERT_FALSE(d.notes.empty());
  EXPECT_NE(d.notes.back().find("window [350 ns, 650 ns]"), std::string::npos);
  // p0's cut point (t=200) is before the window: drawn at the edge, noted.
  const SnapshotOverlay& o = d.overlays[0];
  EXPECT_EQ(o.cut[0].outside, -1);
  bool noted = false;
  for (const std::string& n : o.notes) noted |= n.find("outside the window") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(DrawLayout, LaneLimitKeepsWitnessActorsAndCollapsesTheRest) {
  Loaded l = Load("hidden.jsonl");
  DrawOptions opt;
  opt.max_lanes = 3;
  Diagram d = Build(l, opt);
  ASSERT_EQ(d.lanes.size(), 4u);
  // Witness actors first (p0, p1, g0, o0), in-group before gateways.
  EXPECT_EQ(d.lanes[0].name, "p0");
  EXPECT_EQ(d.lanes[1].name, "p1");
  EXPECT_EQ(d.lanes[2].name, "g0");
  EXPECT_EQ(d.lanes[3].name, "2 more");
  EXPECT_EQ(d.lanes[3].collapsed_actors, 2u);
  ASSERT_FALSE(d.notes.empty());
  EXPECT_NE(d.notes[0].find("ctl, o0"), std::string::npos);
  // The witness still reaches o0 on the collapsed lane.
  EXPECT_EQ(d.overlays[0].steps[2].lane, 3u);
}

TEST(DrawLayout, EventBudgetNarrowsTheWindowAroundTheSnapshot) {
  Loaded l = Load("hidden.jsonl");
  DrawOptions opt;
  opt.max_events = 6;
  opt.snapshot = 2;
  Diagram d = Build(l, opt);
  EXPECT_LE(d.dots.size() + d.marks.size(), 6u);
  EXPECT_GE(d.axis.from(), 700);  // around snapshot 2 (t 1000..1200)
  EXPECT_EQ(d.axis.to(), 1200);
  bool noted = false;
  for (const std::string& n : d.notes) noted |= n.find("--max-events 6") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(DrawLayout, NoTimesFallsBackToTopologicalOrder) {
  Loaded l = Load("no_times.jsonl");
  Diagram d = Build(l);
  EXPECT_TRUE(d.logical_time);
  ASSERT_FALSE(d.notes.empty());
  EXPECT_NE(d.notes[0].find("topological order"), std::string::npos);
  // Causality still points forward: every arrow ends right of its start.
  for (const Arrow& a : d.arrows) {
    EXPECT_LT(a.a.v, a.b.v);
  }
}

TEST(DrawSvg, ContainsLanesArrowsAndHighlightedHops) {
  Loaded l = Load("hidden.jsonl");
  Diagram d = Build(l);
  d.title = "hidden";
  std::ostringstream out;
  WriteSvg(d, SvgOptions{}, out);
  const std::string svg = out.str();
  for (const char* lane : {"p0", "p1", "g0", "ctl", "o0"})
    EXPECT_NE(svg.find(std::string("data-actor=\"") + lane + "\""), std::string::npos) << lane;
  EXPECT_EQ(Count(svg, "<line class=\"m"), 6u + 2u);  // + 2 legend samples
  EXPECT_EQ(Count(svg, "<line class=\"m c"), 1u + 1u);
  EXPECT_EQ(Count(svg, "<line class=\"w al\""), 2u);
  EXPECT_EQ(Count(svg, "<line class=\"w\""), 3u + 1u);
  EXPECT_EQ(Count(svg, "<circle class=\"wn\""), 6u);
  EXPECT_NE(svg.find(">m3</text>"), std::string::npos);
  EXPECT_NE(svg.find(">m4</text>"), std::string::npos);
  EXPECT_NE(svg.find("p0-&gt;p1: {m1}"), std::string::npos);
  EXPECT_NE(svg.find("<polyline class=\"cut\""), std::string::npos);
  EXPECT_NE(svg.find("snapshot 1: VIOLATION"), std::string::npos);
  EXPECT_NE(svg.find("(4) o0 send m4"), std::string::npos);
  EXPECT_EQ(svg.find("data-v="), std::string::npos);  // standalone: no script hooks
}

TEST(DrawShiviz, VectorClocksFollowHappensBefore) {
  Loaded l = Load("hidden.jsonl");
  std::ostringstream out;
  WriteShiviz(l.trace, l.times, out);
  const std::string s = out.str();
  EXPECT_EQ(s.rfind("(?<host>\\S*) (?<clock>{.*})\\n(?<event>.*)\n\n", 0), 0u);
  // p1's receive of m4 knows p0's send of m3 (p0 event 3), o0's two events
  // and g0's forward (after g0's receive of the control message).
  EXPECT_NE(s.find("p1 {\"p0\":3,\"p1\":1,\"g0\":2,\"ctl\":1,\"o0\":2}\nrecv m4 t=600 ns\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("ctl {\"ctl\":1}\nsend control m2 to g0 t=210 ns\n"), std::string::npos);
  EXPECT_NE(s.find("g0 {\"p0\":3,\"g0\":2,\"ctl\":1,\"o0\":2}\nforward m4 to p1 t=500 ns\n"),
            std::string::npos);
  EXPECT_NE(s.find("\nsnapshot 1 t=200 ns\n"), std::string::npos);
  EXPECT_EQ(Count(s, "\n") - 2, 2 * l.trace.EventCount());
}

}  // namespace
}  // namespace snapsim::viz
