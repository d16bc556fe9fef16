#include "random_trace.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "oracle.h"

namespace snapsim::checker::testing {
namespace {

using nlohmann::json;

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  // Uniform in [0, n); the modulo bias does not matter for tests.
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : gen_() % n; }
  bool Percent(int p) { return static_cast<int>(Below(100)) < p; }

 private:
  std::mt19937_64 gen_;
};

struct Actor {
  std::string name;
  std::string group;
};

struct InFlight {
  std::string msg;
  std::string at_hop;  // the actor it is addressed to now
  std::string dst;     // the final destination
  std::vector<std::string> gateways_left;
};

class Generator {
 public:
  explicit Generator(const GenParams& p) : p_(p), rng_(p.seed) {
    for (int i = 0; i < p.in_procs; ++i) Add("p" + std::to_string(i), "in");
    for (int i = 0; i < p.out_procs; ++i) Add("o" + std::to_string(i), "out");
    for (int i = 0; i < p.gateways; ++i) Add("g" + std::to_string(i), "gateway");
    if (p.controller) Add("c", "controller");
    for (const auto& a : in_) {
      for (const auto& b : in_) {
        if (a != b && rng_.Percent(70))
          lines_.push_back(
              {{"type", "channel"}, {"from", a}, {"to", b}, {"fifo", rng_.Percent(50)}});
      }
    }
  }

  // Plans which snapshot ids each in-group process takes, in order.
  void PlanSnapshots(int count) {
    for (const auto& a : in_) {
      std::vector<std::uint64_t> ids;
      for (int s = 1; s <= count; ++s) ids.push_back(s);
      if (p_.order == SnapshotOrder::kGappy) {
        std::vector<std::uint64_t> kept;
        for (auto id : ids)
          if (!rng_.Percent(25)) kept.push_back(id);
        ids = kept;
      } else if (p_.order == SnapshotOrder::kRandom) {
        for (std::size_t i = ids.size(); i > 1; --i) std::swap(ids[i - 1], ids[rng_.Below(i)]);
      }
      // Some processes stop early: snapshots still in flight at the end.
      if (!ids.empty() && rng_.Percent(30)) ids.resize(rng_.Below(ids.size() + 1));
      plan_[a] = ids;
    }
  }

  void RandomSteps(int steps) {
    for (int i = 0; i < steps; ++i) Step();
  }

  void Step() {
    const auto r = rng_.Below(100);
    if (r < 40) {
      RandomSend();
    } else if (r < 75) {
      DeliverRandom();
    } else if (r < 85) {
      lines_.push_back({{"type", "internal"}, {"actor", RandomActor()}, {"t", t_++}});
    } else {
      const std::string a = in_[rng_.Below(in_.size())];
      auto& plan = plan_[a];
      if (!plan.empty()) {
        // Sometimes the next ids too while they follow on, as a Lai-Yang
        // process that learns of several ids at once takes them together.
        const bool run = rng_.Percent(30);
        std::uint64_t id = plan.front();
        do {
          TakeSnapshot(a, id);
          plan.erase(plan.begin());
        } while (run && !plan.empty() && plan.front() == ++id);
      }
    }
  }

  void TakeSnapshot(const std::string& a, std::uint64_t id) {
    lines_.push_back({{"type", "snapshot"},
                      {"actor", a},
                      {"snapshot", id},
                      {"t", t_++},
                      {"state", static_cast<int>(rng_.Below(100))}});
  }

  std::string RandomActor() { return actors_[rng_.Below(actors_.size())].name; }

  // Sends from `from` to `to`; returns the message id. Messages from outside
  // into the in-group pass one (sometimes two) gateways.
  std::string Send(const std::string& from, const std::string& to) {
    InFlight m;
    m.msg = "m" + std::to_string(next_msg_++);
    m.dst = to;
    if (group_[from] != "in" && group_[to] == "in" && !gws_.empty()) {
      m.gateways_left.push_back(gws_[rng_.Below(gws_.size())]);
      if (rng_.Percent(20)) m.gateways_left.push_back(gws_[rng_.Below(gws_.size())]);
    }
    m.at_hop = NextHop(m);
    lines_.push_back(
        {{"type", "send"}, {"actor", from}, {"msg", m.msg}, {"to", m.at_hop}, {"t", t_++}});
    flight_.push_back(m);
    return m.msg;
  }

