#include "oracle.h"

#include <algorithm>
#include <deque>
#include <set>

namespace snapsim::checker::testing {
using nlohmann::json;

namespace {

struct OEvent {
  std::string type;
  std::string msg;
  std::uint64_t snapshot = 0;
};

}  // namespace

// The trace as per-actor event lists plus vector clocks.
struct OracleClocks::Model {
  std::vector<std::string> names;
  std::map<std::string, std::size_t> index;
  std::vector<bool> in_group;
  std::vector<std::vector<OEvent>> events;
  // clock[a][i][b] = number of b's events that happen before or equal event i of a.
  std::vector<std::vector<std::vector<std::size_t>>> clock;
  std::map<std::pair<std::string, std::string>, bool> fifo;
  // The previous hop of each forward/recv event, (actor, index) -> (actor, index).
  std::map<std::pair<std::size_t, std::size_t>, std::pair<std::size_t, std::size_t>> pred_;

  explicit Model(const std::vector<json>& lines) {
    for (const json& l : lines) {
      const std::string type = l["type"];
      if (type == "actor") {
        index[l["name"]] = names.size();
        names.push_back(l["name"]);
        in_group.push_back(l["group"] == "in");
        events.emplace_back();
      } else if (type == "channel") {
        fifo[{l["from"], l["to"]}] = l["fifo"];
      } else if (type == "send" || type == "forward" || type == "recv" || type == "internal" ||
                 type == "snapshot") {
        OEvent e{type, l.value("msg", ""), l.value("snapshot", std::uint64_t{0})};
        events[index.at(l["actor"])].push_back(e);
      }
    }
    // Message edges: each hop's predecessor is the message's previous hop,
    // found by following the "to" fields exactly as the format defines.
    std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> hops_by_msg;
    std::map<std::pair<std::size_t, std::size_t>, std::string> to_of;
    {
      std::vector<std::size_t> pos(names.size(), 0);
      for (const json& l : lines) {
        const std::string type = l["type"];
        if (type != "send" && type != "forward" && type != "recv" && type != "internal" &&
            type != "snapshot")
          continue;
        const std::size_t a = index.at(l["actor"]);
        const std::size_t i = pos[a]++;
        if (type == "send" || type == "forward" || type == "recv") {
          hops_by_msg[l["msg"]].push_back({a, i});
          if (l.contains("to")) to_of[{a, i}] = l["to"];
        }
      }
    }
    auto& pred = pred_;
    for (auto& [msg, hops] : hops_by_msg) {
      std::pair<std::size_t, std::size_t> cur{0, 0};
      std::set<std::pair<std::size_t, std::size_t>> used;
      for (auto h : hops)
        if (events[h.first][h.second].type == "send") cur = h;
      used.insert(cur);
      for (std::size_t n = 1; n < hops.size(); ++n) {
        const std::size_t dest = index.at(to_of.at(cur));
        for (auto h : hops) {
          if (!used.count(h) && h.first == dest) {
            pred[h] = cur;
            used.insert(h);
            cur = h;
            break;
          }
        }
      }
    }
    // Vector clocks by fixpoint iteration.
    const std::size_t n = names.size();
    clock.resize(n);
    for (std::size_t a = 0; a < n; ++a)
      clock[a].assign(events[a].size(), std::vector<std::size_t>(n, 0));
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t a = 0; a < n; ++a) {
        for (std::size_t i = 0; i < events[a].size(); ++i) {
          std::vector<std::size_t> c(n, 0);
          if (i > 0) c = clock[a][i - 1];
          c[a] = i + 1;
          auto p = pred.find({a, i});
          if (p != pred.end()) {
            const auto& o = clock[p->second.first][p->second.second];
            for (std::size_t b = 0; b < n; ++b) c[b] = std::max(c[b], o[b]);
          }
          if (c != clock[a][i]) {
            clock[a][i] = c;
            changed = true;
          }
        }
      }
    }
  }

  // Index of `a`'s snapshot event for `id`, if any.
  std::optional<std::size_t> Cut(std::size_t a, std::uint64_t id) const {
    for (std::size_t i = 0; i < events[a].size(); ++i)
      if (events[a][i].type == "snapshot" && events[a][i].snapshot == id) return i;
    return std::nullopt;
  }
};

using Model = OracleClocks::Model;

OracleClocks::OracleClocks(const std::vector<json>& lines)
    : model_(std::make_unique<Model>(lines)) {}
OracleClocks::~OracleClocks() = default;

bool OracleClocks::HappensBefore(std::pair<std::string, std::size_t> a,
                                 std::pair<std::string, std::size_t> b) const {
  const Model& m = *model_;
  const std::size_t aa = m.index.at(a.first), bb = m.index.at(b.first);
  if (aa == bb && a.second == b.second) return false;
  return m.clock[bb][b.second][aa] >= a.second + 1;
}

