#include "experiments/config_node.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace snapsim {

namespace {
std::string JoinKeys(const std::set<std::string>& keys) {
  std::string s;
  for (const auto& k : keys) s += (s.empty() ? "" : ", ") + k;
  return s;
}
std::string JoinList(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& k : v) s += (s.empty() ? "" : ", ") + k;
  return s;
}
}  // namespace

std::optional<std::int64_t> ParseDurationNs(const std::string& text) {
  std::string t;
  for (char c : text)
    if (c != ' ' && c != '_') t += c;
  if (t.empty()) return std::nullopt;
  std::size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.' ||
                          t[i] == '-' || t[i] == '+' || t[i] == 'e' || t[i] == 'E'))
    ++i;
  // "e" could be part of a unit only in no unit we accept, so a trailing 'e' is an error.
  const std::string number = t.substr(0, i), unit = t.substr(i);
  double mult;
  if (unit.empty() || unit == "ns")
    mult = 1;
  else if (unit == "us" || unit == "\xC2\xB5s")
    mult = 1e3;
  else if (unit == "ms")
    mult = 1e6;
  else if (unit == "s")
    mult = 1e9;
  else
    return std::nullopt;
  if (number.empty()) return std::nullopt;
  std::size_t used = 0;
  double v;
  try {
    v = std::stod(number, &used);
  } catch (...) {
    return std::nullopt;
  }
  if (used != number.size()) return std::nullopt;
  const double ns = v * mult;
  if (!std::isfinite(ns) || std::fabs(ns) > 9.0e18) return std::nullopt;
  return static_cast<std::int64_t>(std::llround(ns));
}

nlohmann::json DistToJson(const Distribution& d) {
  nlohmann::json j;
  j["dist"] = std::string(DistKindName(d.kind));
  switch (d.kind) {
    case DistKind::kConstant:
      j["value"] = static_cast<std::int64_t>(d.p1);
      break;
    case DistKind::kUniform:
      j["min"] = static_cast<std::int64_t>(d.p1);
      j["max"] = static_cast<std::int64_t>(d.p2);
      break;
    case DistKind::kExponential:
      j["mean"] = d.p1;
      break;
    case DistKind::kLognormal:
      j["median"] = d.p1;
      j["sigma"] = d.p2;
      break;
    case DistKind::kNormal:
      j["mean"] = d.p1;
      j["stddev"] = d.p2;
      break;
    case DistKind::kEmpirical:
      j["samples"] = d.samples ? d.samples->size() : 0;
      j["scale"] = d.scale;
      break;
  }
  if (d.shift_ns != 0) j["shift"] = d.shift_ns;
  return j;
}

ConfigNode::ConfigNode(YAML::Node node, std::string path, ConfigSource* source)
    : node_(std::move(node)), path_(std::move(path)), source_(source) {}

std::string ConfigNode::KeyPath(const std::string& key) const {
  if (key.empty()) return path_;
  return path_.empty() ? key : path_ + "." + key;
}

std::string ConfigNode::Where(const YAML::Node& n, const std::string& key_path) const {
  // A value given with --set is located on the command line.
  for (const auto& [k, v] : source_->overrides)
    if (key_path == k || key_path.rfind(k + ".", 0) == 0) return fmt::format("--set {}={}", k, v);
  YAML::Mark m = n.IsDefined() ? n.Mark() : node_.Mark();
  if (m.is_null()) m = node_.Mark();
  if (m.is_null()) return source_->file;
  return fmt::format("{}:{}:{}", source_->file, m.line + 1, m.column + 1);
}

void ConfigNode::Fail(const std::string& key, const std::string& what) const {
  const std::string kp = KeyPath(key);
  // (Copy-construct: assigning an invalid yaml-cpp node throws.)
  const YAML::Node n = !key.empty() && node_.IsMap() ? static_cast<const YAML::Node&>(node_)[key]
                                                     : YAML::Node(YAML::NodeType::Undefined);
  throw ConfigError(fmt::format("{}: {}: {}", Where(n, kp), kp.empty() ? "(top level)" : kp, what));
}

bool ConfigNode::Overridden(const std::string& key) const {
  const std::string kp = KeyPath(key);
  for (const auto& [k, v] : source_->overrides)
    if (kp == k || kp.rfind(k + ".", 0) == 0) return true;
  return false;
}

bool ConfigNode::Has(const std::string& key) const {
  return node_.IsMap() && static_cast<const YAML::Node&>(node_)[key].IsDefined() &&
         !static_cast<const YAML::Node&>(node_)[key].IsNull();
}

