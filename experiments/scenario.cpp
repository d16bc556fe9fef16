#include "experiments/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "experiments/config_node.h"
#include "topologies/topology.h"

namespace snapsim {

namespace {

// Per-actor state is a few hundred bytes: 10 million actors fit in a few GiB.
constexpr std::int64_t kMaxProcesses = 10'000'000;
// Topologies larger than this many edges (or gateway channels) are refused
// before they are built: they would exhaust memory, not run.
constexpr double kMaxEdges = 200'000'000;

void CheckSize(ConfigNode& t, double edges, const char* what) {
  if (edges > kMaxEdges)
    t.Fail("", fmt::format("{} would have about {:.3g} edges, more than the {:.0f} snapsim "
                           "builds (expected a smaller or sparser topology)",
                           what, edges, kMaxEdges));
}

// Applies one --set override to the YAML tree.
void ApplySet(YAML::Node& root, const std::string& assignment, ConfigSource& source) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(fmt::format("--set {}: expected dotted.key=value", assignment));
  const std::string key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("--set {}: the value is not valid YAML: {}", assignment, e.msg));
  }
  std::vector<std::string> parts;
  std::stringstream ss(key);
  for (std::string part; std::getline(ss, part, '.');) {
    if (part.empty()) throw ConfigError(fmt::format("--set {}: empty key segment", assignment));
    parts.push_back(part);
  }
  YAML::Node cur;
  cur.reset(root);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node next = cur[parts[i]];
    if (!next.IsMap()) {
      if (next.IsDefined() && !next.IsNull())
        throw ConfigError(
            fmt::format("--set {}: '{}' is not a mapping in the scenario", assignment, parts[i]));
      cur[parts[i]] = YAML::Node(YAML::NodeType::Map);
      next = cur[parts[i]];
    }
    cur.reset(next);
  }
  cur[parts.back()] = parsed;
  source.overrides[key] = value;
}

nlohmann::json LinkToJson(const LinkSpec& l) {
  return {{"latency", DistToJson(l.latency)}, {"fifo", l.fifo}, {"loss", l.loss}};
}

LinkSpec ParseLink(ConfigNode& c, const LinkSpec& base) {
  LinkSpec link;
  link.latency = c.Dist("latency", base.latency);
  link.fifo = c.Bool("fifo", base.fifo);
  link.loss = c.Number("loss", base.loss, 0.0, 0.999999);
  c.Finish();
  return link;
}

