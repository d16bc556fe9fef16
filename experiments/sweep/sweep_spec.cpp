#include "experiments/sweep/sweep_spec.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "experiments/config_node.h"

namespace snapsim::sweep {

namespace {

// A bad sweep section; caught in LoadSweepText.
class SweepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::uint64_t Mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// Where a node was written: FILE:LINE:COL, or the --set that put it there.
struct Locator {
  std::string file;
  std::string At(const YAML::Node& n, const std::string& set_origin) const {
    if (!set_origin.empty()) return set_origin;
    const YAML::Mark m = n.Mark();
    if (m.is_null()) return file;
    return fmt::format("{}:{}:{}", file, m.line + 1, m.column + 1);
  }
};

[[noreturn]] void Fail(const std::string& where, const std::string& key, const std::string& what) {
  throw SweepError(fmt::format("{}: {}: {}", where, key, what));
}

// The YAML text of a value, as handed to the loader with "key=text".
std::string NodeText(const YAML::Node& n) {
  if (n.IsScalar()) return n.Scalar();
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  e << n;
  return e.c_str();
}

// A number in a range: an integer, a duration with a unit (kept in ns), or a
// real number.
struct RangeNumber {
  enum Kind { kInt, kDuration, kReal } kind = kInt;
  std::int64_t i = 0;  // kInt, kDuration (ns)
  double d = 0;        // every kind
};

std::optional<RangeNumber> ParseRangeNumber(const std::string& s) {
  RangeNumber r;
  std::int64_t iv = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), iv);
  if (ec == std::errc() && p == s.data() + s.size()) {
    r.kind = RangeNumber::kInt;
    r.i = iv;
    r.d = static_cast<double>(iv);
    return r;
  }
  if (!s.empty() && std::isalpha(static_cast<unsigned char>(s.back()))) {
    if (auto ns = ParseDurationNs(s)) {
      r.kind = RangeNumber::kDuration;
      r.i = *ns;
      r.d = static_cast<double>(*ns);
      return r;
    }
  }
  char* end = nullptr;
  const double dv = std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(dv)) {
    r.kind = RangeNumber::kReal;
    r.d = dv;
    return r;
  }
  return std::nullopt;
}

std::string FormatReal(double v) { return fmt::format("{:.12g}", v); }

std::vector<ParamValue> ExpandRange(const YAML::Node& range, const std::string& key_path,
                                    const Locator& loc, const std::string& set_origin) {
  const std::string where = loc.At(range, set_origin);
  std::map<std::string, RangeNumber> nums;
  for (const auto& kv : range) {
    const std::string k = kv.first.Scalar();
    const std::string kp = key_path + "." + k;
    if (k != "from" && k != "to" && k != "step" && k != "factor")
      Fail(loc.At(kv.first, set_origin), kp,
           "unknown key (expected one of: from, to, step, factor)");
    if (!kv.second.IsScalar())
      Fail(loc.At(kv.second, set_origin), kp, "expected a number or a duration");
    auto n = ParseRangeNumber(kv.second.Scalar());
    if (!n)
      Fail(loc.At(kv.second, set_origin), kp,
           fmt::format("'{}' is not a number (expected an integer, a real number or a duration "
                       "such as 20us)",
                       kv.second.Scalar()));
    nums[k] = *n;
  }
  if (!nums.count("to"))
    Fail(where, key_path, "a range needs `to` (expected {from, to, step | factor})");
  const bool step = nums.count("step"), factor = nums.count("factor");
  if (step == factor) Fail(where, key_path, "a range needs exactly one of `step` and `factor`");
  const RangeNumber from = nums["from"], to = nums["to"];
  const RangeNumber by = step ? nums["step"] : nums["factor"];
  if (from.d > to.d)
    Fail(where, key_path,
         fmt::format("empty range: from {} is above to {} (expected from <= to)",
                     range["from"].Scalar(), range["to"].Scalar()));
  const bool durations = from.kind == RangeNumber::kDuration || to.kind == RangeNumber::kDuration ||
                         (step && by.kind == RangeNumber::kDuration);
  const bool integers =
      durations || (from.kind == RangeNumber::kInt && to.kind == RangeNumber::kInt &&
                    (!step || by.kind == RangeNumber::kInt));
  if (durations && (from.kind == RangeNumber::kReal || to.kind == RangeNumber::kReal ||
                    (step && by.kind == RangeNumber::kReal)))
    Fail(where, key_path,
         "mixes durations with real numbers (expected durations or integers of ns throughout)");
  std::vector<ParamValue> out;
  auto push = [&](std::string text) {
    if (out.size() >= kMaxValuesPerParameter)
      Fail(where, key_path,
           fmt::format("the range has more than {} values", kMaxValuesPerParameter));
    if (!out.empty() && out.back().text == text) return;  // rounding collapsed two values
    out.push_back({std::move(text), where});
  };
  if (step) {
    if (by.d <= 0) Fail(where, key_path + ".step", "must be > 0");
    if (integers) {
      for (std::int64_t x = from.i; x <= to.i; x += by.i) {
        push(std::to_string(x));
        if (x > INT64_MAX - by.i) break;
      }
    } else {
      const double n = std::floor((to.d - from.d) / by.d + 1e-9);
      if (n + 1 > static_cast<double>(kMaxValuesPerParameter))
        Fail(where, key_path,
             fmt::format("the range has more than {} values", kMaxValuesPerParameter));
      for (std::int64_t k = 0; k <= static_cast<std::int64_t>(n); ++k)
        push(FormatReal(from.d + static_cast<double>(k) * by.d));
    }
  } else {
    if (by.d <= 1) Fail(where, key_path + ".factor", "must be > 1");
    if (from.d <= 0) Fail(where, key_path + ".from", "must be > 0 with a factor");
    const double limit = to.d * (1 + 1e-9);
    for (double x = from.d; x <= limit; x *= by.d)
      push(integers ? std::to_string(std::llround(x)) : FormatReal(x));
  }
  if (out.empty()) Fail(where, key_path, "empty range (expected at least one value)");
  return out;
}

