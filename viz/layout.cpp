#include "viz/layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "viz/witness_path.h"

namespace snapsim::viz {
namespace {

using checker::CheckReport;
using checker::CompactTrace;
using checker::EventKind;
using checker::kNone;
using checker::SnapshotReport;

// Lane groups top to bottom: in-group, gateways, controller, out-group.
int GroupRank(ActorGroup g) {
  switch (g) {
    case ActorGroup::kIn:
      return 0;
    case ActorGroup::kGateway:
      return 1;
    case ActorGroup::kController:
      return 2;
    case ActorGroup::kOut:
      return 3;
  }
  return 4;
}

std::string JoinFirst(const std::vector<std::string>& names, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < n; ++i) s += (i ? ", " : "") + names[i];
  if (names.size() > n) s += fmt::format(", ... ({} more)", names.size() - n);
  return s;
}

class Builder {
 public:
  Builder(const CompactTrace& trace, const CheckReport& report, const LineTimes& times,
          const DrawOptions& options)
      : trace_(trace), report_(report), times_(times), opt_(options) {}

  std::variant<Diagram, std::string> Build() {
    ComputeTimes();
    if (auto e = ChooseSnapshot()) return *e;
    if (auto e = ChooseWindow()) return *e;
    if (auto e = ChooseLanes()) return *e;
    ApplyBudget();
    MakeAxis();
    PlaceEvents();
    PlaceArrows();
    PlaceOverlays();
    WriteNotes();
    return std::move(d_);
  }

 private:
  std::int64_t T(ActorId a, std::uint32_t pos) const { return time_[a][pos]; }

  // Event times: the trace's "t", or the topological order when any is missing.
  void ComputeTimes() {
    time_.resize(trace_.ActorCount());
    bool all = true;
    for (ActorId a = 0; a < trace_.ActorCount() && all; ++a) {
      time_[a].resize(trace_.events[a].size());
      for (std::uint32_t p = 0; p < trace_.events[a].size(); ++p) {
        const std::int64_t t = times_.At(trace_.LineOf(a, p));
        if (t == kNoTime) {
          all = false;
          break;
        }
        time_[a][p] = t;
      }
    }
    if (!all) {
      d_.logical_time = true;
      for (ActorId a = 0; a < trace_.ActorCount(); ++a) {
        time_[a].resize(trace_.events[a].size());
        for (std::uint32_t p = 0; p < trace_.events[a].size(); ++p)
          time_[a][p] = trace_.events[a][p].order == kNone ? p : trace_.events[a][p].order;
      }
    }
    bool any = false;
    for (ActorId a = 0; a < trace_.ActorCount(); ++a) {
      for (std::int64_t t : time_[a]) {
        d_.trace_from = any ? std::min(d_.trace_from, t) : t;
        d_.trace_to = any ? std::max(d_.trace_to, t) : t;
        any = true;
      }
    }
    // Snapshot events by snapshot index.
    snap_events_.resize(trace_.snapshot_ids.size());
    for (ActorId a = 0; a < trace_.ActorCount(); ++a)
      for (std::uint32_t p = 0; p < trace_.events[a].size(); ++p)
        if (trace_.events[a][p].kind == EventKind::kSnapshot)
          snap_events_[trace_.events[a][p].arg].push_back({a, p});
    for (std::uint32_t s = 0; s < trace_.snapshot_ids.size(); ++s)
      snap_index_[trace_.snapshot_ids[s]] = s;
    d_.in_group_processes = report_.in_group_processes;
  }

  std::optional<std::string> ChooseSnapshot() {
    const auto& snaps = report_.snapshots;
    if (opt_.snapshot) {
      for (std::size_t i = 0; i < snaps.size(); ++i)
        if (snaps[i].id == *opt_.snapshot) chosen_ = i;
      if (chosen_ == kNoChoice)
        return fmt::format("--snapshot: snapshot {} is not in the trace", *opt_.snapshot);
      return std::nullopt;
    }
    for (std::size_t i = 0; i < snaps.size() && chosen_ == kNoChoice; ++i)
      if (!snaps[i].consistent) chosen_ = i;
    if (chosen_ == kNoChoice && !snaps.empty()) chosen_ = 0;
    return std::nullopt;
  }

