#include "viz/html_writer.h"

#include <nlohmann/json.hpp>

namespace snapsim::viz {
namespace {

const char* kCss = R"(
body{font-family:Helvetica,Arial,sans-serif;margin:12px;color:#222}
#controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:8px}
#controls input{width:7em}
#status{margin:6px 0 10px 0;font-size:13px}
#status .sum{font-weight:bold}#status .bad{color:#b00020}
#status ol{margin:4px 0 4px 0;padding-left:28px}
#wrap{overflow:auto;border:1px solid #ccc}
#notes{font-size:12px;color:#555}
button{min-width:2.2em}
)";

const char* kScript = R"JS(
(function () {
  const D = JSON.parse(document.getElementById('data').textContent);
  const svg = document.getElementById('diagram');
  const sel = document.getElementById('snap');
  const fromIn = document.getElementById('from'), toIn = document.getElementById('to');
  const byV = svg.querySelectorAll('[data-v]'), byV2 = svg.querySelectorAll('[data-v1]');
  const byVs = svg.querySelectorAll('[data-vs]'), overlays = svg.querySelectorAll('g.overlay');
  const marks = svg.querySelectorAll('rect.mk');
  const axis = document.getElementById('axis');
  const axisY = +axis.querySelector('line').getAttribute('y1');
  let v0 = 0, v1 = D.span, current = null;

  function X(v) { return D.left + (v - v0) / (v1 - v0) * D.plotWidth; }
  function virt(t) {
    t = Math.min(Math.max(t, D.from), D.to);
    for (const s of D.segments) if (t >= s[0] && t <= s[1]) return s[2] + (t - s[0]);
    for (const b of D.breaks)
      if (t >= b[0] && t <= b[1]) return b[2] + (t - b[0]) / Math.max(b[1] - b[0], 1) * (b[3] - b[2]);
    return D.span;
  }
  function real(v) {
    for (const s of D.segments) if (v >= s[2] && v <= s[2] + (s[1] - s[0])) return s[0] + (v - s[2]);
    for (const b of D.breaks)
      if (v >= b[2] && v <= b[3]) return b[0] + (v - b[2]) / Math.max(b[3] - b[2], 1e-9) * (b[1] - b[0]);
    return v <= 0 ? D.from : D.to;
  }
  function fmtNs(ns) {
    ns = Math.round(ns);
    if (D.logical) return String(ns);
    const a = Math.abs(ns);
    const f = (d, u) => String(+(ns / d).toFixed(3)) + u;
    if (a < 1e3) return ns + 'ns';
    if (a < 1e6) return f(1e3, 'us');
    if (a < 1e9) return f(1e6, 'ms');
    return f(1e9, 's');
  }
  function parseNs(text) {
    const m = /^\s*(-?[0-9.]+(?:e[0-9]+)?)\s*(ns|us|ms|s)?\s*$/.exec(text || '');
    if (!m) return null;
    const mult = {ns: 1, us: 1e3, ms: 1e6, s: 1e9}[m[2] || 'ns'];
    return parseFloat(m[1]) * mult;
  }
  function drawAxis() {
    const NS = 'http://www.w3.org/2000/svg';
    while (axis.childNodes.length > 1) axis.removeChild(axis.lastChild);
    const raw = (v1 - v0) / 10;
    let step = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    for (const m of [1, 2, 5, 10]) if (step * m >= raw) { step *= m; break; }
    let n = 0;
    for (const s of D.segments) {
      const lo = Math.max(s[0], real(v0)), hi = Math.min(s[1], real(v1));
      for (let t = Math.ceil(lo / step) * step; t <= hi && n < 200; t += step, ++n) {
        const x = X(s[2] + (t - s[0]));
        const l = document.createElementNS(NS, 'line');
        l.setAttribute('class', 'axis');
        l.setAttribute('x1', x); l.setAttribute('x2', x);
        l.setAttribute('y1', axisY); l.setAttribute('y2', axisY + 5);
        const tx = document.createElementNS(NS, 'text');
        tx.setAttribute('class', 'tick'); tx.setAttribute('x', x); tx.setAttribute('y', axisY + 17);
        tx.setAttribute('text-anchor', 'middle');
        tx.textContent = t === 0 ? '0' : fmtNs(t);
        axis.appendChild(l); axis.appendChild(tx);
      }
    }
  }
  function layout() {
    for (const el of byV) el.setAttribute(el.dataset.a, X(+el.dataset.v) + +(el.dataset.dx || 0));
    for (const el of byV2) {
      el.setAttribute('x1', X(+el.dataset.v1));
      el.setAttribute('x2', X(+el.dataset.v2));
    }
    for (const el of byVs) {
      el.setAttribute('points', el.dataset.vs.trim().split(' ').map(function (p) {
        const q = p.split(',');
        return X(+q[0]) + ',' + q[1];
      }).join(' '));
    }
    drawAxis();
    fromIn.value = fmtNs(real(v0));
    toIn.value = fmtNs(real(v1));
  }
  function setView(a, b) {
    a = Math.max(0, a); b = Math.min(D.span, b);
    if (b - a < 1) { const c = (a + b) / 2; a = c - 0.5; b = c + 0.5; }
    v0 = a; v1 = b;
    layout();
  }
  function zoom(f, center) {
    const c = center === undefined ? (v0 + v1) / 2 : center;
    setView(c - (c - v0) * f, c + (v1 - c) * f);
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  }
  function select(id) {
    const snap = D.snapshots.find(s => String(s.id) === String(id));
    if (!snap) return false;
    current = snap.id;
    for (const g of overlays) {
      if (g.dataset.snapshot === String(snap.id)) g.removeAttribute('display');
      else g.setAttribute('display', 'none');
    }
    for (const m of marks) m.classList.toggle('sel', m.classList.contains('s' + snap.id));
    sel.value = String(snap.id);
    let h = '<div class="sum' + (snap.consistent ? '' : ' bad') + '">' + esc(snap.summary) + '</div>';
    if (snap.witness.length) {
      h += 'witness chain:<ol>' + snap.witness.map(w => '<li>' + esc(w) + '</li>').join('') + '</ol>';
    }
    for (const e of snap.channel_errors) h += '<div class="bad">channel ' + esc(e) + '</div>';
    for (const n of snap.notes) h += '<div>note: ' + esc(n) + '</div>';
    document.getElementById('status').innerHTML = h;
    document.body.dataset.snapshot = String(snap.id);
    return true;
  }
  function focus() {
    const snap = D.snapshots.find(s => s.id === current);
    if (snap) setView(snap.view[0], snap.view[1]);
  }
  function fromHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    const before = current;
    if (!(p.get('snapshot') && select(p.get('snapshot'))) && current === null) select(D.selected);
    const a = parseNs(p.get('from')), b = parseNs(p.get('to'));
    if (a !== null || b !== null) {
      setView(a !== null ? virt(a) : v0, b !== null ? virt(b) : v1);
    } else if (current !== before) {
      focus();
    }
  }
  function toHash() {
    history.replaceState(null, '', '#snapshot=' + current);
  }
  for (const s of D.snapshots) {
    const o = document.createElement('option');
    o.value = String(s.id);
    o.textContent = s.id + ' - ' + s.verdict;
    sel.appendChild(o);
  }
  sel.addEventListener('change', () => { select(sel.value); focus(); toHash(); });
  function step(d) {
    const i = D.snapshots.findIndex(s => s.id === current);
    const j = i + d;
    if (j >= 0 && j < D.snapshots.length) { select(D.snapshots[j].id); focus(); toHash(); }
  }
  document.getElementById('prev').onclick = () => step(-1);
  document.getElementById('next').onclick = () => step(1);
  document.getElementById('zin').onclick = () => zoom(0.5);
  document.getElementById('zout').onclick = () => zoom(2);
  document.getElementById('left').onclick = () => { const w = v1 - v0; setView(v0 - w / 4, v1 - w / 4); };
  document.getElementById('right').onclick = () => { const w = v1 - v0; setView(v0 + w / 4, v1 + w / 4); };
  document.getElementById('reset').onclick = () => setView(0, D.span);
  document.getElementById('focus').onclick = focus;
  document.getElementById('apply').onclick = () => {
    const a = parseNs(fromIn.value), b = parseNs(toIn.value);
    if (a !== null && b !== null && b > a) setView(virt(a), virt(b));
  };
  svg.addEventListener('wheel', function (e) {
    const r = svg.getBoundingClientRect();
    const x = (e.clientX - r.left) * (svg.viewBox.baseVal.width / r.width);
    if (x < D.left || x > D.left + D.plotWidth) return;
    e.preventDefault();
    zoom(e.deltaY > 0 ? 1.25 : 0.8, v0 + (x - D.left) / D.plotWidth * (v1 - v0));
  }, {passive: false});
  let drag = null;
  svg.addEventListener('mousedown', e => { drag = {x: e.clientX, a: v0, b: v1}; });
  window.addEventListener('mouseup', () => { drag = null; });
  window.addEventListener('mousemove', function (e) {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const dv = (e.clientX - drag.x) * (svg.viewBox.baseVal.width / r.width) / D.plotWidth * (drag.b - drag.a);
    const w = drag.b - drag.a;
    let a = drag.a - dv;
    a = Math.min(Math.max(0, a), D.span - w);
    v0 = a; v1 = a + w;
    layout();
  });
  window.addEventListener('hashchange', fromHash);
  layout();
  fromHash();
  document.body.dataset.ready = '1';
})();
)JS";

