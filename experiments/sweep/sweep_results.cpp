#include "experiments/sweep/sweep_results.h"

#include <fmt/format.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <thread>

#include "experiments/results.h"
#include "experiments/version.h"

namespace snapsim::sweep {

namespace fs = std::filesystem;

namespace {

void Flatten(const nlohmann::json& j, const std::string& prefix, nlohmann::ordered_json& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) Flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else if (j.is_array()) {
    out[prefix] = j.dump();
  } else {
    out[prefix] = j;
  }
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string CsvValue(const nlohmann::ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return CsvField(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

void SortRows(std::vector<Row>& rows) {
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.point, a.repetition) < std::tie(b.point, b.repetition);
  });
}

// The union of the rows' parameter keys and value columns, in order of first
// appearance (rows sorted).
std::vector<std::string> ParamColumns(const std::vector<Row>& rows) {
  std::vector<std::string> cols;
  std::set<std::string> seen;
  for (const Row& r : rows)
    for (const auto& [k, v] : r.params)
      if (seen.insert(k).second) cols.push_back(k);
  return cols;
}
std::vector<std::string> ValueColumns(const std::vector<Row>& rows) {
  std::vector<std::string> cols;
  std::set<std::string> seen;
  for (const Row& r : rows)
    for (const auto& [k, v] : r.values.items())
      if (seen.insert(k).second) cols.push_back(k);
  return cols;
}

std::string ParamValueOf(const Row& r, const std::string& key) {
  for (const auto& [k, v] : r.params)
    if (k == key) return v;
  return "";
}

std::string Num(double v) {
  if (!std::isfinite(v)) return "";
  return fmt::format("{}", v);  // shortest representation that reads back exactly
}

}  // namespace

Row MakeRow(const SweepSpec& spec, const RunKey& key, const nlohmann::json& summary) {
  Row row;
  row.point = key.point;
  row.repetition = key.repetition;
  row.seed = key.seed;
  if (summary.contains("snapsim")) row.commit = summary["snapsim"].value("commit", "");
  const SweepPoint& p = spec.points[key.point];
  for (std::size_t i = 0; i < spec.params.size(); ++i)
    row.params.emplace_back(spec.params[i].key, spec.Value(p, i));
  row.values = nlohmann::ordered_json::object();
  for (const auto& [k, v] : summary.items()) {
    if (k == "snapsim" || k == "scenario" || k == "config" || k == "host" || k == "seed") continue;
    Flatten(v, k, row.values);
  }
  if (summary.contains("host")) row.host = summary["host"];
  return row;
}

std::string RunDirName(std::size_t point, std::uint32_t repetition) {
  return fmt::format("p{:06}-r{:04}", point, repetition);
}
std::string RowFileName(std::size_t point, std::uint32_t repetition) {
  return RunDirName(point, repetition) + ".json";
}

nlohmann::ordered_json RowToJson(const Row& row) {
  nlohmann::ordered_json j;
  j["point"] = row.point;
  j["repetition"] = row.repetition;
  j["seed"] = row.seed;
  j["commit"] = row.commit;
  j["params"] = nlohmann::ordered_json::array();
  for (const auto& [k, v] : row.params) j["params"].push_back({k, v});
  j["values"] = row.values;
  j["host"] = row.host.is_null() ? nlohmann::json::object() : row.host;
  return j;
}