  // The events that must be seen: the chosen snapshot's cut and witness.
  void FocusOf(const SnapshotReport& s, std::vector<EventRef>& out) const {
    auto it = snap_index_.find(s.id);
    if (it != snap_index_.end())
      for (const EventRef& e : snap_events_[it->second]) out.push_back(e);
    for (const EventRef& e : LocateWitness(trace_, s.witness)) out.push_back(e);
  }

  std::optional<std::string> ChooseWindow() {
    from_ = opt_.from.value_or(d_.trace_from);
    to_ = opt_.to.value_or(d_.trace_to);
    if (d_.logical_time && (opt_.from || opt_.to))
      d_.notes.push_back("--from/--to are read as positions in the topological order (no times)");
    if (from_ > to_)
      return fmt::format("--from ({}) is after --to ({})", FormatNs(from_), FormatNs(to_));
    return std::nullopt;
  }

  std::optional<std::string> ChooseLanes() {
    const ActorId n = trace_.ActorCount();
    std::vector<char> candidate(n, opt_.actors.empty());
    for (const std::string& name : opt_.actors) {
      ActorId found = kNoActor;
      for (ActorId a = 0; a < n; ++a)
        if (trace_.actor_names[a] == name) found = a;
      if (found == kNoActor) return fmt::format("--actors: unknown actor \"{}\"", name);
      candidate[found] = 1;
    }
    // Priority: actors of the chosen witness, then by group, then by activity.
    std::vector<char> on_witness(n, 0);
    if (chosen_ != kNoChoice)
      for (const EventRef& e : LocateWitness(trace_, report_.snapshots[chosen_].witness))
        on_witness[e.actor] = 1;
    std::vector<std::size_t> activity(n, 0);
    for (ActorId a = 0; a < n; ++a)
      for (std::int64_t t : time_[a]) activity[a] += t >= from_ && t <= to_;
    std::vector<ActorId> order;
    for (ActorId a = 0; a < n; ++a)
      if (candidate[a]) order.push_back(a);
    std::stable_sort(order.begin(), order.end(), [&](ActorId x, ActorId y) {
      if (on_witness[x] != on_witness[y]) return on_witness[x] > on_witness[y];
      const int gx = GroupRank(trace_.actor_groups[x]), gy = GroupRank(trace_.actor_groups[y]);
      if (gx != gy) return gx < gy;
      return activity[x] > activity[y];
    });
    const std::size_t limit = std::max<std::size_t>(opt_.max_lanes, 1);
    if (order.size() > limit) order.resize(limit);
    std::vector<char> shown(n, 0);
    for (ActorId a : order) shown[a] = 1;
    std::vector<ActorId> lanes = order;
    std::sort(lanes.begin(), lanes.end(), [&](ActorId x, ActorId y) {
      const int gx = GroupRank(trace_.actor_groups[x]), gy = GroupRank(trace_.actor_groups[y]);
      return gx != gy ? gx < gy : x < y;
    });
    lane_of_.assign(n, kNoLane);
    for (ActorId a : lanes) {
      lane_of_[a] = static_cast<std::uint32_t>(d_.lanes.size());
      d_.lanes.push_back({a, trace_.actor_names[a], trace_.actor_groups[a], 0});
    }
    std::vector<std::string> hidden;
    std::size_t hidden_in = 0;
    for (ActorId a = 0; a < n; ++a) {
      if (shown[a]) continue;
      hidden.push_back(trace_.actor_names[a]);
      hidden_in += trace_.actor_groups[a] == ActorGroup::kIn;
    }
    if (!hidden.empty()) {
      collapsed_lane_ = static_cast<std::uint32_t>(d_.lanes.size());
      Lane l;
      l.name = fmt::format("{} more", hidden.size());
      l.collapsed_actors = hidden.size();
      d_.lanes.push_back(l);
      for (ActorId a = 0; a < n; ++a)
        if (!shown[a]) lane_of_[a] = collapsed_lane_;
      d_.notes.push_back(fmt::format(
          "{} actor(s) without a lane of their own ({}; {}), drawn together on the bottom lane "
          "\"{}\": {}",
          hidden.size(), opt_.actors.empty() ? "--max-lanes" : "--actors",
          hidden_in ? fmt::format("{} in-group", hidden_in) : std::string("none in-group"), l.name,
          JoinFirst(hidden, 12)));
    }
    return std::nullopt;
  }