  std::string NextHop(InFlight& m) {
    if (m.gateways_left.empty()) return m.dst;
    std::string g = m.gateways_left.front();
    m.gateways_left.erase(m.gateways_left.begin());
    return g;
  }

  void RandomSend() {
    std::string from = RandomActor();
    if (group_[from] == "gateway") {
      if (!p_.controller) return;
      Send(from, "c");  // a gateway only talks to the controller (acks)
      return;
    }
    std::string to = RandomActor();
    if (to == from) return;
    if (group_[to] == "gateway" && group_[from] != "controller") return;
    if (group_[from] == "controller" && group_[to] != "gateway") return;
    Send(from, to);
  }

  // Delivers message i: a forward at a gateway, or the final receive.
  void Deliver(std::size_t i) {
    InFlight m = flight_[i];
    flight_.erase(flight_.begin() + static_cast<std::ptrdiff_t>(i));
    const std::string at = m.at_hop;
    if (at != m.dst || (!m.gateways_left.empty())) {
      m.at_hop = NextHop(m);
      lines_.push_back(
          {{"type", "forward"}, {"actor", at}, {"msg", m.msg}, {"to", m.at_hop}, {"t", t_++}});
      flight_.push_back(m);
    } else {
      lines_.push_back({{"type", "recv"}, {"actor", at}, {"msg", m.msg}, {"t", t_++}});
    }
  }

  void DeliverRandom() {
    if (flight_.empty()) return;
    const std::size_t i = rng_.Below(flight_.size());
    if (rng_.Percent(p_.loss_percent) && !protected_.count(flight_[i].msg)) {
      flight_.erase(flight_.begin() + static_cast<std::ptrdiff_t>(i));  // lost
      return;
    }
    Deliver(i);
  }

  // Delivers message `msg` through all its remaining hops now.
  void DeliverNow(const std::string& msg) {
    for (;;) {
      auto it = std::find_if(flight_.begin(), flight_.end(),
                             [&](const InFlight& m) { return m.msg == msg; });
      if (it == flight_.end()) return;
      Deliver(static_cast<std::size_t>(it - flight_.begin()));
    }
  }

  void AddVerdictsAndChannelStates(int snapshots) {
    for (int s = 1; s <= snapshots; ++s) {
      if (!p_.verdicts) continue;
      if (rng_.Percent(70))
        lines_.push_back({{"type", "verdict"}, {"snapshot", s}, {"accepted", rng_.Percent(70)}});
      else if (rng_.Percent(40))
        lines_.push_back({{"type", "unfinished"}, {"snapshot", s}});
      if (rng_.Percent(20)) lines_.push_back({{"type", "cut_short"}, {"snapshot", s}});
    }
    if (!p_.channel_states) return;
    for (int s = 1; s <= snapshots; ++s) {
      if (!rng_.Percent(60)) continue;
      auto states = OracleChannelStates(Current(), s);
      // Also record some channels that should be empty.
      for (const auto& a : in_)
        for (const auto& b : in_)
          if (a != b && rng_.Percent(15)) states[{a, b}];
      for (auto& [ch, msgs] : states) {
        if (rng_.Percent(80)) {
          const auto r = rng_.Below(4);  // perturb: drop, add, swap or duplicate
          if (r == 0 && !msgs.empty()) msgs.erase(msgs.begin() + rng_.Below(msgs.size()));
          if (r == 1) msgs.push_back("m" + std::to_string(rng_.Below(next_msg_ + 1)));
          if (r == 2 && msgs.size() >= 2) std::swap(msgs[0], msgs[1]);
          if (r == 3 && !msgs.empty()) msgs.push_back(msgs[0]);
        }
        if (rng_.Percent(85))  // sometimes a channel is left out
          lines_.push_back({{"type", "channel_state"},
                            {"snapshot", s},
                            {"from", ch.first},
                            {"to", ch.second},
                            {"msgs", msgs}});
      }
    }
  }