std::optional<int> OracleMinMessageHops(const std::vector<json>& lines, std::uint64_t id) {
  Model m(lines);
  using Ev = std::pair<std::size_t, std::size_t>;
  std::map<Ev, Ev> succ;
  for (const auto& [to, from] : m.pred_) succ[from] = to;
  std::map<Ev, int> dist;
  std::deque<Ev> queue;
  for (std::size_t a = 0; a < m.names.size(); ++a) {
    const auto cut = m.Cut(a, id);
    if (m.in_group[a] && cut) {
      dist[{a, *cut}] = 0;
      queue.push_back({a, *cut});
    }
  }
  std::optional<int> best;
  while (!queue.empty()) {
    const Ev e = queue.front();
    queue.pop_front();
    const int d = dist[e];
    const auto cut = m.Cut(e.first, id);
    if (m.in_group[e.first] && cut && e.second < *cut && (!best || d < *best)) best = d;
    auto relax = [&](Ev n, int nd, bool front) {
      auto it = dist.find(n);
      if (it != dist.end() && it->second <= nd) return;
      dist[n] = nd;
      front ? queue.push_front(n) : queue.push_back(n);
    };
    if (e.second + 1 < m.events[e.first].size()) relax({e.first, e.second + 1}, d, true);
    auto s = succ.find(e);
    if (s != succ.end()) relax(s->second, d + 1, false);
  }
  return best;
}

std::map<std::pair<std::string, std::string>, std::vector<std::string>> OracleChannelStates(
    const std::vector<json>& lines, std::uint64_t id) {
  Model m(lines);
  std::map<std::string, std::pair<std::size_t, std::size_t>> send_at, recv_at;
  for (std::size_t a = 0; a < m.names.size(); ++a) {
    for (std::size_t i = 0; i < m.events[a].size(); ++i) {
      if (m.events[a][i].type == "send") send_at[m.events[a][i].msg] = {a, i};
      if (m.events[a][i].type == "recv") recv_at[m.events[a][i].msg] = {a, i};
    }
  }
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> out;
  for (std::size_t to = 0; to < m.names.size(); ++to) {
    const auto cut_to = m.Cut(to, id);
    if (!m.in_group[to] || !cut_to) continue;
    for (std::size_t i = *cut_to; i < m.events[to].size(); ++i) {  // receive order
      const OEvent& e = m.events[to][i];
      if (e.type != "recv" || !send_at.count(e.msg)) continue;
      const auto [from, j] = send_at[e.msg];
      const auto cut_from = m.Cut(from, id);
      if (!m.in_group[from] || !cut_from || j >= *cut_from) continue;
      out[{m.names[from], m.names[to]}].push_back(e.msg);
    }
  }
  return out;
}

std::vector<OracleSnapshot> OracleCheck(const std::vector<json>& lines) {
  Model m(lines);
  std::set<std::uint64_t> ids;
  std::map<std::uint64_t, bool> verdict;
  std::set<std::uint64_t> unfinished, cut_short;
  std::map<std::uint64_t, std::map<std::pair<std::string, std::string>, std::vector<std::string>>>
      recorded;
  for (const json& l : lines) {
    if (l.contains("snapshot")) ids.insert(l["snapshot"].get<std::uint64_t>());
    if (l["type"] == "verdict") verdict[l["snapshot"]] = l["accepted"];
    if (l["type"] == "unfinished") unfinished.insert(l["snapshot"].get<std::uint64_t>());
    if (l["type"] == "cut_short") cut_short.insert(l["snapshot"].get<std::uint64_t>());
    if (l["type"] == "channel_state")
      recorded[l["snapshot"]][{l["from"], l["to"]}] = l["msgs"].get<std::vector<std::string>>();
  }
  std::vector<OracleSnapshot> out;
  const std::size_t n = m.names.size();
  for (std::uint64_t id : ids) {
    OracleSnapshot s;
    s.id = id;
    std::vector<std::optional<std::size_t>> cut(n);
    std::size_t in_group = 0;
    for (std::size_t a = 0; a < n; ++a) {
      if (!m.in_group[a]) continue;
      ++in_group;
      cut[a] = m.Cut(a, id);
      if (cut[a]) ++s.recorded;
    }
    s.complete = s.recorded == in_group;
    // Inconsistent iff some pre-cut event y at p knows an event at or after
    // the cut point of q.
    for (std::size_t p = 0; p < n; ++p) {
      if (!cut[p]) continue;
      for (std::size_t y = 0; y < *cut[p]; ++y) {
        for (std::size_t q = 0; q < n; ++q) {
          if (cut[q] && m.clock[p][y][q] >= *cut[q] + 1) s.consistent = false;
        }
      }
    }
    if (verdict.count(id)) {
      s.has_verdict = true;
      s.accepted = verdict[id];
    }
    if (unfinished.count(id)) {
      s.unfinished = true;
      s.accepted = false;
    }
    s.cut_short = cut_short.count(id) > 0;
    if (recorded.count(id)) {
      const auto expected = OracleChannelStates(lines, id);
      bool ok = true;
      std::set<std::pair<std::string, std::string>> channels;
      for (const auto& [k, _] : expected) channels.insert(k);
      for (const auto& [k, _] : recorded[id]) channels.insert(k);
      for (const auto& k : channels) {
        const auto from = m.index.at(k.first), to = m.index.at(k.second);
        if (!m.Cut(from, id) || !m.Cut(to, id)) continue;
        if (s.cut_short && !recorded[id].count(k)) continue;  // may have been on the way
        std::vector<std::string> exp =
            expected.count(k) ? expected.at(k) : std::vector<std::string>{};
        std::vector<std::string> rec =
            recorded[id].count(k) ? recorded[id][k] : std::vector<std::string>{};
        const bool fifo = m.fifo.count(k) && m.fifo[k];
        if (!fifo) {
          std::sort(exp.begin(), exp.end());
          std::sort(rec.begin(), rec.end());
        }
        if (exp != rec) ok = false;
      }
      s.channel_state_ok = ok;
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace snapsim::checker::testing