std::vector<ParamValue> ExpandValues(const YAML::Node& v, const std::string& key_path,
                                     const Locator& loc, const std::string& set_origin) {
  std::vector<ParamValue> out;
  if (v.IsSequence()) {
    if (v.size() == 0)
      Fail(loc.At(v, set_origin), key_path, "empty list (expected at least one value)");
    if (v.size() > kMaxValuesPerParameter)
      Fail(loc.At(v, set_origin), key_path,
           fmt::format("more than {} values", kMaxValuesPerParameter));
    for (const auto& item : v) out.push_back({NodeText(item), loc.At(item, set_origin)});
    return out;
  }
  if (v.IsMap()) {
    if (v["from"]) return ExpandRange(v, key_path, loc, set_origin);
    Fail(loc.At(v, set_origin), key_path,
         "expected a list of values or a range {from, to, step | factor} (a mapping value, such "
         "as a distribution, goes inside a list: [{dist: ...}])");
  }
  if (v.IsScalar()) {
    out.push_back({v.Scalar(), loc.At(v, set_origin)});
    return out;
  }
  Fail(loc.At(v, set_origin), key_path, "expected a list of values or a range");
}

// Applies one "sweep.*=value" override to the sweep mapping. Keys after
// sweep.parameters. and sweep.zip. are taken whole (they are dotted keys).
// Returns the top-level sweep key it touched, with its value's origin.
void ApplySweepSet(YAML::Node& sweep, const std::string& assignment,
                   std::map<std::string, std::string>& origins) {
  const auto eq = assignment.find('=');
  const std::string key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw SweepError(fmt::format("--set {}: the value is not valid YAML: {}", assignment, e.msg));
  }
  const std::string rest = key.substr(std::string("sweep.").size());
  for (const char* section : {"parameters", "zip"}) {
    const std::string prefix = std::string(section) + ".";
    if (rest.rfind(prefix, 0) == 0 && rest.size() > prefix.size()) {
      if (!sweep[section] || !sweep[section].IsMap())
        sweep[section] = YAML::Node(YAML::NodeType::Map);
      YAML::Node m = sweep[section];
      m[rest.substr(prefix.size())] = parsed;
      origins[key] = "--set " + assignment;
      return;
    }
  }
  if (rest.empty() || rest.find('.') != std::string::npos)
    throw SweepError(fmt::format(
        "--set {}: {}: unknown sweep key (expected sweep.mode, sweep.repetitions, sweep.seeds, "
        "sweep.parameters.KEY or sweep.zip.KEY)",
        assignment, key));
  sweep[rest] = parsed;
  origins[key] = "--set " + assignment;
}