  // The trace so far, actor lines included.
  Lines Current() const {
    Lines out;
    for (const auto& a : actors_)
      out.push_back({{"type", "actor"}, {"name", a.name}, {"group", a.group}});
    out.insert(out.end(), lines_.begin(), lines_.end());
    return out;
  }

  Lines Take() {
    Lines out;
    for (const auto& a : actors_)
      out.push_back({{"type", "actor"}, {"name", a.name}, {"group", a.group}});
    for (auto& l : lines_) out.push_back(std::move(l));
    return out;
  }

  const GenParams& p_;
  Rng rng_;
  std::vector<Actor> actors_;
  std::vector<std::string> in_, outs_, gws_;
  std::map<std::string, std::string> group_;
  std::map<std::string, std::vector<std::uint64_t>> plan_;
  Lines lines_;  // everything but the actor lines
  std::vector<InFlight> flight_;
  std::set<std::string> protected_;  // never lost
  int next_msg_ = 1;
  std::int64_t t_ = 0;

 private:
  void Add(const std::string& name, const std::string& group) {
    actors_.push_back({name, group});
    group_[name] = group;
    if (group == "in") in_.push_back(name);
    if (group == "out") outs_.push_back(name);
    if (group == "gateway") gws_.push_back(name);
  }
};

}  // namespace

std::ostream& operator<<(std::ostream& os, SnapshotOrder o) {
  switch (o) {
    case SnapshotOrder::kIncreasing:
      return os << "increasing";
    case SnapshotOrder::kGappy:
      return os << "gappy";
    case SnapshotOrder::kRandom:
      return os << "random";
  }
  return os;
}

Lines GenerateTrace(const GenParams& p) {
  Generator g(p);
  g.PlanSnapshots(p.snapshots);
  g.RandomSteps(p.steps);
  g.AddVerdictsAndChannelStates(p.snapshots);
  return g.Take();
}

Lines GeneratePlanted(const GenParams& p, int relays, std::uint64_t planted_id) {
  Generator g(p);
  g.PlanSnapshots(p.snapshots);
  g.RandomSteps(p.steps / 2);
  Rng rng(p.seed * 7919 + 13);
  // REQUIRES: two in-group processes, and an out-group one when relays > 0.
  const std::size_t n = g.in_.size();
  const std::size_t qi = rng.Below(n);
  const std::string q = g.in_[qi];
  const std::string dest = g.in_[(qi + 1 + rng.Below(n - 1)) % n];
  g.TakeSnapshot(q, planted_id);
  // The chain: q -> o_1 -> ... -> o_k -> (gateway) -> dest, interleaved with noise.
  std::string at = q;
  for (int i = 0; i <= relays; ++i) {
    const std::string next = i == relays ? dest : g.outs_[rng.Below(g.outs_.size())];
    if (next == at) continue;  // a relay may repeat; skip a self-send
    const std::string msg = g.Send(at, next);
    g.protected_.insert(msg);
    g.RandomSteps(static_cast<int>(rng.Below(4)));
    g.DeliverNow(msg);
    at = next;
  }
  g.RandomSteps(static_cast<int>(rng.Below(4)));
  g.TakeSnapshot(dest, planted_id);
  // The others take it at random later times, or never.
  for (const auto& a : g.in_) {
    if (a != q && a != dest && rng.Percent(70)) {
      g.RandomSteps(static_cast<int>(rng.Below(5)));
      g.TakeSnapshot(a, planted_id);
    }
  }
  g.RandomSteps(p.steps / 2);
  g.AddVerdictsAndChannelStates(p.snapshots);
  return g.Take();
}