std::string ScriptSafe(std::string s) {
  // "</" would end the <script> element early.
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

void WriteHtml(const Diagram& d, const SvgOptions& svg, std::ostream& out) {
  SvgOptions opt = svg;
  opt.interactive = true;
  const SvgGeometry g = ComputeGeometry(d, opt, 0);
  using nlohmann::json;
  json data;
  data["left"] = g.left;
  data["plotWidth"] = g.plot_width;
  data["span"] = d.axis.Span();
  data["from"] = d.axis.from();
  data["to"] = d.axis.to();
  data["logical"] = d.logical_time;
  json segs = json::array(), breaks = json::array();
  for (const AxisSegment& s : d.axis.segments())
    segs.push_back({s.real_begin, s.real_end, s.virt_begin});
  for (const AxisBreak& b : d.axis.breaks())
    breaks.push_back({b.real_begin, b.real_end, b.virt_begin, b.virt_end});
  data["segments"] = segs;
  data["breaks"] = breaks;
  json snaps = json::array();
  for (const SnapshotOverlay& o : d.overlays) {
    snaps.push_back({{"id", o.report.id},
                     {"verdict", o.verdict},
                     {"consistent", o.report.consistent},
                     {"summary", OverlaySummary(d, o)},
                     {"witness", o.report.witness},
                     {"channel_errors", o.report.channel_errors},
                     {"notes", o.notes},
                     {"view", {o.focus_v0, o.focus_v1}}});
  }
  data["snapshots"] = snaps;
  data["selected"] = d.overlays.empty() ? json(nullptr) : json(d.overlays[d.selected].report.id);

  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
      << XmlEscape(d.title) << "</title>\n<style>" << kCss << "</style></head>\n<body>\n";
  out << "<h3>" << XmlEscape(d.title) << "</h3>\n";
  out << "<div id=\"controls\">snapshot <select id=\"snap\"></select>"
         "<button id=\"prev\" title=\"previous snapshot\">&lt;</button>"
         "<button id=\"next\" title=\"next snapshot\">&gt;</button>"
         "&nbsp; window <input id=\"from\"> to <input id=\"to\"> <button id=\"apply\">show</button>"
         "<button id=\"zin\" title=\"zoom in\">+</button><button id=\"zout\" title=\"zoom "
         "out\">-</button><button id=\"left\">&#9664;</button><button "
         "id=\"right\">&#9654;</button><button id=\"reset\">whole window</button><button "
         "id=\"focus\">snapshot</button>"
         "<span style=\"color:#777;font-size:12px\">(wheel zooms, drag pans)</span></div>\n";
  out << "<div id=\"status\"></div>\n<div id=\"wrap\">\n";
  WriteSvg(d, opt, out);
  out << "</div>\n<div id=\"notes\">";
  for (const std::string& n : d.notes) out << "<p>note: " << XmlEscape(n) << "</p>\n";
  out << "</div>\n<script type=\"application/json\" id=\"data\">" << ScriptSafe(data.dump())
      << "</script>\n<script>" << kScript << "</script>\n</body></html>\n";
}

}  // namespace snapsim::viz