void ParseSweepSection(const YAML::Node& sweep, const Locator& loc,
                       const std::map<std::string, std::string>& origins, SweepSpec& spec) {
  auto origin = [&](const std::string& key) {
    auto it = origins.find(key);
    return it == origins.end() ? std::string() : it->second;
  };
  if (!sweep.IsMap()) Fail(loc.At(sweep, origin("sweep")), "sweep", "expected a mapping");
  for (const auto& kv : sweep) {
    const std::string k = kv.first.Scalar();
    if (k != "mode" && k != "repetitions" && k != "seeds" && k != "parameters" && k != "zip")
      Fail(loc.At(kv.first, origin("sweep." + k)), "sweep." + k,
           "unknown key (expected one of: mode, parameters, repetitions, seeds, zip)");
  }
  auto scalar = [&](const std::string& k) -> std::optional<std::pair<std::string, std::string>> {
    const YAML::Node n = sweep[k];
    if (!n) return std::nullopt;
    const std::string where = loc.At(n, origin("sweep." + k));
    if (!n.IsScalar()) Fail(where, "sweep." + k, "expected a single value");
    return std::make_pair(n.Scalar(), where);
  };
  if (auto m = scalar("mode")) {
    if (m->first != "cartesian" && m->first != "zip")
      Fail(m->second, "sweep.mode",
           fmt::format("unknown value '{}' (expected one of: cartesian, zip)", m->first));
    spec.mode = m->first;
  }
  if (auto r = scalar("repetitions")) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(r->first.data(), r->first.data() + r->first.size(), v);
    if (ec != std::errc() || p != r->first.data() + r->first.size())
      Fail(r->second, "sweep.repetitions", fmt::format("'{}' is not an integer", r->first));
    if (v < 1 || v > kMaxRepetitions)
      Fail(r->second, "sweep.repetitions",
           fmt::format("{} is out of range (expected 1 to {})", v, kMaxRepetitions));
    spec.repetitions = static_cast<std::uint32_t>(v);
  }
  if (auto s = scalar("seeds")) {
    if (s->first == "per-point")
      spec.seeds = SeedMode::kPerPoint;
    else if (s->first == "shared")
      spec.seeds = SeedMode::kShared;
    else
      Fail(s->second, "sweep.seeds",
           fmt::format("unknown value '{}' (expected one of: per-point, shared)", s->first));
  }
  for (const char* section : {"parameters", "zip"}) {
    const YAML::Node params = sweep[section];
    if (!params) continue;
    const std::string sp = std::string("sweep.") + section;
    if (!params.IsMap())
      Fail(loc.At(params, origin(sp)), sp,
           "expected a mapping of dotted scenario keys to lists or ranges");
    for (const auto& kv : params) {
      SweepParam p;
      p.key = kv.first.Scalar();
      const std::string kp = sp + "." + p.key;
      const std::string set_origin = origin(kp);
      p.where = loc.At(kv.first, set_origin);
      p.zipped = std::string(section) == "zip" || spec.mode == "zip";
      if (p.key.empty() || p.key.find('=') != std::string::npos || p.key.front() == '.' ||
          p.key.back() == '.' || p.key.find("..") != std::string::npos)
        Fail(p.where, kp, "is not a dotted scenario key (expected e.g. topology.gateways)");
      if (p.key == "seed")
        Fail(p.where, kp,
             "the seed is not swept (expected sweep.repetitions for more seeds, or --seed for "
             "another base seed)");
      if (p.key == "sweep" || p.key.rfind("sweep.", 0) == 0)
        Fail(p.where, kp, "a sweep cannot sweep itself");
      for (const SweepParam& q : spec.params)
        if (q.key == p.key) Fail(p.where, kp, "is swept twice (in parameters and zip)");
      p.values = ExpandValues(kv.second, kp, loc, set_origin);
      spec.params.push_back(std::move(p));
    }
  }
  // Zipped lists must have equal lengths.
  const SweepParam* first_zipped = nullptr;
  for (const SweepParam& p : spec.params) {
    if (!p.zipped) continue;
    if (!first_zipped) {
      first_zipped = &p;
      continue;
    }
    if (p.values.size() != first_zipped->values.size())
      Fail(p.where, p.key,
           fmt::format("has {} values but {} has {} (expected lists of equal length to zip)",
                       p.values.size(), first_zipped->key, first_zipped->values.size()));
  }
}