std::optional<Row> RowFromJson(const nlohmann::ordered_json& j) {
  try {
    Row row;
    row.point = j.at("point").get<std::size_t>();
    row.repetition = j.at("repetition").get<std::uint32_t>();
    row.seed = j.at("seed").get<std::uint64_t>();
    row.commit = j.value("commit", "");
    for (const auto& kv : j.at("params"))
      row.params.emplace_back(kv.at(0).get<std::string>(), kv.at(1).get<std::string>());
    row.values = j.at("values");
    if (!row.values.is_object()) return std::nullopt;
    if (j.contains("host")) row.host = nlohmann::json::parse(j["host"].dump());
    return row;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<Row> ReadRows(const std::string& dir, std::vector<std::string>* bad) {
  std::vector<Row> rows;
  const fs::path runs = fs::path(dir) / "runs";
  std::error_code ec;
  if (!fs::is_directory(runs, ec)) return rows;
  for (const auto& entry : fs::directory_iterator(runs, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.size() < 6 || name[0] != 'p' ||
        name.substr(name.size() - 5) != ".json")
      continue;
    // Parse with the ordered type so the value columns keep their order.
    std::ifstream in(entry.path());
    const nlohmann::ordered_json j = nlohmann::ordered_json::parse(in, nullptr, false);
    std::optional<Row> r;
    if (!j.is_discarded()) r = RowFromJson(j);
    if (r && name != RowFileName(r->point, r->repetition)) r.reset();
    if (r)
      rows.push_back(std::move(*r));
    else if (bad)
      bad->push_back(entry.path().string());
  }
  SortRows(rows);
  return rows;
}

std::string ResultsCsv(std::vector<Row> rows) {
  SortRows(rows);
  const std::vector<std::string> params = ParamColumns(rows), values = ValueColumns(rows);
  std::string out = "point,repetition,seed";
  for (const auto& p : params) out += "," + CsvField(p);
  for (const auto& v : values) out += "," + CsvField(v);
  out += "\n";
  for (const Row& r : rows) {
    out += fmt::format("{},{},{}", r.point, r.repetition, r.seed);
    for (const auto& p : params) out += "," + CsvField(ParamValueOf(r, p));
    for (const auto& v : values) out += "," + (r.values.contains(v) ? CsvValue(r.values[v]) : "");
    out += "\n";
  }
  return out;
}

double StudentT975(std::size_t df) {
  if (df == 0) return std::numeric_limits<double>::quiet_NaN();
  boost::math::students_t dist(static_cast<double>(df));
  return boost::math::quantile(dist, 0.975);
}

std::vector<Stats> ColumnStats(const std::vector<std::vector<double>>& samples,
                               std::size_t columns) {
  const Eigen::Index n = static_cast<Eigen::Index>(samples.size());
  const Eigen::Index m = static_cast<Eigen::Index>(columns);
  // X: samples with missing values as 0; W: 1 where a value is present.
  Eigen::ArrayXXd x = Eigen::ArrayXXd::Zero(n, m), w = Eigen::ArrayXXd::Zero(n, m);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index c = 0; c < m && c < static_cast<Eigen::Index>(samples[i].size()); ++c) {
      const double v = samples[i][c];
      if (std::isfinite(v)) {
        x(i, c) = v;
        w(i, c) = 1;
      }
    }
  const Eigen::ArrayXd count = w.colwise().sum().transpose();
  const Eigen::ArrayXd mean = x.colwise().sum().transpose() / count.max(1.0);
  const Eigen::ArrayXXd dev = (x.rowwise() - mean.transpose()) * w;
  const Eigen::ArrayXd var = dev.square().colwise().sum().transpose() / (count - 1).max(1.0);
  std::vector<Stats> out(columns);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (Eigen::Index c = 0; c < m; ++c) {
    Stats& s = out[c];
    s.n = static_cast<std::size_t>(count(c));
    s.mean = s.n > 0 ? mean(c) : nan;
    s.stddev = s.n > 1 ? std::sqrt(var(c)) : nan;
    s.ci95 = s.n > 1 ? StudentT975(s.n - 1) * s.stddev / std::sqrt(static_cast<double>(s.n)) : nan;
  }
  return out;
}

std::string AggregateCsv(std::vector<Row> rows) {
  SortRows(rows);
  const std::vector<std::string> params = ParamColumns(rows), values = ValueColumns(rows);
  // Numeric columns: every value present is a number (not a bool).
  std::vector<std::string> numeric;
  for (const auto& v : values) {
    bool ok = true;
    for (const Row& r : rows)
      if (r.values.contains(v) && !r.values[v].is_null() && !r.values[v].is_number()) ok = false;
    if (ok) numeric.push_back(v);
  }
  std::string out = "point";
  for (const auto& p : params) out += "," + CsvField(p);
  out += ",runs";
  for (const auto& v : numeric)
    out += fmt::format(",{},{},{}", CsvField(v + ".mean"), CsvField(v + ".std"),
                       CsvField(v + ".ci95"));
  out += "\n";
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t j = i;
    while (j < rows.size() && rows[j].point == rows[i].point) ++j;
    std::vector<std::vector<double>> samples;
    for (std::size_t k = i; k < j; ++k) {
      std::vector<double> s(numeric.size(), std::numeric_limits<double>::quiet_NaN());
      for (std::size_t c = 0; c < numeric.size(); ++c)
        if (rows[k].values.contains(numeric[c]) && rows[k].values[numeric[c]].is_number())
          s[c] = rows[k].values[numeric[c]].get<double>();
      samples.push_back(std::move(s));
    }
    const std::vector<Stats> stats = ColumnStats(samples, numeric.size());
    out += std::to_string(rows[i].point);
    for (const auto& p : params) out += "," + CsvField(ParamValueOf(rows[i], p));
    out += "," + std::to_string(j - i);
    for (const Stats& s : stats)
      out += fmt::format(",{},{},{}", Num(s.mean), Num(s.stddev), Num(s.ci95));
    out += "\n";
    i = j;
  }
  return out;
}