  bool Shown(ActorId a) const { return lane_of_[a] != kNoLane && lane_of_[a] != collapsed_lane_; }

  // Narrows the window around the chosen snapshot when it holds too many events.
  void ApplyBudget() {
    std::vector<std::int64_t> ts;
    for (ActorId a = 0; a < trace_.ActorCount(); ++a) {
      if (!Shown(a)) continue;
      for (std::int64_t t : time_[a])
        if (t >= from_ && t <= to_) ts.push_back(t);
    }
    std::sort(ts.begin(), ts.end());
    total_in_window_ = ts.size();
    if (opt_.max_events == 0 || ts.size() <= opt_.max_events) {
      window_times_ = std::move(ts);
      return;
    }
    std::int64_t fa = from_, fb = from_;
    if (chosen_ != kNoChoice) {
      std::vector<EventRef> focus;
      FocusOf(report_.snapshots[chosen_], focus);
      bool any = false;
      for (const EventRef& e : focus) {
        const std::int64_t t = T(e.actor, e.pos);
        if (t < from_ || t > to_) continue;
        fa = any ? std::min(fa, t) : t;
        fb = any ? std::max(fb, t) : t;
        any = true;
      }
    }
    const std::size_t n = ts.size();
    std::size_t lo = std::lower_bound(ts.begin(), ts.end(), fa) - ts.begin();
    std::size_t hi = std::upper_bound(ts.begin(), ts.end(), fb) - ts.begin();
    if (hi - lo < opt_.max_events) {
      std::size_t room = opt_.max_events - (hi - lo);
      const std::size_t left = std::min(lo, room / 2);
      lo -= left;
      room -= left;
      const std::size_t right = std::min(n - hi, room);
      hi += right;
      room -= right;
      lo -= std::min(lo, room);
    } else {
      d_.notes.push_back(fmt::format(
          "the chosen snapshot's cut and witness alone span {} events (more than --max-events {})",
          hi - lo, opt_.max_events));
    }
    if (hi <= lo) hi = lo + 1;
    const std::int64_t new_from = ts[lo], new_to = ts[hi - 1];
    d_.notes.push_back(fmt::format(
        "window narrowed from [{}, {}] to [{}, {}] around snapshot {} to stay within "
        "--max-events {}: {} of {} events in the requested window not drawn",
        FormatNs(from_), FormatNs(to_), FormatNs(new_from), FormatNs(new_to),
        chosen_ != kNoChoice ? fmt::format("{}", report_.snapshots[chosen_].id) : "(none)",
        opt_.max_events, n - (hi - lo), n));
    from_ = new_from;
    to_ = new_to;
    window_times_.assign(ts.begin() + lo, ts.begin() + hi);
  }

  void MakeAxis() {
    d_.axis =
        opt_.compress_gaps ? TimeAxis::Compressed(from_, to_, window_times_) : TimeAxis(from_, to_);
    if (!d_.axis.breaks().empty())
      d_.notes.push_back(fmt::format(
          "compressed time axis: {} idle gap(s) longer than {} drawn shortened (zigzag marks)",
          d_.axis.breaks().size(), FormatNs(std::max<std::int64_t>(1, (to_ - from_) / 50))));
  }

  bool InWindow(std::int64_t t) const { return t >= from_ && t <= to_; }