// Expands the parameters into points: one axis per non-zipped parameter and
// one for the zipped group (at its first member's place); the last axis
// varies fastest.
void Expand(SweepSpec& spec) {
  struct Axis {
    std::vector<std::size_t> members;
    std::size_t size = 0;
  };
  std::vector<Axis> axes;
  std::optional<std::size_t> zip_axis;
  for (std::size_t i = 0; i < spec.params.size(); ++i) {
    const SweepParam& p = spec.params[i];
    if (p.zipped && zip_axis) {
      axes[*zip_axis].members.push_back(i);
      continue;
    }
    if (p.zipped) zip_axis = axes.size();
    axes.push_back({{i}, p.values.size()});
  }
  std::size_t total = 1;
  for (const Axis& a : axes) {
    if (total > kMaxRuns / a.size / spec.repetitions)
      throw SweepError(
          fmt::format("{}: sweep: more than {} runs (expected fewer points or "
                      "repetitions)",
                      spec.file, kMaxRuns));
    total *= a.size;
  }
  spec.points.resize(total);
  std::vector<std::size_t> digit(axes.size(), 0);
  for (std::size_t n = 0; n < total; ++n) {
    SweepPoint& pt = spec.points[n];
    pt.index = n;
    pt.choice.assign(spec.params.size(), 0);
    for (std::size_t a = 0; a < axes.size(); ++a)
      for (std::size_t m : axes[a].members) pt.choice[m] = digit[a];
    for (std::size_t a = axes.size(); a-- > 0;) {
      if (++digit[a] < axes[a].size) break;
      digit[a] = 0;
    }
  }
}

// Rewrites a loader error about one point so it points at the sweep key or
// value that caused it, and names the point.
std::string RemapError(const SweepSpec& spec, const SweepPoint& p, const std::string& error) {
  const std::string point = Join(spec.PointSets(p), ", ");
  for (std::size_t i = 0; i < spec.params.size(); ++i) {
    const SweepParam& param = spec.params[i];
    const ParamValue& v = param.values[p.choice[i]];
    const std::string prefix = "--set " + param.key + "=" + v.text + ": ";
    if (error.rfind(prefix, 0) != 0) continue;
    const std::string rest = error.substr(prefix.size());
    const bool key_problem = rest.find("unknown key") != std::string::npos ||
                             rest.find("is not a mapping") != std::string::npos;
    return fmt::format("{}: {} (swept in sweep point {}: {})", key_problem ? param.where : v.where,
                       rest, p.index, point);
  }
  if (spec.params.empty()) return error;
  return fmt::format("{} (in sweep point {}: {})", error, p.index, point);
}

}  // namespace

std::uint64_t Fnv1a(const std::string& s, std::uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::uint64_t DeriveSeed(std::uint64_t base_seed, const std::vector<std::string>& point_sets,
                         std::uint32_t repetition, SeedMode mode) {
  std::uint64_t h = Mix(base_seed ^ 0x736e617073696d73ULL);  // "snapsims"
  if (mode == SeedMode::kPerPoint) h = Mix(h ^ Fnv1a(Join(point_sets, "\n")));
  h = Mix(h ^ (static_cast<std::uint64_t>(repetition) + 1));
  return h & ((1ULL << 53) - 1);
}

RunKey SweepSpec::Run(std::size_t run_index) const {
  RunKey k;
  k.point = run_index / repetitions;
  k.repetition = static_cast<std::uint32_t>(run_index % repetitions);
  k.seed = DeriveSeed(base_seed, PointSets(points[k.point]), k.repetition, seeds);
  return k;
}

std::vector<std::string> SweepSpec::PointSets(const SweepPoint& p) const {
  std::vector<std::string> out;
  out.reserve(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) out.push_back(params[i].key + "=" + Value(p, i));
  return out;
}

LoadResult LoadRun(const SweepSpec& spec, const RunKey& run) {
  ScenarioOverrides o;
  o.seed = run.seed;
  for (const std::string& s : spec.options.sets)
    if (s.rfind("sweep.", 0) != 0) o.sets.push_back(s);
  for (std::string& s : spec.PointSets(spec.points[run.point])) o.sets.push_back(std::move(s));
  LoadResult r = LoadScenarioText(spec.base_text, spec.file, spec.dir, o);
  if (!r.error.empty()) r.error = RemapError(spec, spec.points[run.point], r.error);
  return r;
}

std::string StripSweepSection(const std::string& text, std::string* sweep_yaml, int* sweep_line) {
  YAML::Node doc = YAML::Load(text);
  const YAML::Node& cdoc = doc;
  if (sweep_yaml) sweep_yaml->clear();
  if (sweep_line) *sweep_line = -1;
  if (!doc.IsMap() || !cdoc["sweep"]) return text;
  // Find the sweep key and the key after it (document order).
  std::optional<YAML::Mark> sweep_mark, next_mark;
  std::size_t keys = 0;
  for (const auto& kv : doc) {
    ++keys;
    if (sweep_mark && !next_mark) next_mark = kv.first.Mark();
    if (kv.first.IsScalar() && kv.first.Scalar() == "sweep") sweep_mark = kv.first.Mark();
  }
  if (sweep_yaml) *sweep_yaml = NodeText(cdoc["sweep"]);
  if (sweep_line) *sweep_line = sweep_mark->line;
  // Block style: blank the lines from the sweep key to the next key.
  if (sweep_mark->column == 0 && (!next_mark || next_mark->column == 0)) {
    std::vector<std::string> lines;
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) lines.push_back(line);
    const std::size_t end = next_mark ? static_cast<std::size_t>(next_mark->line) : lines.size();
    for (std::size_t i = static_cast<std::size_t>(sweep_mark->line); i < end && i < lines.size();
         ++i)
      lines[i].clear();
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    try {
      YAML::Node check = YAML::Load(out);
      if ((keys == 1 && (check.IsNull() || (check.IsMap() && check.size() == 0))) ||
          (check.IsMap() && check.size() + 1 == keys &&
           !static_cast<const YAML::Node&>(check)["sweep"]))
        return out;
    } catch (const YAML::Exception&) {
    }
  }
  // Anything else (flow style, odd layouts): re-emit without the section.
  doc.remove("sweep");
  YAML::Emitter e;
  e << doc;
  return std::string(e.c_str()) + "\n";
}

