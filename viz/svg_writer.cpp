#include "viz/svg_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace snapsim::viz {
namespace {

const char* kStyle = R"(
text{font-family:Helvetica,Arial,sans-serif;font-size:11px;fill:#222}
.title{font-size:14px;font-weight:bold}
.band-in{fill:#eef4fb}.band-gateway{fill:#fdf6e3}.band-controller{fill:#f3eefa}
.band-out{fill:#f4f4f4}.band-other{fill:#ececec}
.group{font-size:9px;fill:#777;letter-spacing:1px}
.lane{stroke:#9aa;stroke-width:1}
.lname{font-size:12px;font-weight:bold}
.axis{stroke:#444;stroke-width:1}.tick{font-size:10px;fill:#444}
.brk{stroke:#bbb;stroke-dasharray:2 3}.brkl{font-size:9px;fill:#888}
.m{stroke:#4a6fa5;stroke-width:1;marker-end:url(#ah)}
.m.c{stroke:#a0a0a0;stroke-dasharray:4 3;marker-end:url(#ahc)}
.m.cl{marker-end:none}
.d{fill:#4a6fa5}.d.f{fill:#b58900}.d.i{fill:#fff;stroke:#888}
.mk{fill:#9b8fb5;stroke:#fff;stroke-width:0.5}.mk.sel{fill:#6a3d9a}
.mkl{font-size:9px;fill:#6a3d9a}
.cut{fill:none;stroke:#6a3d9a;stroke-width:2.5;stroke-opacity:0.85;stroke-linejoin:round}
.chm{stroke:#139c9c;stroke-width:2.5;marker-end:url(#ahs)}
.chl{font-size:10px;fill:#0e7c7c;font-weight:bold;paint-order:stroke;stroke:#fff;stroke-width:3px}.chl.bad{fill:#b00020}
.w{stroke:#e4002b;stroke-width:3;marker-end:url(#ahw)}.w.al{marker-end:none;stroke-opacity:0.7}
.wn{fill:#e4002b}.wt{font-size:10px;fill:#fff;font-weight:bold}
.wl{font-size:10px;fill:#b00020;font-weight:bold;paint-order:stroke;stroke:#fff;stroke-width:3px}
.cap{font-size:12px}.cap.bad{fill:#b00020;font-weight:bold}.note{font-size:11px;fill:#555}
.legend{font-size:10px;fill:#444}
)";

std::string F(double x) { return fmt::format("{:.1f}", x); }

const char* GroupClass(const Lane& l) {
  if (l.collapsed_actors) return "other";
  switch (l.group) {
    case ActorGroup::kIn:
      return "in";
    case ActorGroup::kGateway:
      return "gateway";
    case ActorGroup::kController:
      return "controller";
    case ActorGroup::kOut:
      return "out";
  }
  return "other";
}

const char* GroupTitle(const Lane& l) {
  if (l.collapsed_actors) return "OTHERS";
  switch (l.group) {
    case ActorGroup::kIn:
      return "IN-GROUP";
    case ActorGroup::kGateway:
      return "GATEWAYS";
    case ActorGroup::kController:
      return "CONTROLLER";
    case ActorGroup::kOut:
      return "OUT-GROUP";
  }
  return "";
}

// Wraps text into lines of at most `width` characters at spaces.
std::vector<std::string> Wrap(const std::string& text, std::size_t width) {
  std::vector<std::string> out;
  std::string line;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    const std::string word = text.substr(i, j - i);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out.push_back(line);
      line = "    " + word;
    } else {
      line += (line.empty() ? "" : " ") + word;
    }
    i = j + 1;
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

struct Caption {
  std::string text;
  const char* cls;
};

class Writer {
 public:
  Writer(const Diagram& d, const SvgOptions& opt, std::ostream& out)
      : d_(d), opt_(opt), out_(out) {}

  void Write() {
    if (!opt_.interactive) BuildCaptions();
    g_ = ComputeGeometry(d_, opt_, static_cast<int>(captions_.size()));
    out_ << fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"diagram\" width=\"{}\" height=\"{}\" "
        "viewBox=\"0 0 {} {}\" data-left=\"{}\" data-plot-width=\"{}\">\n",
        g_.width, g_.height, g_.width, g_.height, g_.left, g_.plot_width);
    out_ << "<style>" << kStyle << "</style>\n";
    Defs();
    out_ << fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>\n",
                        g_.width, g_.height);
    Header();
    Lanes();
    out_ << "<g clip-path=\"url(#plot)\">\n";
    Breaks();
    Arrows();
    Dots();
    Marks();
    for (std::size_t i = 0; i < d_.overlays.size(); ++i) {
      if (!opt_.interactive && i != d_.selected) continue;
      Overlay(d_.overlays[i], i == d_.selected);
    }
    out_ << "</g>\n";
    Axis();
    Captions();
    out_ << "</svg>\n";
  }

 private:
  double X(double v) const { return g_.left + v / d_.axis.Span() * g_.plot_width; }
  double Y(double lane) const { return g_.top + (lane + 0.5) * g_.lane_height; }

  // Attributes giving an element's x from virtual time (interactive mode).
  std::string V(const char* attr, double v, double dx = 0) const {
    if (!opt_.interactive) return "";
    return dx == 0 ? fmt::format(" data-a=\"{}\" data-v=\"{}\"", attr, F(v))
                   : fmt::format(" data-a=\"{}\" data-v=\"{}\" data-dx=\"{}\"", attr, F(v), dx);
  }
  std::string V2(double v1, double v2) const {
    if (!opt_.interactive) return "";
    return fmt::format(" data-v1=\"{}\" data-v2=\"{}\"", F(v1), F(v2));
  }

  void Defs() {
    out_ << "<defs>\n";
    for (auto [id, color, size] :
         {std::tuple{"ah", "#4a6fa5", 6}, std::tuple{"ahc", "#a0a0a0", 6},
          std::tuple{"ahw", "#e4002b", 5}, std::tuple{"ahs", "#139c9c", 5}}) {
      out_ << fmt::format(
          "<marker id=\"{}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"{}\" "
          "markerHeight=\"{}\" orient=\"auto-start-reverse\" markerUnits=\"strokeWidth\">"
          "<path d=\"M0,0L10,5L0,10z\" fill=\"{}\"/></marker>\n",
          id, size, size, color);
    }
    out_ << fmt::format(
        "<clipPath id=\"plot\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n",
        g_.left - 4, g_.top - 30,
        // The page zooms: clip at the plot's edges. A standalone drawing
        // keeps the right margin for channel-state labels.
        g_.plot_width + (opt_.interactive ? 8 : g_.right), g_.plot_bottom - g_.top + 30);
    out_ << "</defs>\n";
  }

  void Header() {
    std::string title = d_.title;
    if (!opt_.interactive && !d_.overlays.empty())
      title += " - " + OverlaySummary(d_, d_.overlays[d_.selected]);
    out_ << fmt::format("<text class=\"title\" x=\"10\" y=\"20\">{}</text>\n", XmlEscape(title));
    // Legend.
    double x = g_.left;
    const double y = 44;
    auto item = [&](const std::string& shape, const char* label) {
      out_ << shape;
      out_ << fmt::format("<text class=\"legend\" x=\"{}\" y=\"{}\">{}</text>\n", F(x + 30),
                          F(y + 4), label);
      x += 40 + 6.0 * std::char_traits<char>::length(label);
    };
    item(fmt::format("<line class=\"m\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", F(x), F(y),
                     F(x + 24), F(y)),
         "message");
    item(fmt::format("<line class=\"m c\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", F(x), F(y),
                     F(x + 24), F(y)),
         "control message");
    item(fmt::format("<rect class=\"mk sel\" x=\"{}\" y=\"{}\" width=\"5\" height=\"16\"/>",
                     F(x + 10), F(y - 8)),
         "local snapshot");
    item(fmt::format("<line class=\"cut\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", F(x + 12),
                     F(y - 8), F(x + 12), F(y + 8)),
         "cut");
    item(fmt::format("<line class=\"w\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", F(x), F(y),
                     F(x + 24), F(y)),
         "witness chain (inconsistent)");
    item(fmt::format("<line class=\"chm\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", F(x), F(y),
                     F(x + 24), F(y)),
         "recorded channel state");
  }

  void Lanes() {
    const auto& lanes = d_.lanes;
    for (std::size_t i = 0; i < lanes.size();) {
      std::size_t j = i;
      while (j < lanes.size() && std::string(GroupClass(lanes[j])) == GroupClass(lanes[i])) ++j;
      const double y0 = g_.top + i * g_.lane_height, y1 = g_.top + j * g_.lane_height;
      out_ << fmt::format(
          "<rect class=\"band-{}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>\n"
          "<text class=\"group\" x=\"4\" y=\"{}\">{}</text>\n",
          GroupClass(lanes[i]), F(y0), g_.left + g_.plot_width + g_.right, F(y1 - y0), F(y0 + 10),
          GroupTitle(lanes[i]));
      i = j;
    }
    for (std::size_t i = 0; i < lanes.size(); ++i) {
      const double y = Y(static_cast<double>(i));
      out_ << fmt::format(
          "<line class=\"lane\" data-actor=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>"
          "<text class=\"lname\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n",
          XmlEscape(lanes[i].name), g_.left, F(y), g_.left + g_.plot_width, F(y), g_.left - 8,
          F(y + 4), XmlEscape(lanes[i].name));
    }
  }

  void Breaks() {
    for (const AxisBreak& b : d_.axis.breaks()) {
      const double v = (b.virt_begin + b.virt_end) / 2;
      out_ << fmt::format(
          "<line class=\"brk\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"{3}/>"
          "<text class=\"brkl\" x=\"{0}\" y=\"{4}\" text-anchor=\"middle\"{5}>+{6}</text>\n",
          F(X(v)), g_.top, g_.plot_bottom, V2(v, v), F(g_.top - 4), V("x", v),
          XmlEscape(FormatNs(b.real_end - b.real_begin)));
    }
  }

  void Arrows() {
    for (const Arrow& a : d_.arrows) {
      out_ << fmt::format(
          "<line class=\"m{}{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" "
          "y2=\"{}\"{}><title>{}</title></line>\n",
          a.control ? " c" : "", a.clipped_b ? " cl" : "", F(X(a.a.v)), F(Y(a.a.y)), F(X(a.b.v)),
          F(Y(a.b.y)), V2(a.a.v, a.b.v), XmlEscape(a.title));
    }
  }

  void Dots() {
    for (const Dot& d : d_.dots) {
      const char* cls = d.kind == checker::EventKind::kForward    ? "d f"
                        : d.kind == checker::EventKind::kInternal ? "d i"
                                                                  : "d";
      out_ << fmt::format("<circle class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"2.2\"{}/>\n", cls,
                          F(X(d.v)), F(Y(d.lane)), V("cx", d.v));
    }
  }

  void Marks() {
    const SnapshotId sel = d_.overlays.empty() ? 0 : d_.overlays[d_.selected].report.id;
    const bool labels = d_.marks.size() <= 80;
    for (const SnapMark& m : d_.marks) {
      out_ << fmt::format(
          "<rect class=\"mk{} s{}\" x=\"{}\" y=\"{}\" width=\"5\" height=\"18\"{}>"
          "<title>snapshot {} at {}, {}</title></rect>\n",
          m.id == sel ? " sel" : "", m.id, F(X(m.v) - 2.5), F(Y(m.lane) - 9), V("x", m.v, -2.5),
          m.id, XmlEscape(d_.lanes[m.lane].name), XmlEscape(FormatNs(m.t)));
      if (labels)
        out_ << fmt::format("<text class=\"mkl\" x=\"{}\" y=\"{}\"{}>#{}</text>\n", F(X(m.v) + 4),
                            F(Y(m.lane) + 14), V("x", m.v, 4), m.id);
    }
  }

  void Overlay(const SnapshotOverlay& o, bool selected) {
    out_ << fmt::format("<g class=\"overlay\" data-snapshot=\"{}\"{}>\n", o.report.id,
                        selected ? "" : " display=\"none\"");
    for (std::size_t i : o.channel_arrows) {
      const Arrow& a = d_.arrows[i];
      out_ << fmt::format("<line class=\"chm\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>\n",
                          F(X(a.a.v)), F(Y(a.a.y)), F(X(a.b.v)), F(Y(a.b.y)), V2(a.a.v, a.b.v));
    }
    if (!o.cut.empty()) {
      std::vector<Point> pts;
      pts.push_back({o.cut.front().v, o.cut.front().lane - 0.48});
      for (const CutPoint& c : o.cut) pts.push_back({c.v, static_cast<double>(c.lane)});
      pts.push_back({o.cut.back().v, o.cut.back().lane + 0.48});
      std::string points, vs;
      for (const Point& p : pts) {
        points += fmt::format("{},{} ", F(X(p.v)), F(Y(p.y)));
        vs += fmt::format("{},{} ", F(p.v), F(Y(p.y)));
      }
      out_ << fmt::format("<polyline class=\"cut\" points=\"{}\"{}/>\n", points,
                          opt_.interactive ? fmt::format(" data-vs=\"{}\"", vs) : "");
    }
    for (const WitnessSegment& s : o.segments) {
      out_ << fmt::format("<line class=\"w{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>\n",
                          s.along_lane ? " al" : "", F(X(s.a.v)), F(Y(s.a.y)), F(X(s.b.v)),
                          F(Y(s.b.y)), V2(s.a.v, s.b.v));
    }
    // Hop labels (the message) at the middle of each message hop, then the
    // numbered events on top; the caption lists the numbered events.
    for (const WitnessSegment& s : o.segments) {
      if (s.label.empty()) continue;
      const double v = (s.a.v + s.b.v) / 2, y = (Y(s.a.y) + Y(s.b.y)) / 2;
      out_ << fmt::format("<text class=\"wl\" x=\"{}\" y=\"{}\"{}>{}</text>\n", F(X(v) + 5),
                          F(y + 4), V("x", v, 5), XmlEscape(s.label));
    }
    // A number that would cover the previous one (same lane, a few px
    // apart) is lifted above the lane.
    double prev_x = -1e9;
    std::uint32_t prev_lane = kNoLane;
    for (const WitnessStep& st : o.steps) {
      if (!st.in_window || st.lane == kNoLane) continue;
      const double x = X(st.v);
      double y = Y(st.lane);
      if (st.lane == prev_lane && std::abs(x - prev_x) < 15) y -= 15;
      prev_x = x;
      prev_lane = st.lane;
      out_ << fmt::format(
          "<g class=\"ws\"><circle class=\"wn\" cx=\"{}\" cy=\"{}\" r=\"7\"{}/>"
          "<text class=\"wt\" x=\"{}\" y=\"{}\" text-anchor=\"middle\"{}>{}</text>"
          "<title>({}) {} at {}</title></g>\n",
          F(x), F(y), V("cx", st.v), F(x), F(y + 3.5), V("x", st.v), st.number, st.number,
          XmlEscape(st.text), XmlEscape(FormatNs(st.t)));
    }
    // Channel states in a column right of the cut, at the receiver's lane.
    double cut_right = 0;
    for (const CutPoint& c : o.cut) cut_right = std::max(cut_right, c.v);
    // One line per receiver: "p5->p1: {m3}  p4->p1: {m7}".
    std::map<std::uint32_t, std::pair<std::string, bool>> per_lane;
    for (const ChannelLabel& c : o.channels) {
      auto& [text, wrong] = per_lane[c.lane];
      text += (text.empty() ? "" : "   ") + c.text;
      wrong |= c.wrong;
    }
    for (const auto& [lane, label] : per_lane) {
      out_ << fmt::format("<text class=\"chl{}\" x=\"{}\" y=\"{}\"{}>{}</text>\n",
                          label.second ? " bad" : "", F(X(cut_right) + 14), F(Y(lane) - 5),
                          V("x", cut_right, 14), XmlEscape(label.first));
    }
    out_ << "</g>\n";
  }

  void Axis() {
    const double y = g_.plot_bottom + 6;
    out_ << fmt::format(
        "<g id=\"axis\"><line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", g_.left,
        F(y), g_.left + g_.plot_width, F(y));
    for (const AxisTick& t : d_.axis.Ticks(10)) {
      out_ << fmt::format(
          "<line class=\"axis\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>"
          "<text class=\"tick\" x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
          F(X(t.v)), F(y), F(y + 5), F(y + 17), XmlEscape(t.label));
    }
    for (const AxisBreak& b : d_.axis.breaks()) {
      const double x = X((b.virt_begin + b.virt_end) / 2);
      out_ << fmt::format(
          "<path d=\"M{},{}l3,-5l3,10l3,-5\" fill=\"none\" stroke=\"#444\" "
          "stroke-width=\"1.5\"/>\n",
          F(x - 4.5), F(y));
    }
    out_ << fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">{}</text></g>\n",
                        g_.left + g_.plot_width + 8, F(y + 4), d_.logical_time ? "order" : "time");
  }

  void BuildCaptions() {
    const std::size_t width =
        static_cast<std::size_t>((g_.left + opt_.plot_width_px + g_.right) / 6.6);
    auto add = [&](const std::string& text, const char* cls) {
      for (const std::string& line : Wrap(text, width)) captions_.push_back({line, cls});
    };
    if (!d_.overlays.empty()) {
      const SnapshotOverlay& o = d_.overlays[d_.selected];
      add(OverlaySummary(d_, o), o.report.consistent ? "cap" : "cap bad");
      if (!o.report.witness.empty()) {
        std::string w = "witness:";
        for (std::size_t i = 0; i < o.report.witness.size(); ++i)
          w += fmt::format(" ({}) {}{}", i + 1, o.report.witness[i],
                           i + 1 < o.report.witness.size() ? " ->" : "");
        add(w, "cap");
      } else if (!o.report.consistent) {
        add("witness: none recorded", "cap");
      }
      for (const std::string& e : o.report.channel_errors) add("channel " + e, "cap");
      for (const std::string& n : o.notes) add("note: " + n, "note");
    }
    for (const std::string& n : d_.notes) add("note: " + n, "note");
  }

  void Captions() {
    double y = g_.plot_bottom + 44;
    for (const Caption& c : captions_) {
      out_ << fmt::format("<text class=\"{}\" x=\"10\" y=\"{}\" xml:space=\"preserve\">{}</text>\n",
                          c.cls, F(y), XmlEscape(c.text));
      y += 16;
    }
  }

  const Diagram& d_;
  const SvgOptions& opt_;
  std::ostream& out_;
  SvgGeometry g_;
  std::vector<Caption> captions_;
};

}  // namespace

SvgGeometry ComputeGeometry(const Diagram& d, const SvgOptions& opt, int caption_lines) {
  SvgGeometry g;
  g.plot_width = opt.plot_width_px;
  g.lane_height = opt.lane_height_px;
  g.plot_bottom = g.top + static_cast<int>(d.lanes.size()) * g.lane_height;
  g.width = g.left + g.plot_width + g.right;
  g.height = g.plot_bottom + 36 + caption_lines * 16 + 12;
  return g;
}

void WriteSvg(const Diagram& d, const SvgOptions& opt, std::ostream& out) {
  Writer(d, opt, out).Write();
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string OverlaySummary(const Diagram& d, const SnapshotOverlay& o) {
  const checker::SnapshotReport& r = o.report;
  std::string chan = !r.channel_state_ok ? "n/a" : (*r.channel_state_ok ? "ok" : "wrong");
  return fmt::format("snapshot {}: {} ({}, {}), {}/{} recorded{}, channel states {}", r.id,
                     o.verdict,
                     r.unfinished    ? "unfinished"
                     : r.has_verdict ? (r.accepted ? "accepted" : "rejected")
                                     : "no verdict",
                     r.consistent ? "consistent" : "inconsistent", r.processes_recorded,
                     d.in_group_processes, r.complete ? "" : " (incomplete)", chan);
}

}  // namespace snapsim::viz