bool WriteTables(const std::string& dir, const std::vector<Row>& rows, std::string* error) {
  return WriteFileAtomic((fs::path(dir) / "results.csv").string(), ResultsCsv(rows), error) &&
         WriteFileAtomic((fs::path(dir) / "aggregate.csv").string(), AggregateCsv(rows), error);
}

nlohmann::ordered_json MakeManifest(const SweepSpec& spec, const std::string& shard) {
  nlohmann::ordered_json m;
  m["format"] = "snapsim-sweep/1";
  m["snapsim"] = {{"version", kSnapsimVersion}, {"commit", kSnapsimCommit}};
  m["identity"] = spec.identity;
  nlohmann::ordered_json sets = nlohmann::ordered_json::array();
  for (const auto& s : spec.options.sets) sets.push_back(s);
  m["scenario"] = {{"name", spec.name},
                   {"file", spec.file},
                   {"seed", spec.base_seed},
                   {"seed_override", spec.options.seed ? nlohmann::ordered_json(*spec.options.seed)
                                                       : nlohmann::ordered_json(nullptr)},
                   {"sets", sets},
                   {"text", spec.text}};
  nlohmann::ordered_json params = nlohmann::ordered_json::array();
  for (const SweepParam& p : spec.params) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (const auto& v : p.values) values.push_back(v.text);
    params.push_back({{"key", p.key}, {"zipped", p.zipped}, {"values", values}});
  }
  m["sweep"] = {{"mode", spec.mode},
                {"repetitions", spec.repetitions},
                {"seeds", spec.seeds == SeedMode::kShared ? "shared" : "per-point"},
                {"parameters", params},
                {"points", spec.points.size()},
                {"runs", spec.RunCount()}};
  m["shard"] = shard;
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  struct utsname u {};
  uname(&u);
  const std::time_t now = std::time(nullptr);
  char when[32] = {0};
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  m["host"] = {{"hostname", host},
               {"cores", std::thread::hardware_concurrency()},
               {"system", fmt::format("{} {} {}", u.sysname, u.release, u.machine)},
               {"created_utc", when}};
  return m;
}

std::optional<nlohmann::json> ReadManifest(const std::string& dir, std::string* error) {
  const fs::path p = fs::path(dir) / "manifest.json";
  std::ifstream in(p);
  if (!in) {
    *error = fmt::format("{}: cannot read the manifest", p.string());
    return std::nullopt;
  }
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("identity") || !j["identity"].is_string() ||
      j.value("format", "") != "snapsim-sweep/1") {
    *error = fmt::format("{}: not a snapsim sweep manifest (malformed JSON or missing identity)",
                         p.string());
    return std::nullopt;
  }
  return j;
}

}  // namespace snapsim::sweep