SweepLoadResult LoadSweepText(const std::string& text, const std::string& display_name,
                              const std::string& dir, const SweepLoadOptions& options) {
  SweepLoadResult result;
  SweepSpec spec;
  spec.file = display_name;
  spec.dir = dir;
  spec.text = text;
  spec.options = options;
  try {
    YAML::Node doc;
    try {
      doc = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw SweepError(fmt::format("{}:{}:{}: malformed YAML: {}", display_name, e.mark.line + 1,
                                   e.mark.column + 1, e.msg));
    }
    // (Not a clone: yaml-cpp's Clone drops the marks that locate errors.)
    const bool has_sweep = doc.IsMap() && static_cast<const YAML::Node&>(doc)["sweep"];
    YAML::Node sweep;
    bool sweep_given = has_sweep;
    if (has_sweep) sweep = doc["sweep"];
    std::map<std::string, std::string> origins;
    for (const std::string& s : options.sets) {
      const auto eq = s.find('=');
      if (eq == std::string::npos || eq == 0)
        throw SweepError(fmt::format("--set {}: expected dotted.key=value", s));
      if (s.rfind("sweep.", 0) != 0 && s.substr(0, eq) != "sweep") continue;
      if (s.substr(0, eq) == "sweep")
        throw SweepError(
            fmt::format("--set {}: sweep: set its keys one by one (expected "
                        "sweep.repetitions=..., sweep.parameters.KEY=...)",
                        s));
      if (!sweep_given || !sweep.IsMap()) sweep = YAML::Node(YAML::NodeType::Map);
      sweep_given = true;
      ApplySweepSet(sweep, s, origins);
    }
    Locator loc{display_name};
    if (sweep_given) ParseSweepSection(sweep, loc, origins, spec);
    spec.base_text = has_sweep ? StripSweepSection(text, nullptr, nullptr) : text;
    Expand(spec);
    // The identity: everything that decides the rows.
    std::uint64_t h = Fnv1a(text);
    h = Fnv1a(options.seed ? std::to_string(*options.seed) : std::string("-"), Mix(h));
    for (const std::string& s : options.sets) h = Fnv1a(s, Mix(h));
    spec.identity = fmt::format("{:016x}", h);
    // The base seed, and every point checked by the scenario loader.
    {
      ScenarioOverrides o;
      o.seed = options.seed;
      for (const std::string& s : options.sets)
        if (s.rfind("sweep.", 0) != 0) o.sets.push_back(s);
      for (std::string& s : spec.PointSets(spec.points[0])) o.sets.push_back(std::move(s));
      LoadResult r = LoadScenarioText(spec.base_text, spec.file, spec.dir, o);
      if (!r.error.empty()) throw SweepError(RemapError(spec, spec.points[0], r.error));
      spec.base_seed = r.scenario->seed;
      spec.name = r.scenario->name;
    }
    for (const SweepPoint& p : spec.points) {
      LoadResult r = LoadRun(spec, spec.Run(p.index * spec.repetitions));
      if (!r.error.empty()) throw SweepError(r.error);
    }
  } catch (const SweepError& e) {
    result.error = e.what();
    return result;
  } catch (const YAML::Exception& e) {
    result.error =
        fmt::format("{}:{}:{}: {}", display_name, e.mark.line + 1, e.mark.column + 1, e.msg);
    return result;
  }
  result.spec = std::move(spec);
  return result;
}

SweepLoadResult LoadSweep(const std::string& path, const SweepLoadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, fmt::format("{}: cannot open the scenario file", path)};
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string dir = std::filesystem::path(path).parent_path().string();
  return LoadSweepText(ss.str(), path, dir.empty() ? "." : dir, options);
}

}  // namespace snapsim::sweep
