// Layout of a space-time diagram: which actors get a lane, which time window
// is drawn and how it maps to the axis, and where every mark, arrow, cut and
// witness hop goes. The result (Diagram) is plain data in "virtual time" x
// positions and lane-unit y positions; svg_writer.h turns it into pixels.
//
// Large traces stay readable: at most `max_lanes` actors get their own lane
// (the others share one collapsed lane at the bottom, so causal paths through
// them stay visible), and at most `max_events` events are placed: when the
// window holds more, it is narrowed around the chosen snapshot's cut and
// witness. Everything left out is said in Diagram::notes.
//
// Cost: O(events + hops) passes over the trace, plus sorting the times of
// the events in the window; output proportional to what is drawn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "checker/compact_trace.h"
#include "checker/report.h"
#include "viz/line_times.h"
#include "viz/time_axis.h"

namespace snapsim::viz {

struct DrawOptions {
  // The snapshot whose cut, witness and channel states are drawn.
  // Default: the first inconsistent snapshot, else the first one.
  std::optional<SnapshotId> snapshot;
  // The time window in ns. Default: the whole trace (within max_events).
  std::optional<std::int64_t> from, to;
  // Actors given lanes, by name. Default: all, up to max_lanes.
  std::vector<std::string> actors;
  std::size_t max_lanes = 32;    // Default: 32 lanes, plus one collapsed lane
  std::size_t max_events = 400;  // Default: 400 events; 0 = no limit
  bool compress_gaps = false;
  // Build an overlay (cut, witness, channel states) for every snapshot with a
  // cut point in the window, not just the chosen one (the HTML page).
  bool all_snapshots = false;
  std::size_t max_overlays = 300;
};

inline constexpr std::uint32_t kNoLane = 0xffffffffu;

struct Lane {
  ActorId actor = kNoActor;  // kNoActor for the collapsed lane
  std::string name;
  ActorGroup group = ActorGroup::kOut;
  std::size_t collapsed_actors = 0;  // > 0 for the collapsed lane
};

// A point of the drawing: x in virtual time (TimeAxis), y in lanes (lane i
// is at y = i; fractional where an arrow is clipped at the window's edge).
struct Point {
  double v = 0;
  double y = 0;
};

struct Dot {  // a send, receive, forward or internal event
  std::uint32_t lane = 0;
  double v = 0;
  std::int64_t t = 0;
  checker::EventKind kind = checker::EventKind::kInternal;
};

struct SnapMark {  // a local snapshot event
  std::uint32_t lane = 0;
  double v = 0;
  std::int64_t t = 0;
  SnapshotId id = 0;
};

struct Arrow {  // one hop of a message
  Point a, b;
  bool clipped_a = false, clipped_b = false;  // cut at the window's edge
  bool control = false;
  std::uint32_t msg = 0;
  std::int64_t t1 = 0, t2 = 0;
  std::string title;  // "m9 p1 -> o2, 12 us -> 15 us"
};

struct CutPoint {
  std::uint32_t lane = 0;
  double v = 0;
  std::int64_t t = 0;
  int outside = 0;  // -1 before the window, +1 after it, 0 inside
};

struct WitnessStep {  // one event of the witness chain, numbered from 1
  std::uint32_t number = 0;
  std::uint32_t lane = 0;
  double v = 0;
  std::int64_t t = 0;
  bool in_window = true;
  std::string text;  // as the checker wrote it
};

struct WitnessSegment {
  Point a, b;
  bool along_lane = false;  // process order; otherwise a message hop
  std::string label;        // the message, for hops
};

struct ChannelLabel {
  std::uint32_t lane = 0;  // the receiver's lane
  double v = 0;            // at the receiver's cut point
  std::string text;        // "p0->p1: m3, m4"
  bool wrong = false;      // the checker found this channel state wrong
};

struct SnapshotOverlay {
  checker::SnapshotReport report;
  std::string verdict;  // Classify(): "ok", "VIOLATION", ...
  std::vector<CutPoint> cut;
  std::vector<WitnessStep> steps;
  std::vector<WitnessSegment> segments;
  std::vector<ChannelLabel> channels;
  std::vector<std::size_t> channel_arrows;  // indices into Diagram::arrows
  std::vector<std::string> notes;           // what of this snapshot is not drawn
  // The part of the axis worth showing for this snapshot: its cut points and
  // witness events in the window, padded (the whole axis when none).
  double focus_v0 = 0, focus_v1 = 0;
};

struct Diagram {
  std::string title;
  TimeAxis axis{0, 1};
  bool logical_time = false;  // the trace has no times: topological order instead
  std::int64_t trace_from = 0, trace_to = 0;
  std::vector<Lane> lanes;
  std::vector<Dot> dots;
  std::vector<SnapMark> marks;
  std::vector<Arrow> arrows;
  std::vector<SnapshotOverlay> overlays;
  std::size_t selected = 0;  // index into overlays (when not empty)
  std::size_t in_group_processes = 0;
  std::vector<std::string> notes;  // what was left out, and why
};

// Lays out `trace` (already checked: CheckTrace filled Event::order) with its
// report. `times` gives each line's "t"; when some event has none, the axis
// is the topological order instead. Returns a message for bad options (an
// unknown actor or snapshot, from > to).
std::variant<Diagram, std::string> BuildDiagram(const checker::CompactTrace& trace,
                                                const checker::CheckReport& report,
                                                const LineTimes& times, const DrawOptions& options);

}  // namespace snapsim::viz