  void PlaceEvents() {
    for (ActorId a = 0; a < trace_.ActorCount(); ++a) {
      if (!Shown(a)) continue;
      const std::uint32_t lane = lane_of_[a];
      for (std::uint32_t p = 0; p < trace_.events[a].size(); ++p) {
        const std::int64_t t = T(a, p);
        if (!InWindow(t)) continue;
        const checker::Event& e = trace_.events[a][p];
        if (e.kind == EventKind::kSnapshot) {
          d_.marks.push_back({lane, d_.axis.Virtual(t), t, trace_.snapshot_ids[e.arg]});
        } else {
          d_.dots.push_back({lane, d_.axis.Virtual(t), t, e.kind});
        }
      }
    }
  }

  // The point of an event, clipped to the window along the segment a -> b.
  Point Clip(std::int64_t t, double y, std::int64_t t_other, double y_other, bool& clipped) const {
    clipped = !InWindow(t);
    if (!clipped) return {d_.axis.Virtual(t), y};
    const std::int64_t edge = t < from_ ? from_ : to_;
    const double f =
        t_other == t ? 0.0 : static_cast<double>(edge - t) / static_cast<double>(t_other - t);
    return {d_.axis.Virtual(edge), y + f * (y_other - y)};
  }

  void PlaceArrows() {
    for (std::uint32_t m = 0; m < trace_.messages.size(); ++m) {
      const checker::MessageInfo& info = trace_.messages[m];
      for (std::uint32_t h = info.first_hop; h != kNone && trace_.hops[h].next != kNone;
           h = trace_.hops[h].next) {
        const checker::Hop& x = trace_.hops[h];
        const checker::Hop& y = trace_.hops[x.next];
        const std::uint32_t la = lane_of_[x.actor], lb = lane_of_[y.actor];
        if (la == collapsed_lane_ && lb == collapsed_lane_) continue;
        if (la == kNoLane || lb == kNoLane) continue;
        const std::int64_t ta = T(x.actor, x.pos), tb = T(y.actor, y.pos);
        if (std::max(ta, tb) < from_ || std::min(ta, tb) > to_) continue;
        Arrow ar;
        ar.a = Clip(ta, la, tb, lb, ar.clipped_a);
        ar.b = Clip(tb, lb, ta, la, ar.clipped_b);
        ar.control = info.control;
        ar.msg = m;
        ar.t1 = ta;
        ar.t2 = tb;
        ar.title = fmt::format("{}{} {} -> {}, {} -> {}", trace_.MessageName(m),
                               info.control ? " (control)" : "", trace_.actor_names[x.actor],
                               trace_.actor_names[y.actor], FormatNs(ta), FormatNs(tb));
        arrows_of_[m].push_back(d_.arrows.size());
        d_.arrows.push_back(std::move(ar));
      }
    }
  }

  void PlaceOverlays() {
    const auto& snaps = report_.snapshots;
    if (snaps.empty()) {
      d_.notes.push_back("the trace has no snapshots");
      return;
    }
    std::vector<std::size_t> which;
    if (opt_.all_snapshots) {
      std::size_t skipped = 0;
      for (std::size_t i = 0; i < snaps.size(); ++i) {
        bool in = i == chosen_;
        auto it = snap_index_.find(snaps[i].id);
        if (!in && it != snap_index_.end())
          for (const EventRef& e : snap_events_[it->second]) in |= InWindow(T(e.actor, e.pos));
        if (!in) continue;
        if (which.size() >= opt_.max_overlays && i != chosen_) {
          ++skipped;
          continue;
        }
        which.push_back(i);
      }
      if (skipped)
        d_.notes.push_back(fmt::format(
            "{} more snapshot(s) in the window cannot be chosen on this page (limit {})", skipped,
            opt_.max_overlays));
      const std::size_t outside = snaps.size() - which.size() - skipped;
      if (outside)
        d_.notes.push_back(
            fmt::format("{} snapshot(s) with no cut point in the window are not listed", outside));
    } else {
      which.push_back(chosen_);
    }
    for (std::size_t i : which) {
      if (i == chosen_) d_.selected = d_.overlays.size();
      d_.overlays.push_back(Overlay(snaps[i]));
    }
  }

  double LaneY(ActorId a) const { return static_cast<double>(lane_of_[a]); }