YAML::Node ConfigNode::Get(const std::string& key) {
  used_.insert(key);
  if (!node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  return static_cast<const YAML::Node&>(node_)[key];
}

nlohmann::json& ConfigNode::ResolvedSlot() {
  nlohmann::json* j = &source_->resolved;
  std::stringstream ss(path_);
  std::string part;
  while (std::getline(ss, part, '.')) {
    if (part.empty()) continue;
    const auto bracket = part.find('[');
    if (bracket != std::string::npos) {  // "key[i]": element i of a list
      const std::string name = part.substr(0, bracket);
      const std::size_t index = std::stoul(part.substr(bracket + 1));
      if (!(*j)[name].is_array()) (*j)[name] = nlohmann::json::array();
      while ((*j)[name].size() <= index) (*j)[name].push_back(nlohmann::json::object());
      j = &(*j)[name][index];
      continue;
    }
    if (!(*j)[part].is_object()) (*j)[part] = nlohmann::json::object();
    j = &(*j)[part];
  }
  return *j;
}

void ConfigNode::Resolve(const std::string& key, nlohmann::json value) {
  ResolvedSlot()[key] = std::move(value);
}

ConfigNode ConfigNode::Map(const std::string& key) {
  YAML::Node n = Get(key);
  if (!n.IsDefined() || n.IsNull()) Fail(key, "missing (expected a mapping)");
  if (!n.IsMap()) Fail(key, "expected a mapping of keys to values");
  return ConfigNode(n, KeyPath(key), source_);
}

std::optional<ConfigNode> ConfigNode::OptionalMap(const std::string& key) {
  YAML::Node n = Get(key);
  if (!n.IsDefined() || n.IsNull()) return std::nullopt;
  if (!n.IsMap()) Fail(key, "expected a mapping of keys to values");
  return ConfigNode(n, KeyPath(key), source_);
}

std::int64_t ConfigNode::RequiredInt(const std::string& key, std::int64_t min, std::int64_t max) {
  YAML::Node n = Get(key);
  if (!n.IsDefined() || n.IsNull())
    Fail(key, fmt::format("missing (expected an integer in [{}, {}])", min, max));
  return Int(key, 0, min, max);
}

std::int64_t ConfigNode::Int(const std::string& key, std::int64_t def, std::int64_t min,
                             std::int64_t max) {
  YAML::Node n = Get(key);
  std::int64_t v = def;
  if (n.IsDefined() && !n.IsNull()) {
    if (!n.IsScalar()) Fail(key, "expected an integer");
    try {
      v = n.as<std::int64_t>();
    } catch (const YAML::Exception&) {
      Fail(key, fmt::format("'{}' is not an integer (expected an integer in [{}, {}])", n.Scalar(),
                            min, max));
    }
    if (v < min || v > max)
      Fail(key, fmt::format("{} is out of range (expected an integer in [{}, {}])", v, min, max));
  }
  Resolve(key, v);
  return v;
}

std::uint64_t ConfigNode::Seed(const std::string& key, std::uint64_t def) {
  YAML::Node n = Get(key);
  std::uint64_t v = def;
  if (n.IsDefined() && !n.IsNull()) {
    try {
      if (!n.IsScalar() || n.Scalar().starts_with("-")) throw YAML::Exception(YAML::Mark(), "");
      v = n.as<std::uint64_t>();
    } catch (const YAML::Exception&) {
      Fail(key, "expected a non-negative integer seed");
    }
  }
  Resolve(key, v);
  return v;
}

double ConfigNode::Number(const std::string& key, double def, double min, double max) {
  YAML::Node n = Get(key);
  double v = def;
  if (n.IsDefined() && !n.IsNull()) {
    if (!n.IsScalar()) Fail(key, "expected a number");
    try {
      v = n.as<double>();
    } catch (const YAML::Exception&) {
      Fail(key, fmt::format("'{}' is not a number (expected a number in [{}, {}])", n.Scalar(), min,
                            max));
    }
    if (!std::isfinite(v) || v < min || v > max)
      Fail(key,
           fmt::format("{} is out of range (expected a number in [{}, {}])", n.Scalar(), min, max));
  }
  Resolve(key, v);
  return v;
}

bool ConfigNode::Bool(const std::string& key, bool def) {
  YAML::Node n = Get(key);
  bool v = def;
  if (n.IsDefined() && !n.IsNull()) {
    try {
      if (!n.IsScalar()) throw YAML::Exception(YAML::Mark(), "");
      v = n.as<bool>();
    } catch (const YAML::Exception&) {
      Fail(key, "expected true or false");
    }
  }
  Resolve(key, v);
  return v;
}

std::string ConfigNode::String(const std::string& key, const std::string& def) {
  YAML::Node n = Get(key);
  std::string v = def;
  if (n.IsDefined() && !n.IsNull()) {
    if (!n.IsScalar()) Fail(key, "expected a string");
    v = n.Scalar();
  }
  Resolve(key, v);
  return v;
}

std::string ConfigNode::Choice(const std::string& key, const std::string& def,
                               const std::vector<std::string>& allowed) {
  YAML::Node n = Get(key);
  if ((!n.IsDefined() || n.IsNull()) && def.empty())
    Fail(key, fmt::format("missing (expected one of: {})", JoinList(allowed)));
  std::string v = def;
  if (n.IsDefined() && !n.IsNull()) {
    if (!n.IsScalar()) Fail(key, fmt::format("expected one of: {}", JoinList(allowed)));
    v = n.Scalar();
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
      Fail(key, fmt::format("unknown value '{}' (expected one of: {})", v, JoinList(allowed)));
  }
  Resolve(key, v);
  return v;
}

Duration ConfigNode::Time(const std::string& key, Duration def, bool allow_negative) {
  YAML::Node n = Get(key);
  Duration v = def;
  if (n.IsDefined() && !n.IsNull()) {
    std::optional<std::int64_t> ns;
    if (n.IsScalar()) ns = ParseDurationNs(n.Scalar());
    if (!ns)
      Fail(key, fmt::format("'{}' is not a duration (expected ns as an integer, or a number "
                            "with a unit: ns, us, ms, s, e.g. 20us)",
                            n.IsScalar() ? n.Scalar() : "a non-scalar"));
    if (*ns < 0 && !allow_negative)
      Fail(key, fmt::format("negative duration {} ns (expected a value >= 0)", *ns));
    v = Duration(*ns);
  }
  Resolve(key, v.ns());
  return v;
}

std::vector<Duration> ConfigNode::TimeList(const std::string& key) {
  YAML::Node n = Get(key);
  std::vector<Duration> out;
  std::vector<std::int64_t> resolved;
  if (n.IsDefined() && !n.IsNull()) {
    if (!n.IsSequence()) Fail(key, "expected a list of durations, e.g. [1ms, 2.5ms]");
    for (const auto& item : n) {
      std::optional<std::int64_t> ns;
      if (item.IsScalar()) ns = ParseDurationNs(item.Scalar());
      if (!ns || *ns < 0)
        throw ConfigError(fmt::format("{}: {}: expected non-negative durations, e.g. 1ms",
                                      Where(item, KeyPath(key)), KeyPath(key)));
      out.emplace_back(*ns);
      resolved.push_back(*ns);
    }
  }
  Resolve(key, resolved);
  return out;
}

std::vector<std::int64_t> ConfigNode::IntList(const std::string& key) {
  YAML::Node n = Get(key);
  std::vector<std::int64_t> out;
  if (n.IsDefined() && !n.IsNull()) {
    if (!n.IsSequence()) Fail(key, "expected a list of integers, e.g. [1, 0, 0]");
    for (const auto& item : n) {
      try {
        out.push_back(item.as<std::int64_t>());
      } catch (const YAML::Exception&) {
        throw ConfigError(fmt::format("{}: {}: expected integers in the list",
                                      Where(item, KeyPath(key)), KeyPath(key)));
      }
    }
  }
  Resolve(key, out);
  return out;
}

std::vector<ConfigNode> ConfigNode::MapList(const std::string& key) {
  YAML::Node n = Get(key);
  std::vector<ConfigNode> out;
  if (!n.IsDefined() || n.IsNull()) {
    Resolve(key, nlohmann::json::array());
    return out;
  }
  if (!n.IsSequence()) Fail(key, "expected a list of mappings");
  Resolve(key, nlohmann::json::array());
  std::size_t i = 0;
  for (const auto& item : n) {
    const std::string path = fmt::format("{}[{}]", KeyPath(key), i++);
    if (!item.IsMap())
      throw ConfigError(fmt::format("{}: {}: expected a mapping", Where(item, path), path));
    out.emplace_back(item, path, source_);
  }
  return out;
}

std::vector<std::string> ConfigNode::StringOrList(const std::string& key, const std::string& def) {
  YAML::Node n = Get(key);
  std::vector<std::string> out;
  if (!n.IsDefined() || n.IsNull()) {
    out.push_back(def);
  } else if (n.IsScalar()) {
    out.push_back(n.Scalar());
  } else if (n.IsSequence() && n.size() > 0) {
    for (const auto& item : n) {
      if (!item.IsScalar())
        throw ConfigError(fmt::format("{}: {}: expected a list of names", Where(item, KeyPath(key)),
                                      KeyPath(key)));
      out.push_back(item.Scalar());
    }
  } else {
    Fail(key, "expected a name or a non-empty list of names");
  }
  Resolve(key, n.IsDefined() && n.IsSequence() ? nlohmann::json(out) : nlohmann::json(out[0]));
  return out;
}

std::vector<std::uint32_t> ConfigNode::IndexList(const std::string& key) {
  YAML::Node n = Get(key);
  std::vector<std::uint32_t> out;
  if (!n.IsDefined() || n.IsNull()) {
    Resolve(key, out);
    return out;
  }
  if (!n.IsSequence()) Fail(key, "expected a list of node indices, e.g. [3, 4]");
  for (const auto& item : n) {
    std::int64_t v = -1;
    try {
      v = item.as<std::int64_t>();
    } catch (const YAML::Exception&) {
    }
    if (v < 0 || v > UINT32_MAX)
      throw ConfigError(fmt::format("{}: {}: expected non-negative integers in the list",
                                    Where(item, KeyPath(key)), KeyPath(key)));
    out.push_back(static_cast<std::uint32_t>(v));
  }
  Resolve(key, out);
  return out;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> ConfigNode::PairList(const std::string& key) {
  YAML::Node n = Get(key);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  if (!n.IsDefined() || n.IsNull() || !n.IsSequence())
    Fail(key, "expected a list of edges, each a pair of node indices, e.g. [[0, 1], [1, 2]]");
  for (const auto& item : n) {
    std::int64_t u = -1, v = -1;
    if (item.IsSequence() && item.size() == 2) {
      try {
        u = item[0].as<std::int64_t>();
        v = item[1].as<std::int64_t>();
      } catch (const YAML::Exception&) {
      }
    }
    if (u < 0 || v < 0 || u > UINT32_MAX || v > UINT32_MAX)
      throw ConfigError(fmt::format("{}: {}: expected an edge [u, v] of two node indices",
                                    Where(item, KeyPath(key)), KeyPath(key)));
    out.emplace_back(static_cast<std::uint32_t>(u), static_cast<std::uint32_t>(v));
  }
  Resolve(key, nlohmann::json(out));
  return out;
}

void ConfigNode::Finish() {
  if (!node_.IsMap()) return;
  for (const auto& kv : node_) {
    const std::string key = kv.first.Scalar();
    if (used_.count(key)) continue;
    throw ConfigError(fmt::format("{}: {}: unknown key (expected one of: {})",
                                  Where(kv.first, KeyPath(key)), KeyPath(key), JoinKeys(used_)));
  }
}

Distribution ConfigNode::Dist(const std::string& key, const Distribution& def, bool signed_values) {
  YAML::Node n = Get(key);
  if (!n.IsDefined() || n.IsNull()) {
    Resolve(key, DistToJson(def));
    return def;
  }
  Distribution d = ParseDist(n, key, signed_values);
  if (!signed_values && d.Min() < 0)
    Fail(key, "negative values are not allowed here (expected a distribution of values >= 0)");
  return d;
}

Distribution ConfigNode::ParseDist(const YAML::Node& n, const std::string& key,
                                   bool signed_values) {
  if (n.IsScalar()) {
    Duration v = Time(key, Duration(0), signed_values);
    Distribution d = Distribution::Constant(v.ns());
    Resolve(key, DistToJson(d));
    return d;
  }
  if (!n.IsMap())
    Fail(key,
         "expected a duration (e.g. 20us) or a mapping with 'dist:' (e.g. {dist: "
         "exponential, mean: 20us})");
  ConfigNode c(n, KeyPath(key), source_);
  std::vector<std::string> kinds;
  for (DistKind k : AllDistKinds())
    if (signed_values || k != DistKind::kNormal) kinds.emplace_back(DistKindName(k));
  const std::string kind = c.Choice("dist", "", kinds);
  Distribution d;
  if (kind == "constant") {
    if (!c.Has("value")) c.Fail("value", "missing (expected a duration, e.g. 20us)");
    d = Distribution::Constant(c.Time("value", Duration(0), signed_values).ns());
  } else if (kind == "uniform") {
    if (!c.Has("min") || !c.Has("max")) c.Fail("", "uniform needs both 'min' and 'max'");
    const Duration lo = c.Time("min", Duration(0), signed_values);
    const Duration hi = c.Time("max", Duration(0), signed_values);
    if (hi < lo) c.Fail("max", "is below min (expected max >= min)");
    d = Distribution::Uniform(lo.ns(), hi.ns());
  } else if (kind == "exponential") {
    if (!c.Has("mean")) c.Fail("mean", "missing (expected a duration > 0)");
    const Duration mean = c.Time("mean", Duration(0));
    if (mean.ns() <= 0) c.Fail("mean", "must be > 0");
    d = Distribution::Exponential(static_cast<double>(mean.ns()));
  } else if (kind == "lognormal") {
    if (!c.Has("median")) c.Fail("median", "missing (expected a duration > 0)");
    const Duration median = c.Time("median", Duration(0));
    if (median.ns() <= 0) c.Fail("median", "must be > 0");
    d = Distribution::Lognormal(static_cast<double>(median.ns()),
                                c.Number("sigma", 0.5, 0.0, 10.0));
  } else if (kind == "normal") {
    d = Distribution::Normal(static_cast<double>(c.Time("mean", Duration(0), true).ns()),
                             static_cast<double>(c.Time("stddev", Duration(0)).ns()));
  } else {  // empirical
    if (!c.Has("file")) c.Fail("file", "missing (expected the path of a samples file)");
    const std::string file = c.String("file", "");
    const auto column = static_cast<std::uint32_t>(c.Int("column", 0, 0, 64));
    const std::string section = c.String("section", "");
    d.kind = DistKind::kEmpirical;
    d.scale = c.Number("scale", 1.0, 0.0, 1e12);
    d.samples =
        LoadSamples(static_cast<const YAML::Node&>(n)["file"], c.KeyPath("file"), column, section);
    c.Resolve("samples", d.samples->size());
  }
  d.shift_ns = c.Time("shift", Duration(0), signed_values).ns();
  c.Finish();
  return d;
}

std::shared_ptr<const std::vector<std::int64_t>> ConfigNode::LoadSamples(
    const YAML::Node& file_node, const std::string& key_path, std::uint32_t column,
    const std::string& section) {
  namespace fs = std::filesystem;
  const std::string given = file_node.Scalar();
  fs::path p(given);
  if (p.is_relative()) p = fs::path(source_->dir) / p;
  const std::string cache_key =
      p.lexically_normal().string() + "#" + std::to_string(column) + "#" + section;
  if (auto it = source_->sample_cache.find(cache_key); it != source_->sample_cache.end())
    return it->second;
  auto fail = [&](const std::string& what) {
    throw ConfigError(fmt::format("{}: {}: {}", Where(file_node, key_path), key_path, what));
  };
  std::ifstream in(p);
  if (!in)
    fail(
        fmt::format("cannot open samples file '{}' (looked at '{}'; expected a file of "
                    "numbers, one per line, relative to the scenario file)",
                    given, p.string()));
  auto samples = std::make_shared<std::vector<std::int64_t>>();
  std::string line;
  std::size_t line_no = 0;
  // With a section, only the lines after the comment "# <section>" up to the
  // next comment line are read.
  bool in_section = section.empty();
  bool section_seen = false;
  while (std::getline(in, line)) {
    ++line_no;
    std::istringstream ls(line);
    std::string field;
    std::vector<std::string> fields;
    while (ls >> field) fields.push_back(field);
    if (fields.empty()) continue;
    if (fields[0][0] == '#') {
      if (!section.empty()) {
        std::string title = line.substr(line.find('#') + 1);
        title.erase(0, title.find_first_not_of(" \t"));
        title.erase(title.find_last_not_of(" \t\r") + 1);
        in_section = title == section;
        section_seen |= in_section;
      }
      continue;
    }
    if (!in_section) continue;
    if (column >= fields.size())
      fail(
          fmt::format("samples file '{}' line {} has no column {} (expected at least {} "
                      "whitespace-separated numbers)",
                      given, line_no, column, column + 1));
    std::size_t used = 0;
    double v = 0;
    try {
      v = std::stod(fields[column], &used);
    } catch (...) {
      used = 0;
    }
    if (used != fields[column].size() || !std::isfinite(v))
      fail(fmt::format("samples file '{}' line {}: '{}' is not a number", given, line_no,
                       fields[column]));
    samples->push_back(static_cast<std::int64_t>(std::llround(v)));
  }
  if (!section.empty() && !section_seen)
    fail(fmt::format("samples file '{}' has no section '# {}'", given, section));
  if (samples->empty()) fail(fmt::format("samples file '{}' has no samples", given));
  source_->sample_cache[cache_key] = samples;
  return samples;
}

}  // namespace snapsim