Lines GenerateConsistentCuts(const GenParams& p) {
  GenParams base = p;
  base.snapshots = 0;
  Generator g(base);
  g.PlanSnapshots(0);
  g.RandomSteps(p.steps);
  Lines events = g.Take();  // no verdicts or channel states yet

  // Per actor event positions, and the lines index of each event.
  std::map<std::string, std::vector<std::size_t>> at;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string type = events[i]["type"];
    if (type != "actor" && type != "channel") at[events[i]["actor"]].push_back(i);
  }
  Rng rng(p.seed * 31 + 7);
  const OracleClocks clocks(events);
  // insert_before[line index] = snapshot lines to insert before it.
  std::map<std::size_t, Lines> insert_before;
  Lines at_end;
  for (int s = 1; s <= p.snapshots; ++s) {
    // A random set of "chosen" events; the down-closed set is their causal past.
    std::vector<std::pair<std::string, std::size_t>> chosen;
    for (const auto& a : g.actors_) {
      const auto& list = at[a.name];
      if (!list.empty() && rng.Percent(60)) chosen.push_back({a.name, rng.Below(list.size())});
    }
    for (const auto& p_name : g.in_) {
      const auto& list = at[p_name];
      // Cut point: the first event of p outside the down-closed set.
      std::size_t cut = 0;
      while (cut < list.size()) {
        bool in_set = false;
        for (const auto& c : chosen) {
          if ((c.first == p_name && c.second == cut) || clocks.HappensBefore({p_name, cut}, c)) {
            in_set = true;
            break;
          }
        }
        if (!in_set) break;
        ++cut;
      }
      json snap = {{"type", "snapshot"}, {"actor", p_name}, {"snapshot", s}};
      if (cut < list.size()) {
        insert_before[list[cut]].push_back(snap);
      } else {
        at_end.push_back(snap);
      }
    }
  }
  Lines out;
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto it = insert_before.find(i);
    if (it != insert_before.end())
      for (auto& l : it->second) out.push_back(l);
    out.push_back(events[i]);
  }
  for (auto& l : at_end) out.push_back(l);
  // Correct channel states.
  for (int s = 1; s <= p.snapshots; ++s) {
    for (const auto& [ch, msgs] : OracleChannelStates(out, s))
      out.push_back({{"type", "channel_state"},
                     {"snapshot", s},
                     {"from", ch.first},
                     {"to", ch.second},
                     {"msgs", msgs}});
  }
  return out;
}

std::string ToJsonl(const Lines& lines, std::uint64_t shuffle_seed) {
  Rng rng(shuffle_seed);
  std::vector<std::string> head;
  std::map<std::string, std::vector<std::string>> per_actor;
  std::vector<std::string> actor_order, floating;
  for (const json& l : lines) {
    const std::string type = l["type"];
    if (type == "actor" || type == "channel") {
      head.push_back(l.dump());
    } else if (type == "verdict" || type == "unfinished" || type == "cut_short" ||
               type == "channel_state") {
      floating.push_back(l.dump());
    } else {
      const std::string a = l["actor"];
      if (!per_actor.count(a)) actor_order.push_back(a);
      per_actor[a].push_back(l.dump());
    }
  }
  std::string out;
  for (const auto& h : head) out += h + "\n";
  std::map<std::string, std::size_t> next;
  std::vector<std::string> live = actor_order;
  std::size_t fi = 0;
  while (!live.empty() || fi < floating.size()) {
    if (fi < floating.size() && (live.empty() || rng.Percent(5))) {
      out += floating[fi++] + "\n";
      continue;
    }
    const std::size_t k = rng.Below(live.size());
    const std::string a = live[k];
    out += per_actor[a][next[a]++] + "\n";
    if (next[a] == per_actor[a].size()) live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
  }
  return out;
}

std::tuple<std::string, std::string, std::uint64_t> ChannelStateOrder(const json& line) {
  return {line["from"].get<std::string>(), line["to"].get<std::string>(),
          line["snapshot"].get<std::uint64_t>()};
}