  SnapshotOverlay Overlay(const SnapshotReport& s) {
    SnapshotOverlay o;
    o.report = s;
    o.verdict = checker::Classify(s);
    // The cut.
    auto it = snap_index_.find(s.id);
    std::vector<std::string> cut_hidden, cut_outside;
    std::unordered_map<ActorId, double> cut_v;
    if (it != snap_index_.end()) {
      for (const EventRef& e : snap_events_[it->second]) {
        const std::int64_t t = T(e.actor, e.pos);
        if (!Shown(e.actor)) {
          cut_hidden.push_back(trace_.actor_names[e.actor]);
          continue;
        }
        CutPoint c{lane_of_[e.actor], d_.axis.Virtual(t), t, t < from_ ? -1 : (t > to_ ? 1 : 0)};
        if (c.outside)
          cut_outside.push_back(fmt::format("{} at {}", trace_.actor_names[e.actor], FormatNs(t)));
        cut_v[e.actor] = c.v;
        o.cut.push_back(c);
      }
    }
    std::sort(o.cut.begin(), o.cut.end(),
              [](const CutPoint& x, const CutPoint& y) { return x.lane < y.lane; });
    if (!cut_hidden.empty())
      o.notes.push_back(
          fmt::format("cut points on actors without a lane: {}", JoinFirst(cut_hidden, 8)));
    if (!cut_outside.empty())
      o.notes.push_back(fmt::format("cut points outside the window (drawn at its edge): {}",
                                    JoinFirst(cut_outside, 8)));
    // The witness.
    const std::vector<EventRef> path = LocateWitness(trace_, s.witness);
    std::size_t outside = 0;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const EventRef& e = path[i];
      const std::int64_t t = T(e.actor, e.pos);
      WitnessStep st;
      st.number = static_cast<std::uint32_t>(i + 1);
      st.lane = lane_of_[e.actor];
      st.v = d_.axis.Virtual(t);
      st.t = t;
      st.in_window = InWindow(t);
      st.text = s.witness[i];
      outside += !st.in_window;
      o.steps.push_back(std::move(st));
      if (i == 0) continue;
      const EventRef& p = path[i - 1];
      const std::int64_t tp = T(p.actor, p.pos);
      if (std::max(tp, t) < from_ || std::min(tp, t) > to_) continue;
      WitnessSegment seg;
      bool c1 = false, c2 = false;
      seg.a = Clip(tp, LaneY(p.actor), t, LaneY(e.actor), c1);
      seg.b = Clip(t, LaneY(e.actor), tp, LaneY(p.actor), c2);
      seg.along_lane = p.actor == e.actor;
      const checker::Event& ev = trace_.events[e.actor][e.pos];
      if (!seg.along_lane && ev.kind != EventKind::kSnapshot && ev.kind != EventKind::kInternal)
        seg.label = trace_.MessageName(ev.arg);
      o.segments.push_back(std::move(seg));
    }
    if (path.size() < s.witness.size())
      o.notes.push_back("part of the witness names events not found in the trace");
    if (outside)
      o.notes.push_back(
          fmt::format("{} of {} witness event(s) lie outside the window", outside, path.size()));
    // Recorded channel states (and the checker's complaints about them), at
    // the receiver's cut point.
    std::vector<std::string> unplaced;
    std::unordered_set<std::string> labelled;
    auto place = [&](ActorId to, ChannelLabel label) {
      auto cv = cut_v.find(to);
      if (to == kNoActor || !Shown(to) || cv == cut_v.end()) {
        unplaced.push_back(label.text);
        return;
      }
      label.lane = lane_of_[to];
      label.v = cv->second;
      o.channels.push_back(std::move(label));
    };
    auto error_of = [&](const std::string& chan) {
      for (const std::string& e : s.channel_errors)
        if (e.rfind(chan + ":", 0) == 0) return e.substr(chan.size() + 1);
      return std::string();
    };
    for (const checker::ChannelStateRecord& r : trace_.channel_states) {
      if (r.id != s.id) continue;
      const std::string chan =
          fmt::format("{}->{}", trace_.actor_names[r.from], trace_.actor_names[r.to]);
      const std::string error = error_of(chan);
      labelled.insert(chan);
      if (r.msgs.empty() && error.empty()) continue;
      std::vector<std::string> names;
      for (std::uint64_t key : r.msgs) {
        const auto m = static_cast<std::uint32_t>(key);
        names.push_back(trace_.MessageName(m));
        auto a = arrows_of_.find(m);
        if (a != arrows_of_.end())
          o.channel_arrows.insert(o.channel_arrows.end(), a->second.begin(), a->second.end());
      }
      ChannelLabel label;
      label.text = fmt::format("{}: {{{}}}", chan, JoinFirst(names, 6));
      label.wrong = !error.empty();
      if (label.wrong) label.text += " WRONG:" + error;
      place(r.to, std::move(label));
    }
    for (const std::string& e : s.channel_errors) {
      const std::string chan = e.substr(0, e.find(':'));
      if (labelled.count(chan)) continue;
      ActorId to = kNoActor;
      const std::size_t arrow = chan.find("->");
      if (arrow != std::string::npos) {
        const std::string to_name = chan.substr(arrow + 2);
        for (ActorId a = 0; a < trace_.ActorCount(); ++a)
          if (trace_.actor_names[a] == to_name) to = a;
      }
      ChannelLabel label;
      label.text = chan + ": WRONG:" + e.substr(chan.size() + 1);
      label.wrong = true;
      place(to, std::move(label));
    }
    if (!unplaced.empty())
      o.notes.push_back("channel states not placed on a lane: " + JoinFirst(unplaced, 6));
    // The view to open the page at for this snapshot.
    double lo = d_.axis.Span(), hi = 0;
    for (const CutPoint& c : o.cut)
      if (!c.outside) lo = std::min(lo, c.v), hi = std::max(hi, c.v);
    for (const WitnessStep& st : o.steps)
      if (st.in_window) lo = std::min(lo, st.v), hi = std::max(hi, st.v);
    if (hi < lo) {
      o.focus_v0 = 0;
      o.focus_v1 = d_.axis.Span();
    } else {
      const double pad = std::max((hi - lo) * 1.5, d_.axis.Span() / 100);
      o.focus_v0 = std::max(0.0, lo - pad);
      o.focus_v1 = std::min(d_.axis.Span(), hi + pad);
    }
    return o;
  }

