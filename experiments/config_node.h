// ConfigNode: typed, located access to one YAML mapping of a scenario.
//
// Every getter checks the type and range of its key and records the value in
// effect (given or default) into the resolved configuration, so summary.json
// can show exactly what a run used. Finish() rejects keys nobody asked for.
// Errors throw ConfigError whose message is
//   FILE:LINE:COL: dotted.key: what is wrong (expected ...)
// with 1-based line and column from yaml-cpp marks; a value given on the
// command line is located as `--set dotted.key=VALUE` instead. ConfigError
// is caught by the scenario loader and never escapes it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/distribution.h"
#include "sim/time.h"

namespace snapsim {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Shared by all nodes of one scenario: where it came from and what it resolved to.
struct ConfigSource {
  std::string file;                              // as given on the command line
  std::string dir;                               // for resolving relative paths
  std::map<std::string, std::string> overrides;  // dotted key -> value, from --set
  nlohmann::json resolved = nlohmann::json::object();
  std::map<std::string, std::shared_ptr<const std::vector<std::int64_t>>> sample_cache;
};

class ConfigNode {
 public:
  ConfigNode(YAML::Node node, std::string path, ConfigSource* source);

  const std::string& Path() const { return path_; }
  bool Has(const std::string& key) const;
  // A required mapping.
  ConfigNode Map(const std::string& key);
  // An optional mapping; nullopt when absent.
  std::optional<ConfigNode> OptionalMap(const std::string& key);

  std::int64_t Int(const std::string& key, std::int64_t def, std::int64_t min, std::int64_t max);
  std::int64_t RequiredInt(const std::string& key, std::int64_t min, std::int64_t max);
  std::uint64_t Seed(const std::string& key, std::uint64_t def);
  double Number(const std::string& key, double def, double min, double max);
  bool Bool(const std::string& key, bool def);
  // A string restricted to `allowed` (listed in the error when wrong).
  std::string Choice(const std::string& key, const std::string& def,
                     const std::vector<std::string>& allowed);
  std::string String(const std::string& key, const std::string& def);
  // A duration: an integer (ns) or a string with a unit: "250ns", "20us",
  // "1.5ms", "2s". Rejects negative values unless allow_negative.
  Duration Time(const std::string& key, Duration def, bool allow_negative = false);
  // A distribution: a duration (constant) or a mapping with `dist:` and its
  // parameters (see docs/scenarios.md). `signed_values` allows normal and
  // negative values (clock offsets); otherwise samples must be >= 0.
  Distribution Dist(const std::string& key, const Distribution& def, bool signed_values = false);
  // A list of durations (empty when absent).
  std::vector<Duration> TimeList(const std::string& key);
  // A string, or a list of strings (returned as one element or many).
  std::vector<std::string> StringOrList(const std::string& key, const std::string& def);
  ConfigSource* Source() const { return source_; }
  // True when `key` (or a parent of it) was given with --set.
  bool Overridden(const std::string& key) const;
  // Marks `key` as read without using it (an alternative that lost to an
  // override), so Finish() does not call it unknown.
  void Ignore(const std::string& key) { used_.insert(key); }
  // A list of integers (empty when absent).
  std::vector<std::int64_t> IntList(const std::string& key);
  // A list of mappings, each as a node of its own (path "key[i]").
  std::vector<ConfigNode> MapList(const std::string& key);
  // A list of non-negative integers.
  std::vector<std::uint32_t> IndexList(const std::string& key);
  // A list of [u, v] pairs of non-negative integers.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> PairList(const std::string& key);

  // Throws for every key present but never asked for.
  void Finish();
  // Throws a ConfigError located at `key` (or at this node when key is empty).
  [[noreturn]] void Fail(const std::string& key, const std::string& what) const;
  // Records a derived value in the resolved configuration.
  void Resolve(const std::string& key, nlohmann::json value);

 private:
  YAML::Node Get(const std::string& key);
  std::string KeyPath(const std::string& key) const;
  std::string Where(const YAML::Node& n, const std::string& key_path) const;
  nlohmann::json& ResolvedSlot();
  Distribution ParseDist(const YAML::Node& n, const std::string& key, bool signed_values);
  std::shared_ptr<const std::vector<std::int64_t>> LoadSamples(const YAML::Node& file_node,
                                                               const std::string& key_path,
                                                               std::uint32_t column,
                                                               const std::string& section);

  YAML::Node node_;
  std::string path_;
  ConfigSource* source_;
  std::set<std::string> used_;
};

// Parses "250ns", "20us", "1.5ms", "2s" or a plain integer of ns. Returns
// nullopt on malformed text.
std::optional<std::int64_t> ParseDurationNs(const std::string& text);
// JSON form of a distribution for the resolved configuration.
nlohmann::json DistToJson(const Distribution& d);

}  // namespace snapsim