ReplayRuns Replay(const Lines& lines, TraceSink& sink, bool snapshot_runs) {
  ReplayRuns runs;
  std::map<std::string, ActorId> id;
  auto msg_id = [](const json& m) { return std::stoull(m.get<std::string>().substr(1)); };
  auto group = [](const std::string& g) {
    if (g == "in") return ActorGroup::kIn;
    if (g == "out") return ActorGroup::kOut;
    if (g == "gateway") return ActorGroup::kGateway;
    return ActorGroup::kController;
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const json& l = lines[i];
    const std::string type = l["type"];
    const SimTime t(l.value("t", std::int64_t{0}));
    if (type == "actor") {
      const ActorId a = static_cast<ActorId>(id.size());
      id[l["name"]] = a;
      sink.Actor(a, l["name"].get<std::string>(), group(l["group"]));
    } else if (type == "channel") {
      sink.Channel(id.at(l["from"]), id.at(l["to"]), l["fifo"]);
    } else if (type == "send") {
      sink.Send(t, id.at(l["actor"]), msg_id(l["msg"]), id.at(l["to"]));
    } else if (type == "forward") {
      sink.Forward(t, id.at(l["actor"]), msg_id(l["msg"]), id.at(l["to"]));
    } else if (type == "recv") {
      sink.Recv(t, id.at(l["actor"]), msg_id(l["msg"]));
    } else if (type == "internal") {
      sink.Internal(t, id.at(l["actor"]));
    } else if (type == "snapshot" && snapshot_runs) {
      const std::uint64_t first = l["snapshot"];
      std::uint64_t last = first;
      while (i + 1 < lines.size() && lines[i + 1]["type"] == "snapshot" &&
             lines[i + 1]["actor"] == l["actor"] && lines[i + 1]["snapshot"] == last + 1) {
        ++i;
        ++last;
      }
      runs.snapshots += last > first;
      sink.Snapshots(t, id.at(l["actor"]), first, last, l.value("state", std::int64_t{0}));
    } else if (type == "snapshot") {
      sink.Snapshot(t, id.at(l["actor"]), l["snapshot"], l.value("state", std::int64_t{0}));
    } else if (type == "verdict") {
      sink.Verdict(l["snapshot"], l["accepted"]);
    } else if (type == "unfinished") {
      sink.Unfinished(l["snapshot"]);
    } else if (type == "cut_short") {
      sink.CutShort(l["snapshot"]);
    } else if (type == "channel_state" && snapshot_runs) {
      // The block of adjacent channel_state lines, by channel then id (the
      // checker takes records in any order); a channel's consecutive ids
      // with the same messages go in one call.
      std::vector<const json*> block;
      for (; i < lines.size() && lines[i]["type"] == "channel_state"; ++i)
        block.push_back(&lines[i]);
      --i;
      std::ranges::stable_sort(block, {}, [](const json* c) { return ChannelStateOrder(*c); });
      for (std::size_t b = 0; b < block.size();) {
        const json& c = *block[b];
        std::size_t e = b + 1;
        while (e < block.size() && (*block[e])["from"] == c["from"] &&
               (*block[e])["to"] == c["to"] && (*block[e])["msgs"] == c["msgs"] &&
               (*block[e])["snapshot"] == c["snapshot"].get<std::uint64_t>() + (e - b))
          ++e;
        std::vector<MessageId> msgs;
        for (const auto& m : c["msgs"]) msgs.push_back(msg_id(m));
        runs.channel_states += e - b > 1;
        sink.ChannelStates(c["snapshot"], c["snapshot"].get<std::uint64_t>() + (e - b - 1),
                           id.at(c["from"]), id.at(c["to"]), msgs);
        b = e;
      }
    } else if (type == "channel_state") {
      std::vector<MessageId> msgs;
      for (const auto& m : l["msgs"]) msgs.push_back(msg_id(m));
      sink.ChannelState(l["snapshot"], id.at(l["from"]), id.at(l["to"]), msgs);
    }
  }
  sink.Finish();
  return runs;
}

}  // namespace snapsim::checker::testing
