#include "experiments/results.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "experiments/version.h"

namespace snapsim {

std::string SnapsimVersion() { return fmt::format("{} ({})", kSnapsimVersion, kSnapsimCommit); }

namespace {
template <typename T>
nlohmann::json Opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
std::int64_t Ns(const std::optional<SimTime>& t) { return t ? t->ns() : -1; }
}  // namespace

nlohmann::json SummaryJson(const Scenario& scenario, const RunOutput& run) {
  const RunStats& st = run.stats;
  nlohmann::json j;
  j["snapsim"] = {{"version", kSnapsimVersion}, {"commit", kSnapsimCommit}};
  j["scenario"] = {{"name", scenario.name}, {"file", scenario.file}};
  j["seed"] = scenario.seed;
  j["config"] = scenario.resolved;
  j["run"] = {{"events", st.events},
              {"end_time_ns", st.end_time.ns()},
              {"stop_reason", StopReasonName(st.reason)},
              {"hash", fmt::format("{:016x}", st.hash)},
              {"pending_events_max", st.pending_max}};
  j["messages"] = {{"app_sent", st.app_sent},
                   {"app_delivered", st.app_delivered},
                   {"app_lost", st.app_lost},
                   {"control_sent", st.control_sent},
                   {"control_delivered", st.control_delivered},
                   {"control_lost", st.control_lost},
                   {"in_flight_at_end", st.in_flight_end}};
  j["app_latency_ns"] = {{"count", st.app_latency.Count()},
                         {"mean", st.app_latency.Mean()},
                         {"p50", st.app_latency.Quantile(0.5)},
                         {"p99", st.app_latency.Quantile(0.99)},
                         {"max", st.app_latency.Max()}};
  j["gateways"] = {{"forwards", st.gateway_forwards}, {"held_max", st.held_max}};
  std::uint64_t accepted = 0, rejected = 0;
  for (const auto& [id, r] : run.snapshots.All()) {
    if (r.accepted.value_or(true)) ++accepted;
    else ++rejected;
  }
  j["snapshots"] = {{"initiated", run.snapshots.All().size()},
                    {"accepted", accepted},
                    {"rejected", rejected}};
  j["host"] = {{"wall_time_s", run.wall_seconds},
               {"events_per_s", run.wall_seconds > 0 ? st.events / run.wall_seconds : 0.0}};
  return j;
}

std::string SnapshotsCsv(const Scenario& scenario, const RunOutput& run) {
  std::string out =
      "snapshot,initiated_ns,first_local_ns,last_local_ns,latency_ns,processes_recorded,"
      "state_sum,channel_messages,channel_value_sum,conserved,accepted,t0_ns,t1_ns,"
      "true_spread_ns\n";
  for (const auto& [id, r] : run.snapshots.All()) {
    std::string conserved = "";
    if (run.conserved_total)
      conserved = r.state_sum + r.channel_value_sum == *run.conserved_total ? "true" : "false";
    const std::int64_t latency =
        r.initiated_at && r.last_local ? (*r.last_local - *r.initiated_at).ns() : -1;
    auto opt = [](const std::optional<std::int64_t>& v) {
      return v ? std::to_string(*v) : std::string();
    };
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", id, Ns(r.initiated_at),
                       Ns(r.first_local), Ns(r.last_local), latency, r.processes_recorded,
                       r.state_sum, r.channel_messages, r.channel_value_sum, conserved,
                       r.accepted.value_or(true) ? "true" : "false", opt(r.t0_ns), opt(r.t1_ns),
                       opt(r.true_spread_ns));
  }
  return out;
}

void PrintHumanSummary(std::ostream& os, const Scenario& scenario, const RunOutput& run) {
  const RunStats& st = run.stats;
  const auto& actors = scenario.resolved["actors"];
  auto us = [](double ns) { return fmt::format("{:.1f} us", ns / 1000.0); };
  os << fmt::format("snapsim {}: {} (seed {}, workload {}, protocol {})\n", kSnapsimVersion,
                    scenario.name, scenario.seed,
                    scenario.resolved["workload"]["kind"].get<std::string>(),
                    scenario.protocol.kind);
  os << fmt::format("  actors     {} in-group, {} out-group, {} gateways{}\n",
                    actors["in_group"].get<std::size_t>(), actors["out_group"].get<std::size_t>(),
                    actors["gateways"].get<std::size_t>(),
                    actors["controller"].get<bool>() ? ", 1 controller" : "");
  os << fmt::format("  simulated  {:.3f} ms, {} events (stopped: {}), run hash {:016x}\n",
                    st.end_time.ns() / 1e6, st.events, StopReasonName(st.reason), st.hash);
  os << fmt::format("  messages   {} app sent, {} delivered, {} lost; {} control\n", st.app_sent,
                    st.app_delivered, st.app_lost, st.control_sent);
  os << fmt::format("  latency    app messages: mean {}, p99 {}, max {}\n",
                    us(st.app_latency.Mean()), us(st.app_latency.Quantile(0.99)),
                    us(st.app_latency.Max()));
  if (st.gateway_forwards > 0)
    os << fmt::format("  gateways   {} messages forwarded into the in-group\n",
                      st.gateway_forwards);
  os << fmt::format("  wall time  {:.3f} s ({:.2f} M events/s)\n", run.wall_seconds,
                    run.wall_seconds > 0 ? st.events / run.wall_seconds / 1e6 : 0.0);
}

bool WriteFileAtomic(const std::string& path, const std::string& contents, std::string* error) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << contents;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      *error = fmt::format("{}: cannot write the file", path);
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    *error = fmt::format("{}: cannot move the finished file into place", path);
    return false;
  }
  return true;
}

bool WriteRunResults(const std::string& dir, const Scenario& scenario, const RunOutput& run,
                     std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *error = fmt::format("{}: cannot create the output folder: {}", dir, ec.message());
    return false;
  }
  // snapshots.csv first: summary.json appearing means the run's results are complete.
  return WriteFileAtomic(dir + "/snapshots.csv", SnapshotsCsv(scenario, run), error) &&
         WriteFileAtomic(dir + "/summary.json", SummaryJson(scenario, run).dump(2) + "\n", error);
}

}  // namespace snapsim