  void WriteNotes() {
    if (d_.logical_time)
      d_.notes.insert(d_.notes.begin(),
                      "some events have no time (\"t\"): the axis is the checker's topological "
                      "order, not time");
    if (from_ > d_.trace_from || to_ < d_.trace_to) {
      std::size_t all = 0;
      for (ActorId a = 0; a < trace_.ActorCount(); ++a) all += time_[a].size();
      d_.notes.push_back(
          fmt::format("window [{}, {}] of the trace's [{}, {}]: {} of {} events shown",
                      FormatNs(from_), FormatNs(to_), FormatNs(d_.trace_from),
                      FormatNs(d_.trace_to), d_.dots.size() + d_.marks.size(), all));
    }
  }

  static constexpr std::size_t kNoChoice = static_cast<std::size_t>(-1);

  const CompactTrace& trace_;
  const CheckReport& report_;
  const LineTimes& times_;
  const DrawOptions& opt_;
  Diagram d_;
  std::vector<std::vector<std::int64_t>> time_;
  std::vector<std::vector<EventRef>> snap_events_;
  std::unordered_map<SnapshotId, std::uint32_t> snap_index_;
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> arrows_of_;
  std::size_t chosen_ = kNoChoice;
  std::int64_t from_ = 0, to_ = 0;
  std::vector<std::uint32_t> lane_of_;
  std::uint32_t collapsed_lane_ = kNoLane;
  std::size_t total_in_window_ = 0;
  std::vector<std::int64_t> window_times_;
};

}  // namespace

std::variant<Diagram, std::string> BuildDiagram(const CompactTrace& trace,
                                                const CheckReport& report, const LineTimes& times,
                                                const DrawOptions& options) {
  return Builder(trace, report, times, options).Build();
}

}  // namespace snapsim::viz