void ParseChannels(ConfigNode& root, WorldSpec& w) {
  LinkSpec base;
  base.latency = Distribution::Exponential(10'000.0);
  std::optional<ConfigNode> channels = root.OptionalMap("channels");
  if (!channels) {
    // No channels section: every kind uses the built-in default.
    w.links.fill(base);
    nlohmann::json resolved = {{"default", LinkToJson(base)}};
    for (std::size_t k = 0; k < kChannelKindCount; ++k)
      resolved[std::string(ChannelKindName(static_cast<ChannelKind>(k)))] = LinkToJson(base);
    root.Resolve("channels", resolved);
    return;
  }
  ConfigNode& c = *channels;
  if (auto d = c.OptionalMap("default")) {
    base = ParseLink(*d, base);
  } else {
    c.Resolve("default", LinkToJson(base));
  }
  for (std::size_t k = 0; k < kChannelKindCount; ++k) {
    const std::string name(ChannelKindName(static_cast<ChannelKind>(k)));
    if (auto m = c.OptionalMap(name))
      w.links[k] = ParseLink(*m, base);
    else
      w.links[k] = base;
    // Record every kind's effective link, given or inherited from default.
    c.Resolve(name, LinkToJson(w.links[k]));
  }
  c.Finish();
}

Topology ParseTopology(ConfigNode& root, std::uint64_t seed) {
  ConfigNode t = root.Map("topology");
  const std::string kind =
      t.Choice("kind", "", {"complete", "ring", "star", "random", "cloud", "edges"});
  TopologyResult r;
  if (kind == "cloud") {
    CloudShape s;
    s.backends = static_cast<std::uint32_t>(t.Int("backends", s.backends, 1, kMaxProcesses));
    s.clients = static_cast<std::uint32_t>(t.Int("clients", s.clients, 0, kMaxProcesses));
    s.externals = static_cast<std::uint32_t>(t.Int("externals", s.externals, 0, kMaxProcesses));
    s.gateways = static_cast<std::uint32_t>(t.Int("gateways", s.gateways, 0, 4096));
    s.backend_graph = t.Choice("backend_graph", s.backend_graph, {"complete", "ring", "none"});
    s.out_degree = static_cast<std::uint32_t>(t.Int("out_degree", 0, 0, s.backends));
    const double k = s.backends, outs = static_cast<double>(s.clients) + s.externals;
    const double degree = s.out_degree == 0 ? k : s.out_degree;
    CheckSize(t,
              (s.backend_graph == "complete" ? k * (k - 1) / 2 : k) + degree * outs +
                  static_cast<double>(s.gateways) * (k + outs),
              "this cloud topology");
    r = MakeCloud(s);
  } else {
    const auto n = static_cast<std::uint32_t>(t.RequiredInt("processes", 1, kMaxProcesses));
    if (kind == "complete")
      CheckSize(t, static_cast<double>(n) * (n - 1) / 2, "a complete topology");
    if (kind == "complete") r = MakeComplete(n);
    if (kind == "ring") r = MakeRing(n);
    if (kind == "star") r = MakeStar(n);
    if (kind == "random") {
      const double degree = t.Number("degree", 4.0, 0.0, 1e9);
      CheckSize(t, static_cast<double>(n) * degree / 2, "this random topology");
      r = MakeRandom(n, degree, t.Seed("seed", seed), t.Bool("ensure_connected", true));
    }
    if (kind == "edges") r = MakeFromEdges(n, t.PairList("edges"));
    if (r.ok()) {
      const std::string err = MarkOutGroup(r.topology, t.IndexList("out_group"));
      if (!err.empty()) t.Fail("out_group", err);
    }
    r.topology.gateways = static_cast<std::uint32_t>(t.Int("gateways", 0, 0, 4096));
    CheckSize(t, static_cast<double>(r.topology.gateways) * n * 2, "the gateways' channels");
  }
  if (!r.ok()) t.Fail("", r.error);
  t.Finish();
  return std::move(r.topology);
}

// Turns the topology into actors: processes p<i> (in) and o<i> (out) in node
// order, then gateways g<i>, then the controller "ctl" when there are gateways.
void BuildActors(const Topology& topo, WorldSpec& w) {
  std::uint32_t next_in = 0, next_out = 0;
  for (std::size_t i = 0; i < topo.groups.size(); ++i) {
    const bool in = topo.groups[i] == ActorGroup::kIn;
    w.names.push_back(in ? fmt::format("p{}", next_in++) : fmt::format("o{}", next_out++));
    w.groups.push_back(topo.groups[i]);
    w.roles.push_back(topo.roles[i]);
  }
  for (std::uint32_t g = 0; g < topo.gateways; ++g) {
    w.names.push_back(fmt::format("g{}", g));
    w.groups.push_back(ActorGroup::kGateway);
    w.roles.push_back(ProcessRole::kPlain);
  }
  if (topo.gateways > 0) {
    w.names.push_back("ctl");
    w.groups.push_back(ActorGroup::kController);
    w.roles.push_back(ProcessRole::kPlain);
  }
  w.edges.assign(topo.edges.begin(), topo.edges.end());
}

ActorId ActorByName(ConfigNode& c, const std::string& key, const std::string& name,
                    const WorldSpec& w) {
  auto it = std::find(w.names.begin(), w.names.end(), name);
  if (it == w.names.end() || (w.groups[it - w.names.begin()] != ActorGroup::kIn &&
                              w.groups[it - w.names.begin()] != ActorGroup::kOut))
    c.Fail(key, fmt::format("'{}' is not a process of this topology (expected a name such as "
                            "p0 or o1)",
                            name));
  return static_cast<ActorId>(it - w.names.begin());
}

ScriptConfig ParseScript(ConfigNode& c, const WorldSpec& w) {
  ScriptConfig sc;
  for (const std::int64_t v : c.IntList("initial")) sc.initial.push_back(v);
  if (sc.initial.size() > w.names.size())
    c.Fail("initial", "lists more amounts than there are actors");
  std::vector<ConfigNode> sends = c.MapList("sends");
  for (ConfigNode& s : sends) {
    ScriptedSend send;
    send.at = s.Time("at", Duration(0));
    send.from = ActorByName(s, "from", s.String("from", ""), w);
    send.to = ActorByName(s, "to", s.String("to", ""), w);
    send.value = s.Int("value", 1, -1'000'000'000, 1'000'000'000);
    if (send.from == send.to) s.Fail("to", "a process cannot send to itself");
    bool adjacent = false;
    for (auto [u, v] : w.edges)
      adjacent |= (u == send.from && v == send.to) || (u == send.to && v == send.from);
    if (!adjacent) s.Fail("to", "is not a neighbour of `from` in the topology");
    s.Finish();
    sc.sends.push_back(send);
  }
  std::stable_sort(sc.sends.begin(), sc.sends.end(),
                   [](const ScriptedSend& a, const ScriptedSend& b) { return a.at < b.at; });
  return sc;
}

WorkloadConfig ParseWorkload(ConfigNode& root, const WorldSpec& w) {
  ConfigNode c = root.Map("workload");
  const std::string kind = c.Choice("kind", "", {"tokens", "bank", "rpc", "script", "bots"});
  WorkloadConfig out;
  if (kind == "tokens") {
    TokensConfig t;
    t.tokens = static_cast<std::uint32_t>(c.Int("tokens", t.tokens, 0, 1'000'000'000));
    t.hold = c.Dist("hold", t.hold);
    out = t;
  } else if (kind == "bank") {
    BankConfig b;
    b.initial_balance = c.Int("initial_balance", b.initial_balance, 0, 1'000'000'000'000);
    b.max_amount = c.Int("max_amount", b.max_amount, 1, 1'000'000'000'000);
    b.interval = c.Dist("interval", b.interval);
    if (b.interval.Mean() <= 0) c.Fail("interval", "must have a mean > 0");
    out = b;
  } else if (kind == "script") {
    out = ParseScript(c, w);
  } else if (kind == "bots") {
    BotsConfig b;
    b.requests = static_cast<std::uint32_t>(c.Int("requests", b.requests, 0, 100'000'000));
    b.interval = c.Time("interval", b.interval);
    if (b.interval.ns() <= 0) c.Fail("interval", "must be > 0");
    b.bot_ratio = c.Number("bot_ratio", b.bot_ratio, 0, 1);
    std::vector<ActorId> in, outg;
    for (ActorId a = 0; a < w.groups.size(); ++a) {
      if (w.groups[a] == ActorGroup::kIn) in.push_back(a);
      if (w.groups[a] == ActorGroup::kOut) outg.push_back(a);
    }
    auto linked = [&](ActorId x, ActorId y) {
      for (auto [u, v] : w.edges)
        if ((u == x && v == y) || (u == y && v == x)) return true;
      return false;
    };
    if (in.size() < 2 || outg.empty() || !linked(outg[0], in[0]) || !linked(outg[0], in[1]))
      c.Fail("kind",
             "the bots workload needs two in-group services both reachable from an "
             "out-group client (expected e.g. a cloud topology with backends: 2, "
             "clients: 1)");
    out = b;
  } else {
    RpcConfig r;
    r.request_interval = c.Dist("request_interval", r.request_interval);
    if (r.request_interval.Mean() <= 0) c.Fail("request_interval", "must have a mean > 0");
    r.p_internal = c.Number("p_internal", r.p_internal, 0, 1);
    r.p_external = c.Number("p_external", r.p_external, 0, 1);
    r.p_callback = c.Number("p_callback", r.p_callback, 0, 1);
    r.external_delay = c.Dist("external_delay", r.external_delay);
    bool any_out = false;
    for (ActorGroup g : w.groups) any_out |= g == ActorGroup::kOut;
    if (!any_out)
      c.Fail("kind",
             "the rpc workload needs out-group clients (expected a cloud topology or "
             "an out_group list)");
    out = r;
  }
  c.Finish();
  return out;
}

ScheduleOptions ParseSchedule(ConfigNode& c, const ProtocolInfo& info, const WorldSpec& w) {
  ScheduleOptions s;
  std::optional<ConfigNode> node = c.OptionalMap("snapshots");
  ConfigNode sn =
      node ? *node
           : ConfigNode(YAML::Node(YAML::NodeType::Map), c.Path() + ".snapshots", c.Source());
  s.start = sn.Time("start", s.start);
  // rate_hz and interval say the same thing: one of them, or the one given
  // with --set when the file has the other.
  bool use_rate = sn.Has("rate_hz");
  if (sn.Has("rate_hz") && sn.Has("interval")) {
    const bool rate_set = sn.Overridden("rate_hz"), interval_set = sn.Overridden("interval");
    if (rate_set == interval_set) sn.Fail("rate_hz", "give either rate_hz or interval, not both");
    use_rate = rate_set;
    sn.Ignore(use_rate ? "interval" : "rate_hz");
  }
  if (use_rate) {
    const double hz = sn.Number("rate_hz", 1000, 1e-6, 1e9);
    s.interval = Duration(static_cast<std::int64_t>(std::llround(1e9 / hz)));
    if (s.interval.ns() < 1) sn.Fail("rate_hz", "is too high (expected at most 1e9 Hz)");
    sn.Resolve("interval", s.interval.ns());
  } else {
    s.interval = sn.Time("interval", s.interval);
    if (s.interval.ns() < 1) sn.Fail("interval", "must be > 0");
  }
  s.interval_max = sn.Time("interval_max", Duration(0));
  if (s.interval_max.ns() != 0 && s.interval_max < s.interval)
    sn.Fail("interval_max", "is below interval (expected interval_max >= interval)");
  s.count = static_cast<std::uint64_t>(sn.Int("count", 0, 0, 4'000'000'000));
  s.times = sn.TimeList("times");
  for (std::size_t i = 1; i < s.times.size(); ++i)
    if (s.times[i] <= s.times[i - 1])
      sn.Fail("times", "must be strictly increasing (snapshot ids follow initiation order)");
  if (!info.takes_initiators && sn.Has("initiators")) {
    sn.Ignore("initiators");
    sn.Resolve("ignored", std::vector<std::string>{"initiators"});
  }
  if (info.takes_initiators) {
    std::vector<std::string> names = sn.StringOrList("initiators", "first");
    if (names.size() == 1 && names[0] == "first") {
      s.initiators = ScheduleOptions::Initiators::kFirst;
    } else if (names.size() == 1 && names[0] == "random") {
      s.initiators = ScheduleOptions::Initiators::kRandom;
    } else {
      s.initiators = ScheduleOptions::Initiators::kListed;
      for (const std::string& name : names) {
        auto it = std::find(w.names.begin(), w.names.end(), name);
        if (it == w.names.end() || w.groups[it - w.names.begin()] != ActorGroup::kIn)
          sn.Fail("initiators", fmt::format("'{}' is not an in-group process (expected first, "
                                            "random, or a list of in-group process names "
                                            "such as [p0, p3])",
                                            name));
        s.listed.push_back(static_cast<ActorId>(it - w.names.begin()));
      }
    }
  }
  sn.Finish();
  return s;
}

ProtocolOptions ParseProtocol(ConfigNode& root, const WorldSpec& w) {
  ProtocolOptions p;
  std::vector<std::string> names;
  for (const auto& info : Protocols()) names.emplace_back(info.name);
  std::optional<ConfigNode> node = root.OptionalMap("protocol");
  if (!node) {
    root.Resolve("protocol", {{"kind", p.kind}});
    return p;
  }
  ConfigNode& c = *node;
  p.kind = c.Choice("kind", p.kind, names);
  const ProtocolInfo& info = *FindProtocol(p.kind);
  // Keys of other protocols are accepted and listed as ignored, so one file
  // can be run (or swept) under several protocols; misspelt keys still fail.
  std::vector<std::string> ignored;
  auto ignore_unless = [&](bool used, std::initializer_list<const char*> keys) {
    if (used) return;
    for (const char* k : keys)
      if (c.Has(k)) {
        c.Ignore(k);
        ignored.emplace_back(k);
      }
  };
  ignore_unless(info.takes_schedule, {"snapshots"});
  ignore_unless(info.gateway, {"tau", "max_in_flight", "id_bits", "notify", "control_bytes"});
  if (!ignored.empty()) c.Resolve("ignored", ignored);
  if (info.takes_schedule) p.schedule = ParseSchedule(c, info, w);
  if (info.gateway) {
    p.tau = c.Time("tau", p.tau);
    p.max_in_flight =
        static_cast<std::uint32_t>(c.Int("max_in_flight", p.max_in_flight, 1, 1 << 20));
    p.id_bits = static_cast<std::uint32_t>(c.Int("id_bits", p.id_bits, 14, 32));
    if (p.id_bits != 14 && p.id_bits != 32) c.Fail("id_bits", "expected 14 or 32");
    // Half of the 14-bit id space for ids ahead of a receiver, half for late
    // messages (GatewayProtocol::Unwrap).
    if (p.id_bits == 14 && p.max_in_flight > 8191)
      c.Fail("max_in_flight", "at most 8191 with id_bits: 14 (ids wrap at 2^14)");
    p.notify = c.Bool("notify", p.notify);
    p.control_bytes = c.Int("control_bytes", p.control_bytes, 0, 1 << 20);
    bool has_gateways = false;
    for (ActorGroup g : w.groups) has_gateways |= g == ActorGroup::kGateway;
    if (!has_gateways)
      c.Fail("kind",
             fmt::format("protocol {} needs gateways (expected topology.gateways >= 1)", p.kind));
  }
  c.Finish();
  return p;
}

void ParseClocksAndService(ConfigNode& root, WorldSpec& w) {
  if (auto c = root.OptionalMap("clocks")) {
    w.clock_offset = c->Dist("offset", w.clock_offset, /*signed_values=*/true);
    const double drift = c->Number("drift_ppm", 0.0, 0.0, 1e6);
    w.clock_drift_ppb = Distribution::Uniform(static_cast<std::int64_t>(-drift * 1000),
                                              static_cast<std::int64_t>(drift * 1000));
    c->Finish();
  } else {
    root.Resolve("clocks", {{"offset", DistToJson(w.clock_offset)}, {"drift_ppm", 0}});
  }
  if (auto c = root.OptionalMap("service")) {
    w.gateway_service = c->Dist("gateway", w.gateway_service);
    w.controller_service = c->Dist("controller", w.controller_service);
    c->Finish();
  } else {
    root.Resolve("service", {{"gateway", DistToJson(w.gateway_service)},
                             {"controller", DistToJson(w.controller_service)}});
  }
  if (auto c = root.OptionalMap("routing")) {
    w.routing.inbound_via_gateways =
        c->Choice("inbound", "gateway", {"gateway", "direct"}) == "gateway";
    w.routing.in_group_via_gateways =
        c->Choice("in_group", "direct", {"direct", "gateway"}) == "gateway";
    c->Finish();
  } else {
    root.Resolve("routing", {{"inbound", "gateway"}, {"in_group", "direct"}});
  }
}

Scenario Parse(YAML::Node doc, ConfigSource& source, const ScenarioOverrides& overrides) {
  ConfigNode root(doc, "", &source);
  Scenario s;
  s.file = source.file;
  s.name = root.String("name", std::filesystem::path(source.file).stem().string());
  root.String("description", "");
  // A sweep file runs as its base scenario (snapsim sweep runs the points).
  if (root.Has("sweep")) {
    root.Ignore("sweep");
    root.Resolve("sweep",
                 "ignored by snapsim run: the base scenario runs; snapsim sweep runs the points");
  }
  s.seed = root.Seed("seed", 1);
  if (overrides.seed) {
    s.seed = *overrides.seed;
    root.Resolve("seed", s.seed);
  }
  if (auto run = root.OptionalMap("run")) {
    s.stop.end_time = SimTime(0) + run->Time("duration", Milliseconds(10));
    s.stop.max_events =
        static_cast<std::uint64_t>(run->Int("max_events", 1'000'000'000, 1, INT64_MAX));
    s.baseline = run->Bool("baseline", false);
    run->Finish();
  } else {
    s.stop.end_time = SimTime(0) + Milliseconds(10);
    s.stop.max_events = 1'000'000'000;
    root.Resolve("run", {{"duration", Milliseconds(10).ns()},
                         {"max_events", s.stop.max_events},
                         {"baseline", false}});
  }
  if (auto lim = root.OptionalMap("limits")) {
    ResourceLimits& l = s.stop.limits;
    auto get = [&](const char* key, std::uint64_t& v) {
      v = static_cast<std::uint64_t>(lim->Int(key, static_cast<std::int64_t>(v), 1, INT64_MAX));
    };
    get("pending_events", l.pending_events);
    get("messages_in_flight", l.messages_in_flight);
    get("held_messages", l.held_messages);
    get("snapshots", l.snapshots);
    get("trace_bytes", l.trace_bytes);
    lim->Finish();
  } else {
    const ResourceLimits& l = s.stop.limits;
    root.Resolve("limits", {{"pending_events", l.pending_events},
                            {"messages_in_flight", l.messages_in_flight},
                            {"held_messages", l.held_messages},
                            {"snapshots", l.snapshots},
                            {"trace_bytes", l.trace_bytes}});
  }
  const Topology topo = ParseTopology(root, s.seed);
  BuildActors(topo, s.world);
  s.world.seed = s.seed;
  ParseChannels(root, s.world);
  ParseClocksAndService(root, s.world);
  s.workload = ParseWorkload(root, s.world);
  s.protocol = ParseProtocol(root, s.world);
  root.Finish();
  std::size_t in = 0, out = 0;
  for (ActorGroup g : s.world.groups) {
    in += g == ActorGroup::kIn;
    out += g == ActorGroup::kOut;
  }
  source.resolved["actors"] = {{"in_group", in},
                               {"out_group", out},
                               {"gateways", topo.gateways},
                               {"controller", topo.gateways > 0},
                               {"edges", topo.edges.size()}};
  s.resolved = source.resolved;
  return s;
}

}  // namespace

LoadResult LoadScenarioText(const std::string& text, const std::string& display_name,
                            const std::string& dir, const ScenarioOverrides& overrides) {
  LoadResult result;
  ConfigSource source;
  source.file = display_name;
  source.dir = dir;
  try {
    YAML::Node doc;
    try {
      doc = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw ConfigError(fmt::format("{}:{}:{}: malformed YAML: {}", display_name, e.mark.line + 1,
                                    e.mark.column + 1, e.msg));
    }
    if (doc.IsNull() || !doc.IsDefined()) doc = YAML::Node(YAML::NodeType::Map);
    if (!doc.IsMap())
      throw ConfigError(
          fmt::format("{}:1:1: the scenario must be a mapping of keys to values", display_name));
    for (const std::string& set : overrides.sets) ApplySet(doc, set, source);
    result.scenario = Parse(doc, source, overrides);
  } catch (const ConfigError& e) {
    result.error = e.what();
  } catch (const YAML::Exception& e) {
    result.error =
        fmt::format("{}:{}:{}: {}", display_name, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
  return result;
}

LoadResult LoadScenario(const std::string& path, const ScenarioOverrides& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, fmt::format("{}: cannot open the scenario file", path)};
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return LoadScenarioText(ss.str(), path, dir.empty() ? "." : dir, overrides);
}

}  // namespace snapsim
